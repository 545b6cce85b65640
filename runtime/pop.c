/* pop.c — quotas, targets, audits and the summary; see pop.h. */
#include "pop.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "write.h"

typedef struct {
  dec score;
  int64_t tie;
  char *key;
  long seq;
  int32_t level;
  int32_t moved_by; /* the quota that moved it down, or -1 */
} pop_entry;

typedef struct {
  char **keys;
  long *rows;
  uint64_t *hash;
  size_t n, cap;
} pop_pool;

struct pop {
  const prog *p;
  long nscored;
  long *levels;   /* [nlevels + 2]: each level, the else level, none last */
  long *by_cat;   /* [ncat × (nlevels + 2)] */
  uint32_t ncat;
  dec *acc;       /* [naccs] */
  int overflow;   /* a sum went past the decimals' range */
  pop_pool *pools; /* [naudits] */
  pop_entry *ent;
  size_t nent, cap;
  int64_t *ties;   /* [nent × nquotas] each quota's tie value per entry */
  long nrank;
  int32_t lowest;  /* the lowest level an enforced quota holds (-1: none) */
  int32_t *forced; /* [nrank] after pop_rank_finish */
  long *demoted;   /* [nquotas] */
  long *at_level;  /* [nquotas] records at the quota's level after it */
};

static long pop_slot(const prog *p, int32_t level) { return level < 0 ? (long)p->nlevels + 1 : level; }

static int32_t pop_lowest_quota(const prog *p) {
  int32_t low = -1;
  for (uint32_t q = 0; q < p->nquotas; q++)
    if ((p->quotas[q].flags & TBC_Q_ENFORCE) && (int32_t)p->quotas[q].level > low) low = (int32_t)p->quotas[q].level;
  return low;
}

pop *pop_new(const prog *p) {
  pop *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->p = p;
  s->ncat = p->category != TBC_NONE ? p->inputs[p->category].nvals : 0;
  s->lowest = pop_lowest_quota(p);
  s->levels = calloc(p->nlevels + 2, sizeof *s->levels);
  s->by_cat = calloc((size_t)(s->ncat ? s->ncat : 1) * (p->nlevels + 2), sizeof *s->by_cat);
  s->acc = calloc(p->naccs ? p->naccs : 1, sizeof *s->acc);
  s->pools = calloc(p->naudits ? p->naudits : 1, sizeof *s->pools);
  s->demoted = calloc(p->nquotas ? p->nquotas : 1, sizeof *s->demoted);
  s->at_level = calloc(p->nquotas ? p->nquotas : 1, sizeof *s->at_level);
  if (!s->levels || !s->by_cat || !s->acc || !s->pools || !s->demoted || !s->at_level) {
    pop_free(s);
    return NULL;
  }
  return s;
}

void pop_free(pop *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nent; i++) free(s->ent[i].key);
  free(s->ent);
  free(s->ties);
  for (uint32_t a = 0; s->pools && a < s->p->naudits; a++) {
    for (size_t i = 0; i < s->pools[a].n; i++) free(s->pools[a].keys[i]);
    free(s->pools[a].keys);
    free(s->pools[a].rows);
    free(s->pools[a].hash);
  }
  free(s->pools);
  free(s->levels);
  free(s->by_cat);
  free(s->acc);
  free(s->forced);
  free(s->demoted);
  free(s->at_level);
  free(s);
}

int pop_needs_ranking(const prog *p) {
  for (uint32_t q = 0; q < p->nquotas; q++)
    if (p->quotas[q].flags & TBC_Q_ENFORCE) return 1;
  return 0;
}

/* ---- quotas ------------------------------------------------------------- */


