/* impact.c — both standards over the same records (see impact.h). */
#include "impact.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "runtime/csv.h"
#include "runtime/pop.h"
#include "runtime/record.h"
#include "runtime/text.h"
#include "runtime/vm.h"

/* One standard's side of the run. */
typedef struct {
  const prog *p;
  rec_map map;
  int mapped;
  vm_ctx *vm;
  int64_t *slots;
  pop *pop;
  int ranking; /* an enforced quota: rank first */
  long seq;    /* records scored so far: what the quota's ranking counts */
  int ok;      /* this row was scored */
  const vm_result *r;
  char err[512];
} im_side;

static void *im_alloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) abort();
  return p;
}

static int im_side_init(im_side *s, const prog *p, int64_t as_of) {
  memset(s, 0, sizeof *s);
  s->p = p;
  s->vm = vm_new(p);
  s->slots = im_alloc(p->ninputs, sizeof *s->slots);
  s->pop = pop_new(p);
  if (!s->vm || !s->pop) return -1;
  vm_set_as_of(s->vm, as_of != INT32_MIN ? as_of : p->as_of); /* the policy's own `as of` unless one is given */
  s->ranking = pop_needs_ranking(p);
  return 0;
}

static void im_side_free(im_side *s) {
  if (s->mapped) rec_map_free(&s->map);
  vm_free(s->vm);
  free(s->slots);
  pop_free(s->pop);
}

/* Score the row on one side; s->ok says whether it was. */
static void im_score(im_side *s, int st, const csv_row *row, int final) {
  s->ok = 0;
  s->r = NULL;
  const char *key = NULL;
  if (st == CSV_BAD) {
    snprintf(s->err, sizeof s->err, "%s", row->error);
    return;
  }
  if (rec_parse(&s->map, row, s->slots, &key, s->err, sizeof s->err)) return;
  if (final && s->ranking) vm_force_level(s->vm, pop_forced(s->pop, s->seq));
  const vm_result *r = vm_eval(s->vm, s->slots);
  if (r->err) {
    if (r->err == VM_EMISSING) rec_missing(&s->map, (uint32_t)r->err_input, s->err, sizeof s->err);
    else snprintf(s->err, sizeof s->err, "cannot be scored: %s",
                  r->err == VM_ENODATE ? "a blank date (none) has no year to count" : dec_strerror(r->err));
    return;
  }
  s->ok = 1;
  s->r = r;
  if (!final) pop_rank_add(s->pop, s->seq, r, s->slots, key);
  else pop_add(s->pop, row->line, r, s->slots, key);
  s->seq++;
}

static int32_t im_place(const im_side *s) {
  if (!s->ok) return IM_ERROR;
  if (s->r->nremoving) return IM_VETOED;
  if (s->r->level < 0) return IM_NONE;
  if ((uint32_t)s->r->level == s->p->nlevels) return IM_ELSE;
  return s->r->level;
}

/* The places of one side, in matrix order. */
static uint32_t im_places(const prog *p, const char ***names, int32_t **place) {
  uint32_t n = p->nlevels + 4;
  *names = im_alloc(n, sizeof **names);
  *place = im_alloc(n, sizeof **place);
  uint32_t k = 0;
  for (uint32_t l = 0; l < p->nlevels; l++) (*names)[k] = p->levels[l].name, (*place)[k++] = (int32_t)l;
  if (p->else_name) (*names)[k] = p->else_name, (*place)[k++] = IM_ELSE;
  (*names)[k] = "(no level)", (*place)[k++] = IM_NONE;
  (*names)[k] = "(vetoed)", (*place)[k++] = IM_VETOED;
  (*names)[k] = "(error)", (*place)[k++] = IM_ERROR;
  return k;
}

static uint32_t im_index(const int32_t *place, uint32_t n, int32_t p) {
  for (uint32_t k = 0; k < n; k++)
    if (place[k] == p) return k;
  return n - 1;
}

/* ---- why a union moved ------------------------------------------------------ */

typedef struct {
  dec delta;
  uint32_t order;
  const char *number;
} im_delta;