int pop_rank_add(pop *s, long seq, const vm_result *r, const int64_t *slots, const char *key) {
  const prog *p = s->p;
  s->nrank = seq + 1;
  /* only records at or above the lowest enforced quota's level can be moved */
  if (r->capped_level < 0 || r->capped_level > s->lowest) return 0;
  size_t nq = p->nquotas;
  if (s->nent == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    pop_entry *e = realloc(s->ent, cap * sizeof *e);
    if (!e) return -1;
    s->ent = e;
    int64_t *t = realloc(s->ties, cap * nq * sizeof *t);
    if (!t) return -1;
    s->ties = t;
    s->cap = cap;
  }
  /* each quota's tie-break value: its `ties by` input (a text input, the
   * key, ranks by the key below) */
  for (size_t q = 0; q < nq; q++) {
    uint32_t ti = p->quotas[q].ties;
    s->ties[s->nent * nq + q] = ti != TBC_NONE && p->inputs[ti].type != TBC_T_TEXT ? slots[ti] : 0;
  }
  pop_entry *e = &s->ent[s->nent];
  e->score = r->total;
  e->seq = seq;
  e->level = r->capped_level;
  e->moved_by = -1;
  e->key = strdup(key ? key : "");
  if (!e->key) return -1;
  e->tie = 0;
  s->nent++;
  return 0;
}

/* Higher score first; then the tie field, smaller first; then the key; then
 * the row: a total order, so the result never depends on the sort. */
static int pop_cmp(const void *x, const void *y) {
  const pop_entry *a = *(pop_entry *const *)x, *b = *(pop_entry *const *)y;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (a->tie != b->tie) return a->tie < b->tie ? -1 : 1;
  int c = strcmp(a->key, b->key);
  if (c) return c;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The level below a level: the next one, the else level, or none. */
static int32_t pop_below(const prog *p, int32_t level) {
  if (level + 1 < (int32_t)p->nlevels) return level + 1;
  if (level + 1 == (int32_t)p->nlevels && p->else_name) return (int32_t)p->nlevels;
  return -1;
}

/* The most records a quota lets through: floor(share × records / 100). */
static long pop_quota_cap(const prog_quota *q, long n) {
  __int128 c = (__int128)q->share * n / DEC_INT(100);
  return (long)c;
}

int pop_rank_finish(pop *s) {
  const prog *p = s->p;
  s->forced = malloc((size_t)(s->nrank ? s->nrank : 1) * sizeof *s->forced);
  pop_entry **order = malloc((s->nent ? s->nent : 1) * sizeof *order);
  if (!s->forced || !order) {
    free(order);
    return -1;
  }
  for (long i = 0; i < s->nrank; i++) s->forced[i] = -2;
  /* highest level first, so that records moved down meet the next quota */
  for (uint32_t pass = 0; pass <= p->nlevels; pass++)
    for (uint32_t qi = 0; qi < p->nquotas; qi++) {
      const prog_quota *q = &p->quotas[qi];
      if (q->level != pass || !(q->flags & TBC_Q_ENFORCE)) continue;
      size_t n = 0;
      for (size_t i = 0; i < s->nent; i++)
        if (s->ent[i].level == (int32_t)q->level) {
          s->ent[i].tie = s->ties[i * p->nquotas + qi]; /* this quota's tie-break, for pop_cmp */
          order[n++] = &s->ent[i];
        }
      qsort(order, n, sizeof *order, pop_cmp);
      long cap = pop_quota_cap(q, s->nrank);
      for (size_t i = (size_t)cap; i < n; i++) {
        order[i]->level = pop_below(p, (int32_t)q->level);
        order[i]->moved_by = (int32_t)qi;
        s->forced[order[i]->seq] = order[i]->level;
        s->demoted[qi]++;
      }
    }
  free(order);
  return 0;
}

long pop_demoted(const pop *s, uint32_t q) { return q < s->p->nquotas ? s->demoted[q] : 0; }

int32_t pop_forced(const pop *s, long seq) {
  return s->forced && seq >= 0 && seq < s->nrank ? s->forced[seq] : -2;
}

/* ---- the second pass ---------------------------------------------------- */

static uint64_t pop_hash(uint64_t seed, const char *key, long row) {
  uint8_t buf[8];
  for (int i = 0; i < 8; i++) buf[i] = (uint8_t)(seed >> (8 * i));
  uint64_t h = tbc_fnv1a(buf, 8);
  char rowbuf[24];
  if (!key || !*key) {
    snprintf(rowbuf, sizeof rowbuf, "#%ld", row);
    key = rowbuf;
  }
  /* FNV-1a continued over the key */
  for (const unsigned char *c = (const unsigned char *)key; *c; c++) h = (h ^ *c) * 0x100000001b3ull;
  return h;
}

int pop_add(pop *s, long row, const vm_result *r, const int64_t *slots, const char *key) {
  const prog *p = s->p;
  s->nscored++;
  long slot = pop_slot(p, r->level);
  s->levels[slot]++;
  if (s->ncat) {
    int64_t c = slots[p->category];
    if (c >= 0 && c < s->ncat) s->by_cat[c * (p->nlevels + 2) + slot]++;
  }
  for (uint32_t q = 0; q < p->nquotas; q++)
    if (r->level == (int32_t)p->quotas[q].level) s->at_level[q]++;
  for (uint32_t k = 0; k < p->naccs; k++)
    if (dec_add(s->acc[k], r->acc[k], &s->acc[k]) != DEC_OK) s->overflow = 1;
  for (uint32_t a = 0; a < p->naudits; a++) {
    if (!r->sampled[a]) continue;
    pop_pool *pl = &s->pools[a];
    if (pl->n == pl->cap) {
      size_t cap = pl->cap ? pl->cap * 2 : 64;
      char **k = realloc(pl->keys, cap * sizeof *k);
      if (!k) return -1;
      pl->keys = k;
      long *rw = realloc(pl->rows, cap * sizeof *rw);
      if (!rw) return -1;
      pl->rows = rw;
      uint64_t *h = realloc(pl->hash, cap * sizeof *h);
      if (!h) return -1;
      pl->hash = h;
      pl->cap = cap;
    }
    pl->keys[pl->n] = strdup(key ? key : "");
    if (!pl->keys[pl->n]) return -1;
    pl->rows[pl->n] = row;
    pl->hash[pl->n] = pop_hash(p->audits[a].seed, key, row);
    pl->n++;
  }
  return 0;
}

/* ---- the summary -------------------------------------------------------- */

static const char *pop_level_name(const prog *p, long slot) {
  if (slot == (long)p->nlevels + 1) return "none";
  if (slot == (long)p->nlevels) return p->else_name;
  return p->levels[slot].name;
}

/* n of total as a percentage with one decimal, exactly rounded half up. */
static void pop_pct(char *buf, size_t n, long part, long total) {
  if (!total) { snprintf(buf, n, "—"); return; }
  long t = (part * 2000 + total) / (2 * total); /* tenths of a percent */
  snprintf(buf, n, "%ld.%ld%%", t / 10, t % 10);
}

/* A target's value for the eye: a percentage (share, ratio) to three
 * decimals, rounded half up, or the count or sum.  Whether it is met is
 * decided on the exact fraction (pop_met), never on the rounded figure. */
static int pop_value(const pop *s, const prog_target *t, dec *v) {
  if (t->kind == TBC_TG_COUNT || t->kind == TBC_TG_SUM) {
    *v = s->acc[t->num];
    return 1;
  }
  dec den = s->acc[t->den];
  if (den == 0) return 0;
  __int128 n = (__int128)s->acc[t->num] * DEC_INT(100) * 2, d = (__int128)den * 2;
  __int128 x = n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
  if (x > DEC_LIMIT || x < -DEC_LIMIT) return 0;
  *v = (dec)x;
  return 1;
}

/* The exact comparison: num/den × 100 against the goal, cross-multiplied. */
static int pop_met(const pop *s, const prog_target *t) {
  __int128 lhs, rhs;
  if (t->kind == TBC_TG_COUNT || t->kind == TBC_TG_SUM) {
    lhs = s->acc[t->num];
    rhs = t->goal;
  } else {
    dec den = s->acc[t->den];
    if (den == 0) return 0;
    lhs = (__int128)s->acc[t->num] * DEC_INT(100);
    rhs = (__int128)t->goal * den;
    if (den < 0) { lhs = -lhs; rhs = -rhs; }
  }
  switch (t->cmp) {
  case TBC_CMP_EQ: return lhs == rhs;
  case TBC_CMP_NE: return lhs != rhs;
  case TBC_CMP_LT: return lhs < rhs;
  case TBC_CMP_LE: return lhs <= rhs;
  case TBC_CMP_GT: return lhs > rhs;
  default: return lhs >= rhs;
  }
}

int pop_target(const pop *s, uint32_t t, dec *value, int *met) {
  const prog_target *tg = &s->p->targets[t];
  if (!pop_value(s, tg, value)) return 0;
  *met = pop_met(s, tg);
  return 1;
}

typedef struct {
  uint64_t hash;
  long row;
  const char *key;
} pop_pick;

static int pop_pick_hash(const void *x, const void *y) {
  const pop_pick *a = x, *b = y;
  if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
  return a->row < b->row ? -1 : a->row > b->row;
}

static int pop_pick_row(const void *x, const void *y) {
  const pop_pick *a = x, *b = y;
  return a->row < b->row ? -1 : a->row > b->row;
}

static size_t pop_draw(const pop_pool *pl, const prog_audit *au, pop_pick *pk);

void pop_summary(FILE *f, const pop *s, long errors) {
  const prog *p = s->p;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ], pct[32];
  static const char *const cmp[] = {"=", "≠", "<", "≤", ">", "≥"};
  fprintf(f, "%s%s%s\n", p->title, p->document ? "  " : "", p->document ? p->document : "");
  fprintf(f, "%ld record%s scored, %ld error row%s\n", s->nscored, s->nscored == 1 ? "" : "s", errors,
          errors == 1 ? "" : "s");
  long nslots = (long)p->nlevels + 2;
  if (p->rating_title) {
    fprintf(f, "\n%s\n", p->rating_title);
    size_t w = 4;
    for (long l = 0; l < nslots; l++) {
      const char *name = pop_level_name(p, l);
      if (name && txt_width(name, strlen(name)) > w) w = txt_width(name, strlen(name));
    }
    for (long l = 0; l < nslots; l++) {
      const char *name = pop_level_name(p, l);
      if (!name) continue;
      pop_pct(pct, sizeof pct, s->levels[l], s->nscored);
      fputs("  ", f);
      txt_pad(f, name, w, 0);
      fprintf(f, "  %6ld  %7s\n", s->levels[l], pct);
    }
    if (s->ncat) {
      const prog_input *in = &p->inputs[p->category];
      fprintf(f, "\nby %s\n", in->label);
      size_t wc = 4;
      for (uint32_t c = 0; c < s->ncat; c++)
        if (txt_width(in->val_label[c], strlen(in->val_label[c])) > wc) wc = txt_width(in->val_label[c], strlen(in->val_label[c]));
      fputs("  ", f);
      txt_pad(f, "", wc, 0);
      for (long l = 0; l < nslots; l++)
        if (pop_level_name(p, l)) {
          fputs("  ", f);
          txt_pad(f, pop_level_name(p, l), 6, 1);
        }
      fputc('\n', f);
      for (uint32_t c = 0; c < s->ncat; c++) {
        fputs("  ", f);
        txt_pad(f, in->val_label[c], wc, 0);
        for (long l = 0; l < nslots; l++)
          if (pop_level_name(p, l)) {
            char n[24];
            snprintf(n, sizeof n, "%ld", s->by_cat[c * nslots + l]);
            size_t lw = txt_width(pop_level_name(p, l), strlen(pop_level_name(p, l)));
            fputs("  ", f);
            txt_pad(f, n, lw > 6 ? lw : 6, 1);
          }
        fputc('\n', f);
      }
    }
  }
  if (p->nquotas) {
    fputs("\nquotas\n", f);
    for (uint32_t q = 0; q < p->nquotas; q++) {
      const prog_quota *qu = &p->quotas[q];
      long cap = pop_quota_cap(qu, s->nscored);
      const char *name = pop_level_name(p, qu->level);
      fprintf(f, "  %s at most %s%% of %ld records: at most %ld", name, dec_format(qu->share, b1), s->nscored, cap);
      if (qu->flags & TBC_Q_ENFORCE) {
        fprintf(f, "; enforced: %ld %s, ", s->at_level[q], name);
        const char *below = pop_level_name(p, pop_slot(p, pop_below(p, (int32_t)qu->level)));
        fprintf(f, "%ld moved down to %s (ranked by score", s->demoted[q], below ? below : "none");
        if (qu->ties != TBC_NONE) fprintf(f, ", then %s", p->inputs[qu->ties].label);
        fputs(", then name)\n", f);
        /* who, in the order of the file: an officer checks these first */
        long shown = 0;
        for (size_t i = 0; i < s->nent; i++) {
          if (s->ent[i].moved_by != (int32_t)q) continue;
          if (shown++ == 50) {
            fprintf(f, "    … and %ld more\n", s->demoted[q] - 50);
            break;
          }
          fprintf(f, "    %s  %s\n", s->ent[i].key, dec_format(s->ent[i].score, b1));
        }
      } else {
        fprintf(f, "; reported: %ld %s — %s\n", s->at_level[q], name, s->at_level[q] > cap ? "over the quota" : "within it");
      }
    }
  }
  if (p->ntargets) {
    fputs("\ntargets\n", f);
    if (s->overflow) fputs("  (a sum went past the range of decimals; the sums below are not exact)\n", f);
    for (uint32_t t = 0; t < p->ntargets; t++) {
      const prog_target *tg = &p->targets[t];
      dec v = 0;
      int have = pop_value(s, tg, &v);
      int pctk = tg->kind == TBC_TG_SHARE || tg->kind == TBC_TG_RATIO;
      fprintf(f, "  %s %s\n", have && pop_met(s, tg) ? "met    " : "not met", tg->text);
      if (have)
        fprintf(f, "          %s%s, goal %s %s%s", dec_format(v, b1), pctk ? "%" : "", cmp[tg->cmp], dec_format(tg->goal, b2),
                pctk ? "%" : "");
      else
        fprintf(f, "          no records to take it over, goal %s %s%s", cmp[tg->cmp], dec_format(tg->goal, b2), pctk ? "%" : "");
      if (tg->kind == TBC_TG_SHARE)
        fprintf(f, " (%s of %s)", dec_format(s->acc[tg->num], b1), dec_format(s->acc[tg->den], b2));
      else if (tg->kind == TBC_TG_RATIO)
        fprintf(f, " (%s / %s)", dec_format(s->acc[tg->num], b1), dec_format(s->acc[tg->den], b2));
      fprintf(f, "  [%s]\n", tg->source);
    }
  }
  for (uint32_t a = 0; a < p->naudits; a++) {
    const prog_audit *au = &p->audits[a];
    const pop_pool *pl = &s->pools[a];
    pop_pick *pk = malloc((pl->n ? pl->n : 1) * sizeof *pk);
    if (!pk) continue;
    /* at least the share, rounded up: a 5% sample of 41 is 3 */
    size_t k = pop_draw(pl, au, pk);
    fprintf(f, "\naudit: %s\n  sample %s%% of %zu record%s %s: %zu (seed %llu)\n", au->text, dec_format(au->share, b1), pl->n,
            pl->n == 1 ? "" : "s", au->source, k, (unsigned long long)au->seed);
    for (size_t i = 0; i < k; i++) fprintf(f, "  row %-6ld %s\n", pk[i].row, pk[i].key);
    free(pk);
  }
}