static int im_delta_cmp(const void *x, const void *y) {
  const im_delta *a = x, *b = y;
  dec ma = a->delta < 0 ? -a->delta : a->delta, mb = b->delta < 0 ? -b->delta : b->delta;
  if (ma != mb) return ma > mb ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

typedef struct {
  char *buf;
  size_t n, cap;
} im_text;

static void im_put(im_text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (t->n + (size_t)n + 1 > t->cap) {
    t->cap = (t->n + (size_t)n + 1) * 2;
    t->buf = realloc(t->buf, t->cap);
    if (!t->buf) abort();
  }
  va_start(ap, fmt);
  vsnprintf(t->buf + t->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  t->n += (size_t)n;
}

static dec im_item_score(const vm_result *r, long i) { return i >= 0 && r->item_applies[i] ? r->item_score[i] : 0; }

/* How the old standard's items, checks and vetoes pair with the new's. */
typedef struct {
  long *items, *checks, *vetoes; /* [new count]: the old index, or -1 */
} im_maps;

/* The items whose points differ, the vetoes and checks that differ, the
 * quota, the conditions of the levels: what took the union from one level
 * to the other. */
static char *im_why(const im_side *a, const im_side *b, const im_maps *mp, im_delta *d) {
  const long *map = mp->items;
  im_text t = {0};
  const prog *pa = a->p, *pb = b->p;
  const vm_result *ra = a->r, *rb = b->r;
  if (!a->ok || !b->ok) {
    const im_side *bad = !b->ok ? b : a;
    im_put(&t, "cannot be scored under the %s standard: %s", !b->ok ? "new" : "old", bad->err);
    return t.buf;
  }
  const char *sep = "";
  /* items */
  size_t nd = 0;
  uint8_t *seen = im_alloc(pa->nitems, 1);
  for (uint32_t j = 0; j < pb->nitems; j++) {
    long i = map[j];
    if (i >= 0) seen[i] = 1;
    dec delta = im_item_score(rb, j) - im_item_score(ra, i);
    if (delta) d[nd++] = (im_delta){delta, j, pb->items[j].number};
  }
  for (uint32_t i = 0; i < pa->nitems; i++)
    if (!seen[i] && im_item_score(ra, i)) d[nd++] = (im_delta){-im_item_score(ra, i), pb->nitems + i, pa->items[i].number};
  free(seen);
  qsort(d, nd, sizeof *d, im_delta_cmp);
  for (size_t k = 0; k < nd; k++) {
    char b1[DEC_BUFSZ];
    im_put(&t, "%sitem %s %s%s%s", sep, d[k].number, d[k].delta > 0 ? "+" : "−",
           dec_format(d[k].delta > 0 ? d[k].delta : -d[k].delta, b1), d[k].order >= pb->nitems ? " (removed)" : "");
    sep = ", ";
  }
  /* vetoes, paired as the comparison pairs them */
  uint8_t *old_seen = im_alloc(pa->nvetoes, 1);
  for (uint32_t v = 0; v < pb->nvetoes; v++) {
    long u = mp->vetoes[v];
    if (u >= 0) old_seen[u] = 1;
    int before = u >= 0 && ra->veto_fired[u];
    if (rb->veto_fired[v] && !before) im_put(&t, "%sveto \"%s\"", sep, pb->vetoes[v].reason), sep = ", ";
    if (!rb->veto_fired[v] && before) im_put(&t, "%sno longer vetoed: \"%s\"", sep, pb->vetoes[v].reason), sep = ", ";
  }
  for (uint32_t u = 0; u < pa->nvetoes; u++)
    if (!old_seen[u] && ra->veto_fired[u]) im_put(&t, "%sno longer vetoed: \"%s\"", sep, pa->vetoes[u].reason), sep = ", ";
  free(old_seen);
  /* checks, paired as the comparison pairs them; a few, then how many more */
  int shown = 0, more = 0;
  for (uint32_t c = 0; c < pb->nchecks; c++) {
    const prog_check *q = &pb->checks[c];
    int before = mp->checks[c] >= 0 ? ra->check_state[mp->checks[c]] : 0;
    if (before == rb->check_state[c]) continue;
    if (shown == 4) {
      more++;
      continue;
    }
    const char *now = rb->check_state[c] == 1 ? "passes" : rb->check_state[c] == 2 ? "fails" : "does not apply";
    im_put(&t, "%scheck \"%s\" now %s", sep, q->text, now), sep = ", ";
    shown++;
  }
  /* checks the new standard no longer has, that the union failed */
  uint8_t *kept = im_alloc(pa->nchecks, 1);
  for (uint32_t c = 0; c < pb->nchecks; c++)
    if (mp->checks[c] >= 0) kept[mp->checks[c]] = 1;
  for (uint32_t k = 0; k < pa->nchecks; k++) {
    if (kept[k] || ra->check_state[k] != 2) continue;
    if (shown == 4) {
      more++;
      continue;
    }
    im_put(&t, "%scheck \"%s\" (failed) is gone", sep, pa->checks[k].text), sep = ", ";
    shown++;
  }
  free(kept);
  if (more) im_put(&t, "%sand %d more check%s", sep, more, more == 1 ? "" : "s");
  if (rb->demoted && !ra->demoted) im_put(&t, "%sthe new quota moved it down", sep), sep = ", ";
  if (ra->demoted && !rb->demoted) im_put(&t, "%sthe old quota had moved it down", sep), sep = ", ";
  /* the conditions of the levels it left and reached */
  int32_t places[2] = {im_place(a), im_place(b)};
  for (int k = 0; k < 2; k++) {
    if (places[k] < 0) continue;
    const char *name = (k ? pb : pa)->levels[places[k]].name;
    if (k == 1 && places[0] >= 0 && !strcmp(name, pa->levels[places[0]].name)) continue;
    const prog_level *lo = NULL, *ln = NULL;
    for (uint32_t l = 0; l < pa->nlevels; l++)
      if (!strcmp(pa->levels[l].name, name)) lo = &pa->levels[l];
    for (uint32_t l = 0; l < pb->nlevels; l++)
      if (!strcmp(pb->levels[l].name, name)) ln = &pb->levels[l];
    if (lo && ln && strcmp(lo->source, ln->source))
      im_put(&t, "%s%s now needs %s (was %s)", sep, name, ln->source, lo->source), sep = ", ";
    else if (!lo && ln) im_put(&t, "%s%s is a new level", sep, name), sep = ", ";
    else if (lo && !ln) im_put(&t, "%s%s is no longer a level", sep, name), sep = ", ";
  }
  if (!t.buf) im_put(&t, "the rating's conditions changed");
  return t.buf;
}

/* ---- the run ------------------------------------------------------------------- */

static int im_pass(im_side *s, uint32_t nsides, FILE *f, int final, im_report *rep, const im_maps *map, char *err,
                   size_t errsz) {
  csv_reader *rd = csv_open_file(f);
  if (!rd) abort();
  csv_row row;
  int st = csv_next(rd, &row), rc = 0;
  if (st != CSV_ROW) {
    snprintf(err, errsz, "%s", st == CSV_EOF ? "no header row: the file is empty" : st == CSV_BAD ? row.error : strerror(errno));
    csv_close(rd);
    return -1;
  }
  for (uint32_t k = 0; k < nsides; k++) {
    if (s[k].mapped) rec_map_free(&s[k].map);
    s[k].mapped = 1;
    char m[2048];
    if (rec_map_init(&s[k].map, s[k].p, &row, m, sizeof m)) {
      int w = snprintf(err, errsz, "the %s standard cannot read the header: %s", k ? "new" : "old", m);
      txt_fit(err, errsz, w);
      csv_close(rd);
      return -1;
    }
    s[k].seq = 0;
  }
  im_delta *d = final ? im_alloc(s[0].p->nitems + s[1].p->nitems, sizeof *d) : NULL;
  long record = row.blank_before + 1;
  size_t cap_m = 0, cap_s = 0;
  while ((st = csv_next(rd, &row)) != CSV_EOF) {
    if (st == CSV_IOERR) {
      snprintf(err, errsz, "read error: %s", strerror(errno));
      rc = -1;
      break;
    }
    record += 1 + row.blank_before;
    if (st == CSV_ROW && rec_row_blank(&row)) continue;
    for (uint32_t k = 0; k < nsides; k++)
      if (final || s[k].ranking) im_score(&s[k], st, &row, final);
    if (!final) continue;
    rep->rows++;
    rep->old_errors += !s[0].ok;
    rep->new_errors += !s[1].ok;
    int32_t po = im_place(&s[0]), pn = im_place(&s[1]);
    rep->matrix[im_index(rep->old_place, rep->nold, po) * rep->nnew + im_index(rep->new_place, rep->nnew, pn)]++;
    if (s[0].ok && s[1].ok) {
      if ((size_t)rep->nscores == cap_s) {
        cap_s = cap_s ? 2 * cap_s : 1024;
        rep->old_scores = realloc(rep->old_scores, cap_s * sizeof *rep->old_scores);
        rep->new_scores = realloc(rep->new_scores, cap_s * sizeof *rep->new_scores);
        if (!rep->old_scores || !rep->new_scores) abort();
      }
      rep->old_scores[rep->nscores] = s[0].r->total;
      rep->new_scores[rep->nscores++] = s[1].r->total;
      rep->both++;
    }
    if (po == pn) continue;
    if (rep->nmovers == cap_m) {
      cap_m = cap_m ? 2 * cap_m : 64;
      rep->movers = realloc(rep->movers, cap_m * sizeof *rep->movers);
      if (!rep->movers) abort();
    }
    im_mover *m = &rep->movers[rep->nmovers++];
    memset(m, 0, sizeof *m);
    m->row = record;
    const char *key = s[1].p->key != TBC_NONE ? rec_key(&s[1].map, &row) : NULL;
    if (!key && s[0].p->key != TBC_NONE) key = rec_key(&s[0].map, &row);
    m->key = key ? strdup(key) : NULL;
    m->old_ok = s[0].ok, m->new_ok = s[1].ok;
    m->old_score = s[0].ok ? s[0].r->total : 0;
    m->new_score = s[1].ok ? s[1].r->total : 0;
    m->old_level = po, m->new_level = pn;
    m->why = im_why(&s[0], &s[1], map, d);
  }
  free(d);
  csv_close(rd);
  return rc;
}

static int im_dec_cmp(const void *x, const void *y) {
  dec a = *(const dec *)x, b = *(const dec *)y;
  return a < b ? -1 : a > b;
}

int im_run(const prog *a, const prog *b, FILE *f, int64_t as_of, im_report *rep, char *err, size_t errsz) {
  memset(rep, 0, sizeof *rep);
  rep->scale = b->scale;
  rep->has_items = a->nitems || b->nitems;
  rep->nold = im_places(a, &rep->old_names, &rep->old_place);
  rep->nnew = im_places(b, &rep->new_names, &rep->new_place);
  rep->matrix = im_alloc((size_t)rep->nold * rep->nnew, sizeof *rep->matrix);
  im_side s[2];
  int rc = 0;
  if (im_side_init(&s[0], a, as_of) || im_side_init(&s[1], b, as_of)) abort();
  im_maps map = {df_item_map(a, b), df_check_map(a, b), df_veto_map(a, b)};
  if (s[0].ranking || s[1].ranking) { /* an enforced quota: rank everyone first */
    rc = im_pass(s, 2, f, 0, rep, &map, err, errsz);
    for (int k = 0; k < 2; k++)
      if (s[k].ranking && pop_rank_finish(s[k].pop)) abort();
    if (!rc && fseek(f, 0, SEEK_SET) != 0) {
      snprintf(err, errsz, "cannot read it from the start again (a quota is enforced, so the records are read twice): %s",
               strerror(errno));
      rc = -1;
    }
  }
  if (!rc) rc = im_pass(s, 2, f, 1, rep, &map, err, errsz);
  free(map.items), free(map.checks), free(map.vetoes);
  if (!rc) {
    if (rep->nscores) {
      qsort(rep->old_scores, (size_t)rep->nscores, sizeof(dec), im_dec_cmp);
      qsort(rep->new_scores, (size_t)rep->nscores, sizeof(dec), im_dec_cmp);
    }
    /* targets: the new standard's, then the old one's that are gone */
    rep->targets = im_alloc(a->ntargets + b->ntargets, sizeof *rep->targets);
    long *tmap = df_target_map(a, b);
    uint8_t *paired = im_alloc(a->ntargets, 1);
    for (uint32_t t = 0; t < b->ntargets; t++) {
      im_target *x = &rep->targets[rep->ntargets++];
      const prog_target *q = &b->targets[t];
      x->text = q->text;
      x->in_new = 1;
      x->percent = q->kind == TBC_TG_SHARE || q->kind == TBC_TG_RATIO;
      x->new_goal = q->goal;
      x->new_cmp = q->cmp;
      x->has_new = pop_target(s[1].pop, t, &x->new_value, &x->new_met);
      long o = tmap[t];
      if (o >= 0) {
        paired[o] = 1;
        x->in_old = 1;
        x->has_old = pop_target(s[0].pop, (uint32_t)o, &x->old_value, &x->old_met);
      }
    }
    for (uint32_t t = 0; t < a->ntargets; t++) {
      if (paired[t]) continue;
      im_target *x = &rep->targets[rep->ntargets++];
      x->text = a->targets[t].text;
      x->in_old = 1;
      x->percent = a->targets[t].kind == TBC_TG_SHARE || a->targets[t].kind == TBC_TG_RATIO;
      x->has_old = pop_target(s[0].pop, t, &x->old_value, &x->old_met);
    }
    free(tmap);
    free(paired);
  }
  im_side_free(&s[0]);
  im_side_free(&s[1]);
  return rc;
}

void im_free(im_report *r) {
  for (size_t k = 0; k < r->nmovers; k++) {
    free(r->movers[k].key);
    free(r->movers[k].why);
  }
  free(r->movers);
  free(r->old_names), free(r->new_names), free(r->old_place), free(r->new_place);
  free(r->matrix), free(r->targets), free(r->old_scores), free(r->new_scores);
  memset(r, 0, sizeof *r);
}