/* ---- the summary as JSON -------------------------------------------------- */

static void pop_json_str_or_null(FILE *f, const char *s) {
  if (s) out_json_str(f, s);
  else fputs("null", f);
}

/* The k records an audit draws, in the order of the file (pk: the pool). */
static size_t pop_draw(const pop_pool *pl, const prog_audit *au, pop_pick *pk) {
  __int128 want = ((__int128)au->share * (long)pl->n + DEC_INT(100) - 1) / DEC_INT(100);
  size_t k = (size_t)want;
  if (k > pl->n) k = pl->n;
  for (size_t i = 0; i < pl->n; i++) pk[i] = (pop_pick){pl->hash[i], pl->rows[i], pl->keys[i]};
  qsort(pk, pl->n, sizeof *pk, pop_pick_hash);
  qsort(pk, k, sizeof *pk, pop_pick_row);
  return k;
}

void pop_summary_json(FILE *f, const pop *s, long errors) {
  const prog *p = s->p;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  static const char *const cmp[] = {"==", "!=", "<", "<=", ">", ">="};
  long nslots = (long)p->nlevels + 2;
  fputs("{\"policy\":", f);
  out_json_str(f, p->id);
  fputs(",\"title\":", f);
  out_json_str(f, p->title);
  fputs(",\"document\":", f);
  pop_json_str_or_null(f, p->document);
  fprintf(f, ",\"scored\":%ld,\"errors\":%ld,\"levels\":[", s->nscored, errors);
  int first = 1;
  for (long l = 0; l < nslots; l++) {
    if (l == (long)p->nlevels && !p->else_name) continue;
    fprintf(f, "%s{\"level\":", first ? "" : ",");
    first = 0;
    pop_json_str_or_null(f, l == (long)p->nlevels + 1 ? NULL : pop_level_name(p, l));
    fprintf(f, ",\"count\":%ld}", s->levels[l]);
  }
  fputc(']', f);
  if (s->ncat) {
    const prog_input *in = &p->inputs[p->category];
    fputs(",\"by_category\":{\"input\":", f);
    out_json_str(f, in->name);
    fputs(",\"values\":[", f);
    for (uint32_t c = 0; c < s->ncat; c++) {
      fprintf(f, "%s{\"value\":", c ? "," : "");
      out_json_str(f, in->val_name[c]);
      fputs(",\"label\":", f);
      out_json_str(f, in->val_label[c]);
      fputs(",\"levels\":[", f);
      first = 1;
      for (long l = 0; l < nslots; l++) {
        if (l == (long)p->nlevels && !p->else_name) continue;
        fprintf(f, "%s%ld", first ? "" : ",", s->by_cat[c * nslots + l]);
        first = 0;
      }
      fputs("]}", f);
    }
    fputs("]}", f);
  }
  fputs(",\"quotas\":[", f);
  for (uint32_t q = 0; q < p->nquotas; q++) {
    const prog_quota *qu = &p->quotas[q];
    fprintf(f, "%s{\"level\":", q ? "," : "");
    out_json_str(f, pop_level_name(p, qu->level));
    fprintf(f, ",\"share\":%s,\"enforce\":%s,\"cap\":%ld,\"at_level\":%ld,\"moved\":[", dec_format(qu->share, b1),
            qu->flags & TBC_Q_ENFORCE ? "true" : "false", pop_quota_cap(qu, s->nscored), s->at_level[q]);
    first = 1;
    for (size_t i = 0; i < s->nent; i++) {
      if (s->ent[i].moved_by != (int32_t)q) continue;
      fprintf(f, "%s{\"id\":", first ? "" : ",");
      first = 0;
      out_json_str(f, s->ent[i].key);
      fprintf(f, ",\"score\":%s}", dec_format(s->ent[i].score, b1));
    }
    fputs("]}", f);
  }
  fputs("],\"targets\":[", f);
  for (uint32_t t = 0; t < p->ntargets; t++) {
    const prog_target *tg = &p->targets[t];
    dec v = 0;
    int have = pop_value(s, tg, &v);
    fprintf(f, "%s{\"text\":", t ? "," : "");
    out_json_str(f, tg->text);
    fputs(",\"rule\":", f);
    out_json_str(f, tg->source);
    fprintf(f, ",\"value\":%s,\"cmp\":\"%s\",\"goal\":%s,\"met\":%s", have ? dec_format(v, b1) : "null", cmp[tg->cmp],
            dec_format(tg->goal, b2), have && pop_met(s, tg) ? "true" : "false");
    fprintf(f, ",\"numerator\":%s", dec_format(s->acc[tg->num], b1));
    if (tg->den != TBC_NONE) fprintf(f, ",\"denominator\":%s", dec_format(s->acc[tg->den], b2));
    fputc('}', f);
  }
  fputs("],\"audits\":[", f);
  for (uint32_t a = 0; a < p->naudits; a++) {
    const prog_audit *au = &p->audits[a];
    const pop_pool *pl = &s->pools[a];
    pop_pick *pk = malloc((pl->n ? pl->n : 1) * sizeof *pk);
    size_t k = pk ? pop_draw(pl, au, pk) : 0;
    fprintf(f, "%s{\"text\":", a ? "," : "");
    out_json_str(f, au->text);
    fprintf(f, ",\"share\":%s,\"seed\":%llu,\"pool\":%zu,\"sample\":[", dec_format(au->share, b1),
            (unsigned long long)au->seed, pl->n);
    for (size_t i = 0; i < k; i++) {
      fprintf(f, "%s{\"row\":%ld,\"id\":", i ? "," : "", pk[i].row);
      out_json_str(f, pk[i].key);
      fputc('}', f);
    }
    fputs("]}", f);
    free(pk);
  }
  fputs("]}\n", f);
}
