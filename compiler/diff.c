/* diff.c — compare two loaded programs, thing by thing (see diff.h).
 *
 * Matching comes first and decides everything: two things are "the same
 * thing, changed" or "one removed, one added".  Items are paired by text
 * similarity with a bonus for the same number (so a standard that inserts an
 * item and renumbers the rest shows one added item, not a cascade of
 * rewritten ones); rules inside a pair of items by their reason, then by
 * what they test; checks, vetoes and targets by their wording, then by
 * their condition.  Whatever is left over with the same number or as the
 * only one on each side is paired too: a rewritten item is still item 5.
 */
#include "diff.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/date.h"

/* ---- the list ---------------------------------------------------------------- */

static char *df_strdup(const char *s) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) abort();
  return d;
}

static char *df_fmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = malloc((size_t)n + 1);
  if (!s) abort();
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

void df_list_free(df_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    df_change *c = &l->v[i];
    free(c->table), free(c->section), free(c->item), free(c->name), free(c->field), free(c->words);
    free(c->old), free(c->new_), free(c->text_old), free(c->text_new);
  }
  free(l->v);
  memset(l, 0, sizeof *l);
}

size_t df_count(const df_list *l) {
  size_t n = 0;
  for (size_t i = 0; i < l->n; i++) n += !l->v[i].implied;
  return n;
}

/* Where the changes being made are: the comparison's running context. */
typedef struct {
  const prog *a, *b;
  df_list *out;
  const char *table, *section, *item;
  char label[96]; /* "item 3", or "item 3 (was item 2)" when renumbered */
  /* inputs renamed (label kept): the old side's text is read with the new
   * names, so that a rule testing a renamed input is not a changed rule */
  const char **ren_old, **ren_new;
  size_t nren;
} df_ctx;

static int df_ident(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* The old side's text with the renamed inputs' new names (outside strings). */
static char *df_ren(const df_ctx *x, const char *s) {
  size_t cap = strlen(s) + 1;
  for (size_t k = 0; k < x->nren; k++) cap += strlen(x->ren_new[k]) * (strlen(s) / (strlen(x->ren_old[k]) + 1) + 1);
  char *o = malloc(cap), *w = o;
  if (!o) abort();
  while (*s) {
    if (*s == '"') { /* a string, with its escapes, as it is */
      *w++ = *s++;
      while (*s && *s != '"') {
        if (*s == '\\' && s[1]) *w++ = *s++;
        *w++ = *s++;
      }
      if (*s) *w++ = *s++;
    } else if (df_ident(*s) && !(*s >= '0' && *s <= '9')) {
      const char *e = s;
      while (df_ident(*e)) e++;
      const char *to = NULL;
      for (size_t k = 0; k < x->nren && !to; k++)
        if (strlen(x->ren_old[k]) == (size_t)(e - s) && !memcmp(x->ren_old[k], s, (size_t)(e - s))) to = x->ren_new[k];
      if (to) w += sprintf(w, "%s", to);
      else memcpy(w, s, (size_t)(e - s)), w += e - s;
      s = e;
    } else if (df_ident(*s)) { /* a number: its digits and letters together */
      while (df_ident(*s)) *w++ = *s++;
    } else *w++ = *s++;
  }
  *w = 0;
  return o;
}

/* Whether an old text and a new one say the same, renamed inputs aside. */
static int df_same(const df_ctx *x, const char *old, const char *new_) {
  if (!old || !new_) return old == new_;
  if (!x->nren) return !strcmp(old, new_);
  char *r = df_ren(x, old);
  int same = !strcmp(r, new_);
  free(r);
  return same;
}

/* Add a change; words is taken over (it was made by df_fmt). */
static df_change *df_add(df_ctx *x, int what, int op, const char *name, const char *field, char *words) {
  df_list *l = x->out;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 32;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) abort();
  }
  df_change *c = &l->v[l->n++];
  memset(c, 0, sizeof *c);
  c->what = (uint8_t)what;
  c->op = (uint8_t)op;
  c->table = df_strdup(x->table);
  c->section = df_strdup(x->section);
  c->item = df_strdup(x->item);
  c->name = df_strdup(name);
  c->field = df_strdup(field);
  c->words = words;
  return c;
}

static void df_lang(df_change *c, const char *old, const char *new_) {
  c->old = df_strdup(old);
  c->new_ = df_strdup(new_);
}

static void df_wording(df_change *c, const char *old, const char *new_) {
  c->text_old = df_strdup(old);
  c->text_new = df_strdup(new_);
}

static int df_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return !strcmp(a, b);
}

static const char *df_num(dec d, char *buf) { return dec_format(d, buf); }

/* "1 point", "2.5 points" */
static const char *df_points(dec d) { return d == DEC_INT(1) ? "point" : "points"; }

/* ---- pairing ----------------------------------------------------------------
 * Candidates with a score; the best pairs first, each thing in one pair. */

typedef struct {
  uint32_t a, b;
  int score;
} df_cand;

static int df_cand_cmp(const void *x, const void *y) {
  const df_cand *p = x, *q = y;
  if (p->score != q->score) return p->score > q->score ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return p->b < q->b ? -1 : (p->b > q->b);
}

typedef struct {
  df_cand *v;
  size_t n, cap;
} df_cands;

static void df_cand_add(df_cands *c, uint32_t a, uint32_t b, int score) {
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 64;
    c->v = realloc(c->v, c->cap * sizeof *c->v);
    if (!c->v) abort();
  }
  c->v[c->n++] = (df_cand){a, b, score};
}

/* pa[i] = the b paired with a's i-th (or -1), pb likewise. */
static void df_take(df_cands *c, long *pa, long *pb) {
  if (c->n) qsort(c->v, c->n, sizeof *c->v, df_cand_cmp);
  for (size_t k = 0; k < c->n; k++)
    if (pa[c->v[k].a] < 0 && pb[c->v[k].b] < 0) {
      pa[c->v[k].a] = c->v[k].b;
      pb[c->v[k].b] = c->v[k].a;
    }
  free(c->v);
  memset(c, 0, sizeof *c);
}

static long *df_unpaired(size_t n) {
  long *p = malloc((n + 1) * sizeof *p);
  if (!p) abort();
  for (size_t i = 0; i < n; i++) p[i] = -1;
  return p;
}

/* Pair the still unpaired by a key function: equal keys, first come first. */
typedef const char *(*df_keyfn)(const void *ctx, uint32_t i);
static void df_pair_equal(const void *ca, size_t na, const void *cb, size_t nb, df_keyfn ka, df_keyfn kb, long *pa,
                          long *pb) {
  for (size_t i = 0; i < na; i++) {
    if (pa[i] >= 0) continue;
    const char *k = ka(ca, (uint32_t)i);
    if (!k) continue;
    for (size_t j = 0; j < nb; j++)
      if (pb[j] < 0 && df_eq(k, kb(cb, (uint32_t)j))) {
        pa[i] = (long)j;
        pb[j] = (long)i;
        break;
      }
  }
}

/* Pair by wording similarity, at least half alike. */
static void df_pair_similar(const void *ca, size_t na, const void *cb, size_t nb, df_keyfn ka, df_keyfn kb, long *pa,
                            long *pb) {
  df_cands c = {0};
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; pa[i] < 0 && j < nb; j++)
      if (pb[j] < 0 && ka(ca, (uint32_t)i) && kb(cb, (uint32_t)j)) {
        int s = df_similarity(ka(ca, (uint32_t)i), kb(cb, (uint32_t)j));
        if (s >= 500) df_cand_add(&c, (uint32_t)i, (uint32_t)j, s);
      }
  df_take(&c, pa, pb);
}

/* The last one left on each side is the same thing, changed. */
static void df_pair_last(size_t na, size_t nb, long *pa, long *pb) {
  long ia = -1, ib = -1;
  size_t ua = 0, ub = 0;
  for (size_t i = 0; i < na; i++)
    if (pa[i] < 0) ua++, ia = (long)i;
  for (size_t j = 0; j < nb; j++)
    if (pb[j] < 0) ub++, ib = (long)j;
  if (ua == 1 && ub == 1) {
    pa[ia] = ib;
    pb[ib] = ia;
  }
}

/* ---- words --------------------------------------------------------------------- */

static const char *df_rule_kind(uint8_t kind) {
  switch (kind) {
  case TBC_R_DEDUCT: return "deduction";
  case TBC_R_DEDUCT_PER: return "deduction per unit";
  case TBC_R_AWARD: return "award";
  case TBC_R_AWARD_PER: return "award per unit";
  default: return "zero rule";
  }
}

/* A string as the language writes it: quoted, with \" \\ \n \t. */
static char *df_q(const char *s) {
  size_t n = 3;
  for (const char *c = s; *c; c++) n += 2;
  char *q = malloc(n), *o = q;
  if (!q) abort();
  *o++ = '"';
  for (; *s; s++) {
    if (*s == '\n') *o++ = '\\', *o++ = 'n';
    else if (*s == '\t') *o++ = '\\', *o++ = 't';
    else {
      if (*s == '"' || *s == '\\') *o++ = '\\';
      *o++ = *s;
    }
  }
  *o++ = '"';
  *o = 0;
  return q;
}

/* A line of the language: fmt's first %s is the string s, quoted, its
 * second the condition src ("check %s %s", "%s if %s"). */
static char *df_with(const char *fmt, const char *s, const char *src) {
  char *q = df_q(s);
  char *line = df_fmt(fmt, q, src);
  free(q);
  return line;
}

/* A rule as the language writes it, with its reason. */
static char *df_rule_text(const prog_rule *r) {
  char *q = df_q(r->reason);
  char *line = df_fmt("%s %s", r->source, q);
  free(q);
  return line;
}

/* What a rule tests, without its verb, points and maximum: "unless x",
 * "per started 1 of 90 - rate". */
static char *df_rule_test(const prog_rule *r) {
  const char *s = r->source;
  while (*s && *s != ' ') s++; /* the verb */
  if (r->kind != TBC_R_ZERO) {
    while (*s == ' ') s++;
    while (*s && *s != ' ') s++; /* the points */
  }
  while (*s == ' ') s++;
  char *t = df_strdup(s);
  if (r->flags & TBC_RF_MAX) {
    char *m = strstr(t, " max ");
    if (m) {
      char *e = m + 5;
      while (*e && *e != ' ') e++;
      memmove(m, e, strlen(e) + 1);
    }
  }
  return t;
}

/* "score >= 90" → 90 */
static int df_threshold(const char *src, dec *k) {
  if (strncmp(src, "score >= ", 9)) return 0;
  const char *n = src + 9;
  return dec_parse(n, strlen(n), k) == DEC_OK;
}


static const char *df_type(const prog_input *in) { return prog_type_name(in->type); }

/* An input's value in its type's representation, as written. */
static char *df_value(const prog_input *in, int64_t v) {
  char b[DEC_BUFSZ];
  switch (in->type) {
  case TBC_T_BOOL: return df_strdup(v ? "yes" : "no");
  case TBC_T_ENUM: return df_strdup(v >= 0 && (uint64_t)v < in->nvals ? in->val_name[v] : "?");
  case TBC_T_DATE: {
    if (v == TBC_DATE_NONE) return df_strdup("none");
    char d[DATE_BUFSZ];
    date_format(v, d);
    return df_strdup(d);
  }
  case TBC_T_PERCENT: return df_fmt("%s%%", dec_format(v, b));
  default: return df_strdup(dec_format(v, b));
  }
}

/* ---- the policy and its inputs ---------------------------------------------- */

static void df_header_field(df_ctx *x, const char *field, const char *old, const char *new_, int wording) {
  if (df_eq(old, new_)) return;
  df_change *c = df_add(x, DF_POLICY, DF_CHANGED, NULL, field,
                        df_fmt("%s: %s → %s", field, old ? old : "none", new_ ? new_ : "none"));
  if (wording && old && new_) {
    free(c->words);
    c->words = df_fmt("%s: wording changed", field);
    df_wording(c, old, new_);
  }
}

static char *df_date(int32_t d) {
  if (d == INT32_MIN) return NULL;
  char b[DATE_BUFSZ];
  date_format(d, b);
  return df_strdup(b);
}

static void df_header(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  df_header_field(x, "id", a->id, b->id, 0);
  df_header_field(x, "title", a->title, b->title, 1);
  df_header_field(x, "issuer", a->issuer, b->issuer, 0);
  df_header_field(x, "document", a->document, b->document, 0);
  if (a->scale != b->scale) df_header_field(x, "scale", df_num(a->scale, b1), df_num(b->scale, b2), 0);
  char *ea = df_date(a->effective), *eb = df_date(b->effective);
  df_header_field(x, "effective", ea, eb, 0);
  free(ea), free(eb);
  ea = df_date(a->as_of), eb = df_date(b->as_of);
  df_header_field(x, "as of", ea, eb, 0);
  free(ea), free(eb);
  df_header_field(x, "key", a->key == TBC_NONE ? NULL : a->inputs[a->key].name,
                  b->key == TBC_NONE ? NULL : b->inputs[b->key].name, 0);
  df_header_field(x, "category", a->category == TBC_NONE ? NULL : a->inputs[a->category].name,
                  b->category == TBC_NONE ? NULL : b->inputs[b->category].name, 0);
}

static long df_input_named(const prog *p, const char *name) {
  for (uint32_t i = 0; i < p->ninputs; i++)
    if (!strcmp(p->inputs[i].name, name)) return i;
  return -1;
}

static char *df_input_decl(const prog_input *in) {
  char *lo = NULL, *hi = NULL, *def = NULL;
  if (in->flags & TBC_IN_MIN) lo = df_value(in, in->min);
  if (in->flags & TBC_IN_MAX) hi = df_value(in, in->max);
  if (in->flags & TBC_IN_DEFAULT) def = df_value(in, in->def);
  char *vals = NULL;
  if (in->type == TBC_T_ENUM) {
    /* each value with its label, as the input block writes them */
    size_t cap = 16;
    for (uint32_t k = 0; k < in->nvals; k++) cap += strlen(in->val_name[k]) + 2 * strlen(in->val_label[k]) + 6;
    vals = malloc(cap);
    if (!vals) abort();
    strcpy(vals, "(");
    for (uint32_t k = 0; k < in->nvals; k++) {
      char *q = df_q(in->val_label[k]);
      if (k) strcat(vals, ", ");
      strcat(vals, in->val_name[k]);
      strcat(vals, " ");
      strcat(vals, q);
      free(q);
    }
    strcat(vals, ")");
  }
  char *label = df_q(in->label);
  char *s = df_fmt("%s %s%s %s%s%s%s%s%s%s%s", in->name, df_type(in), vals ? vals : "", label,
                   lo || hi ? " range " : "", lo ? lo : "", lo || hi ? ".." : "", hi ? hi : "",
                   def ? " default " : "", def ? def : "", in->flags & TBC_IN_KEY ? " key" : "");
  free(lo), free(hi), free(def), free(vals), free(label);
  return s;
}

/* An input gone by name whose label a new input has: the same column,
 * renamed in the policy (records are read by name or by label). */
static long df_input_renamed(const prog *a, const prog *b, const prog_input *ib) {
  for (uint32_t i = 0; i < a->ninputs; i++)
    if (!strcmp(a->inputs[i].label, ib->label) && df_input_named(b, a->inputs[i].name) < 0) return i;
  return -1;
}

static void df_inputs(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  uint8_t *renamed = calloc(a->ninputs + 1, 1);
  x->ren_old = calloc(b->ninputs + 1, sizeof *x->ren_old);
  x->ren_new = calloc(b->ninputs + 1, sizeof *x->ren_new);
  if (!renamed || !x->ren_old || !x->ren_new) abort();
  for (uint32_t j = 0; j < b->ninputs; j++) {
    const prog_input *ib = &b->inputs[j];
    long i = df_input_named(a, ib->name), r = i < 0 ? df_input_renamed(a, b, ib) : -1;
    char *db = df_input_decl(ib);
    if (r >= 0) {
      renamed[r] = 1;
      x->ren_old[x->nren] = a->inputs[r].name;
      x->ren_new[x->nren++] = ib->name;
      const prog_input *ia = &a->inputs[r];
      df_change *c = df_add(x, DF_INPUT, DF_CHANGED, ib->name, "name",
                            df_fmt("input %s renamed to %s%s: the column \"%s\" reads as before", ia->name, ib->name,
                                   ia->type != ib->type ? " (and its type changed)" : "", ib->label));
      char *da = df_input_decl(ia);
      df_lang(c, da, db);
      free(da);
    } else if (i < 0) {
      const char *why = ib->flags & TBC_IN_DEFAULT ? "a new column; a blank cell takes its default"
                                                   : "a new column that evaluators must now collect";
      df_change *c = df_add(x, DF_INPUT, DF_ADDED, ib->name, NULL, df_fmt("input %s \"%s\" added: %s", ib->name, ib->label, why));
      df_lang(c, NULL, db);
    } else {
      const prog_input *ia = &a->inputs[i];
      char *da = df_input_decl(ia);
      if (strcmp(da, db)) {
        const char *what = ia->type != ib->type || ia->nvals != ib->nvals ? "type changed"
                           : strcmp(ia->label, ib->label) ? "label changed"
                                                          : "range or default changed";
        if (ia->type == ib->type && ia->type == TBC_T_ENUM && ia->nvals == ib->nvals) {
          for (uint32_t k = 0; k < ia->nvals && !strcmp(what, "range or default changed"); k++)
            if (strcmp(ia->val_label[k], ib->val_label[k])) what = "a value's label changed";
          for (uint32_t k = 0; k < ia->nvals; k++)
            if (strcmp(ia->val_name[k], ib->val_name[k])) what = "values changed";
        }
        df_change *c = df_add(x, DF_INPUT, DF_CHANGED, ib->name, NULL, df_fmt("input %s: %s", ib->name, what));
        df_lang(c, da, db);
        if (strcmp(ia->label, ib->label)) df_wording(c, ia->label, ib->label);
      }
      free(da);
    }
    free(db);
  }
  for (uint32_t i = 0; i < a->ninputs; i++) {
    const prog_input *ia = &a->inputs[i];
    if (renamed[i] || df_input_named(b, ia->name) >= 0) continue;
    char *da = df_input_decl(ia);
    df_change *c = df_add(x, DF_INPUT, DF_REMOVED, ia->name, NULL,
                          df_fmt("input %s \"%s\" removed: evaluators no longer need this column", ia->name, ia->label));
    df_lang(c, da, NULL);
    free(da);
  }
  free(renamed);
}

/* ---- rules of one item ------------------------------------------------------ */

typedef struct {
  const prog *p;
  uint32_t first;
  char **test; /* df_rule_test of each */
} df_rules;

static const char *df_key_rule_reason(const void *c, uint32_t i) {
  const df_rules *r = c;
  return r->p->rules[r->first + i].reason;
}
static const char *df_key_rule_test(const void *c, uint32_t i) {
  const df_rules *r = c;
  return r->test[i];
}

static void df_rule_pair(df_ctx *x, const prog_rule *ra, const prog_rule *rb, const char *ta, const char *tb) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  char parts[4][160];
  int np = 0;
  if (ra->kind != rb->kind)
    snprintf(parts[np++], sizeof parts[0], "%s → %s", df_rule_kind(ra->kind), df_rule_kind(rb->kind));
  if (ra->points != rb->points && ra->kind != TBC_R_ZERO && rb->kind != TBC_R_ZERO)
    snprintf(parts[np++], sizeof parts[0], "%s → %s %s", df_num(ra->points, b1), df_num(rb->points, b2), df_points(rb->points));
  if (ra->max != rb->max)
    snprintf(parts[np++], sizeof parts[0], "at most %s → %s %s", df_num(ra->max, b1), df_num(rb->max, b2), df_points(rb->max));
  if (!df_same(x, ta, tb) || ra->unit != rb->unit || (ra->flags & ~TBC_RF_MAX) != (rb->flags & ~TBC_RF_MAX))
    snprintf(parts[np++], sizeof parts[0], "%s", ra->kind == rb->kind && (ra->kind == TBC_R_DEDUCT_PER || ra->kind == TBC_R_AWARD_PER)
                                                    ? "what it counts changed" : "condition changed");
  int reason = strcmp(ra->reason, rb->reason) != 0;
  if (!np && !reason) return;
  char words[700];
  int n = snprintf(words, sizeof words, "%s: %s \"%s\"", x->label, df_rule_kind(rb->kind), rb->reason);
  for (int k = 0; k < np && n < (int)sizeof words; k++)
    n += snprintf(words + n, sizeof words - (size_t)n, "%s%s", k ? "; " : ": ", parts[k]);
  if (reason && n < (int)sizeof words) snprintf(words + n, sizeof words - (size_t)n, "%s", np ? "; wording changed" : ": wording changed");
  df_change *c = df_add(x, DF_RULE, DF_CHANGED, rb->reason, "rule", df_strdup(words));
  char *oa = df_rule_text(ra), *ob = df_rule_text(rb);
  df_lang(c, oa, ob);
  free(oa), free(ob);
  if (reason) df_wording(c, ra->reason, rb->reason);
}

static void df_rules_of(df_ctx *x, const prog_item *ia, const prog_item *ib) {
  const prog *a = x->a, *b = x->b;
  size_t na = ia ? ia->nrules : 0, nb = ib ? ib->nrules : 0;
  df_rules ra = {a, ia ? ia->first_rule : 0, calloc(na + 1, sizeof(char *))};
  df_rules rb = {b, ib ? ib->first_rule : 0, calloc(nb + 1, sizeof(char *))};
  if (!ra.test || !rb.test) abort();
  for (size_t i = 0; i < na; i++) ra.test[i] = df_rule_test(&a->rules[ra.first + i]);
  for (size_t j = 0; j < nb; j++) rb.test[j] = df_rule_test(&b->rules[rb.first + j]);
  long *pa = df_unpaired(na), *pb = df_unpaired(nb);
  /* the same rule word for word, then the same reason, then the same test */
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; pa[i] < 0 && j < nb; j++) {
      const prog_rule *p = &a->rules[ra.first + i], *q = &b->rules[rb.first + j];
      if (pb[j] < 0 && !strcmp(p->source, q->source) && !strcmp(p->reason, q->reason)) pa[i] = (long)j, pb[j] = (long)i;
    }
  df_pair_equal(&ra, na, &rb, nb, df_key_rule_reason, df_key_rule_reason, pa, pb);
  df_pair_equal(&ra, na, &rb, nb, df_key_rule_test, df_key_rule_test, pa, pb);
  df_pair_similar(&ra, na, &rb, nb, df_key_rule_reason, df_key_rule_reason, pa, pb);
  if (ia && ib) df_pair_last(na, nb, pa, pb);
  for (size_t j = 0; j < nb; j++) {
    const prog_rule *q = &b->rules[rb.first + j];
    if (pb[j] >= 0) {
      df_rule_pair(x, &a->rules[ra.first + pb[j]], q, ra.test[pb[j]], rb.test[j]);
    } else if (ia) { /* a new item's rules come with it */
      char b1[DEC_BUFSZ];
      df_change *c = df_add(x, DF_RULE, DF_ADDED, q->reason, "rule",
                            q->kind == TBC_R_ZERO ? df_fmt("%s: zero rule added: \"%s\"", x->label, q->reason)
                                                  : df_fmt("%s: %s added: \"%s\", %s %s", x->label, df_rule_kind(q->kind),
                                                           q->reason, df_num(q->points, b1), df_points(q->points)));
      char *t = df_rule_text(q);
      df_lang(c, NULL, t);
      free(t);
    }
  }
  for (size_t i = 0; i < na; i++) {
    if (pa[i] >= 0 || !ib) continue;
    const prog_rule *p = &a->rules[ra.first + i];
    char b1[DEC_BUFSZ];
    df_change *c = df_add(x, DF_RULE, DF_REMOVED, p->reason, "rule",
                          p->kind == TBC_R_ZERO ? df_fmt("%s: zero rule removed: \"%s\"", x->label, p->reason)
                                                : df_fmt("%s: %s removed: \"%s\", %s %s", x->label, df_rule_kind(p->kind),
                                                         p->reason, df_num(p->points, b1), df_points(p->points)));
    char *t = df_rule_text(p);
    df_lang(c, t, NULL);
    free(t);
  }
  for (size_t i = 0; i < na; i++) free(ra.test[i]);
  for (size_t j = 0; j < nb; j++) free(rb.test[j]);
  free(ra.test), free(rb.test), free(pa), free(pb);
}

/* ---- items and sections ---------------------------------------------------- */

/* The items of one scope: a table's (or the policy's own) sections. */
typedef struct {
  const prog *p;
  uint32_t table; /* TBC_NONE: the policy's own sections */
  uint32_t *items, nitems;
  uint32_t *sections, nsections;
} df_scope_items;

static void df_scope_init(df_scope_items *s, const prog *p, uint32_t table) {
  s->p = p;
  s->table = table;
  s->items = malloc((p->nitems + 1) * sizeof *s->items);
  s->sections = malloc((p->nsections + 1) * sizeof *s->sections);
  if (!s->items || !s->sections) abort();
  s->nitems = s->nsections = 0;
  for (uint32_t k = 0; k < p->nsections; k++) {
    if (p->sections[k].table != table) continue;
    s->sections[s->nsections++] = k;
    for (uint32_t i = 0; i < p->sections[k].nitems; i++) s->items[s->nitems++] = p->sections[k].first_item + i;
  }
}

static void df_scope_free(df_scope_items *s) {
  free(s->items);
  free(s->sections);
}


static const char *df_sec_title(const prog *p, const prog_item *it) { return p->sections[it->section].title; }

/* Two items that both have a key are the same item exactly when their
 * keys are equal: the policy says so, whatever the numbers and words. */
static int df_keys_differ(const prog_item *p, const prog_item *q) { return p->key && q->key && strcmp(p->key, q->key); }

static void df_pair_items(const df_scope_items *sa, const df_scope_items *sb, long *pa, long *pb) {
  const prog *a = sa->p, *b = sb->p;
  /* the same key */
  for (uint32_t i = 0; i < sa->nitems; i++) {
    const prog_item *p = &a->items[sa->items[i]];
    for (uint32_t j = 0; p->key && j < sb->nitems; j++) {
      const prog_item *q = &b->items[sb->items[j]];
      if (pb[j] < 0 && q->key && !strcmp(p->key, q->key)) {
        pa[i] = j, pb[j] = i;
        break;
      }
    }
  }
  /* the same number and the same text: surely the same item */
  for (uint32_t i = 0; i < sa->nitems; i++) {
    if (pa[i] >= 0) continue;
    const prog_item *p = &a->items[sa->items[i]];
    for (uint32_t j = 0; j < sb->nitems; j++) {
      const prog_item *q = &b->items[sb->items[j]];
      if (pb[j] < 0 && !df_keys_differ(p, q) && !strcmp(p->number, q->number) && !strcmp(p->text, q->text)) {
        pa[i] = j, pb[j] = i;
        break;
      }
    }
  }
  /* then by likeness of text, the same number and section counting for it;
   * a very large policy compares only same numbers and equal texts */
  int all = (uint64_t)sa->nitems * sb->nitems <= 40000;
  df_cands c = {0};
  for (uint32_t i = 0; i < sa->nitems; i++) {
    if (pa[i] >= 0) continue;
    const prog_item *p = &a->items[sa->items[i]];
    for (uint32_t j = 0; j < sb->nitems; j++) {
      if (pb[j] >= 0) continue;
      const prog_item *q = &b->items[sb->items[j]];
      if (df_keys_differ(p, q)) continue;
      int same_number = !strcmp(p->number, q->number);
      int same_text = !strcmp(p->text, q->text);
      if (!all && !same_number && !same_text) continue;
      int s = same_text ? 1000 : df_similarity(p->text, q->text);
      s += (same_number ? 250 : 0) + (!strcmp(df_sec_title(a, p), df_sec_title(b, q)) ? 50 : 0);
      if (s >= 500) df_cand_add(&c, i, j, s);
    }
  }
  df_take(&c, pa, pb);
  /* what is left with the same number is that item, rewritten: in one
   * standard (or two versions of it); between two standards, only if the
   * texts still have something in common */
  int one_standard = !strcmp(a->id, b->id);
  for (uint32_t i = 0; i < sa->nitems; i++) {
    if (pa[i] >= 0) continue;
    for (uint32_t j = 0; j < sb->nitems; j++)
      if (pb[j] < 0 && !df_keys_differ(&a->items[sa->items[i]], &b->items[sb->items[j]]) &&
          !strcmp(a->items[sa->items[i]].number, b->items[sb->items[j]].number) &&
          (one_standard || df_similarity(a->items[sa->items[i]].text, b->items[sb->items[j]].text) >= 300)) {
        pa[i] = j, pb[j] = i;
        break;
      }
  }
}

static char *df_item_line(const prog_item *it) {
  char b1[DEC_BUFSZ];
  char *text = df_q(it->text), *key = it->key ? df_q(it->key) : NULL;
  char *s = df_fmt("item %s %s %s%s%s%s%s", it->number, text, df_num(it->points, b1), key ? " key " : "", key ? key : "",
                   it->when ? " when " : "", it->when ? it->when : "");
  free(text);
  free(key);
  return s;
}

/* reused: the removed item's number is another item's in the new policy */
static void df_item_added(df_ctx *x, const prog_item *q, int added, int reused) {
  char b1[DEC_BUFSZ];
  const prog *p = added ? x->b : x->a;
  df_change *c = df_add(x, DF_ITEM, added ? DF_ADDED : DF_REMOVED, q->number, NULL,
                        df_fmt("%sitem %s %s: %s %s, %u rule%s", reused ? "old " : "", q->number, added ? "added" : "removed",
                               df_num(q->points, b1), df_points(q->points), q->nrules, q->nrules == 1 ? "" : "s"));
  char *line = df_item_line(q);
  df_lang(c, added ? NULL : line, added ? line : NULL);
  df_wording(c, added ? NULL : q->text, added ? q->text : NULL);
  /* its rules, in the language */
  size_t len = 0;
  for (uint32_t r = q->first_rule; r < q->first_rule + q->nrules; r++)
    len += strlen(p->rules[r].source) + strlen(p->rules[r].reason) + 8;
  char *all = malloc(len + 1);
  if (!all) abort();
  all[0] = 0;
  for (uint32_t r = q->first_rule; r < q->first_rule + q->nrules; r++) {
    char *t = df_rule_text(&p->rules[r]);
    strcat(all, t);
    if (r + 1 < q->first_rule + q->nrules) strcat(all, "\n");
    free(t);
  }
  if (q->nrules) {
    char *joined = df_fmt("%s\n%s", line, all);
    if (added) free(c->new_), c->new_ = joined;
    else free(c->old), c->old = joined;
  }
  free(line);
  free(all);
}

static void df_item_pair(df_ctx *x, const prog_item *p, const prog_item *q) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  const char *sa = df_sec_title(x->a, p), *sb = df_sec_title(x->b, q);
  if (strcmp(sa, sb))
    df_add(x, DF_ITEM, DF_CHANGED, q->number, "section",
           df_fmt("%s moved from section \"%s\" to \"%s\"", x->label, sa, sb));
  if (!df_eq(p->key, q->key)) { /* a name for the item, not what it scores */
    df_change *c = df_add(x, DF_ITEM, DF_CHANGED, q->number, "key",
                          q->key ? df_fmt("%s: key \"%s\" given", x->label, q->key) : df_fmt("%s: key \"%s\" dropped", x->label, p->key));
    c->implied = 1;
  }
  if (p->points != q->points)
    df_add(x, DF_ITEM, DF_CHANGED, q->number, "points",
           df_fmt("%s: %s → %s %s", x->label, df_num(p->points, b1), df_num(q->points, b2), df_points(q->points)));
  if (strcmp(p->text, q->text)) {
    df_change *c = df_add(x, DF_ITEM, DF_CHANGED, q->number, "text", df_fmt("%s: text changed", x->label));
    df_wording(c, p->text, q->text);
  }
  if (!df_same(x, p->when, q->when)) {
    df_change *c = df_add(x, DF_ITEM, DF_CHANGED, q->number, "when",
                          df_fmt("%s: %s", x->label, !p->when ? "now applies only when a condition holds"
                                                           : !q->when ? "now applies to every record"
                                                                      : "applies under another condition"));
    char *oa = p->when ? df_fmt("when %s", p->when) : NULL, *ob = q->when ? df_fmt("when %s", q->when) : NULL;
    df_lang(c, oa, ob);
    free(oa), free(ob);
  }
  df_rules_of(x, p, q);
}

/* Items only renumbered, one after another (a standard that inserted an
 * item): said once, "items 8–14 renumbered: were items 7–13". */
typedef struct {
  const char *old0, *new0, *old1, *new1;
  int n;
} df_run;

static int df_next_number(const char *prev, const char *next) {
  char *e1, *e2;
  long a = strtol(prev, &e1, 10), b = strtol(next, &e2, 10);
  return !*e1 && !*e2 && *prev && *next && b == a + 1;
}

static void df_run_flush(df_ctx *x, df_run *r) {
  if (!r->n) return;
  const char *item = x->item;
  x->item = r->new0;
  if (r->n == 1) df_add(x, DF_ITEM, DF_CHANGED, r->new0, "number", df_fmt("item %s renumbered: was item %s", r->new0, r->old0));
  else
    df_add(x, DF_ITEM, DF_CHANGED, r->new0, "number",
           df_fmt("items %s–%s renumbered: were items %s–%s", r->new0, r->new1, r->old0, r->old1));
  x->item = item;
  r->n = 0;
}

static void df_run_add(df_ctx *x, df_run *r, const char *old, const char *new_) {
  if (r->n && !(df_next_number(r->old1, old) && df_next_number(r->new1, new_))) df_run_flush(x, r);
  if (!r->n) r->old0 = old, r->new0 = new_;
  r->old1 = old, r->new1 = new_;
  r->n++;
}

static dec df_section_sum(const prog *p, uint32_t s) {
  dec t = 0;
  for (uint32_t i = 0; i < p->sections[s].nitems; i++) t += p->items[p->sections[s].first_item + i].points;
  return t;
}

static int df_number_in(const df_scope_items *s, const char *number) {
  for (uint32_t i = 0; i < s->nitems; i++)
    if (!strcmp(s->p->items[s->items[i]].number, number)) return 1;
  return 0;
}

static long df_section_titled(const df_scope_items *s, const char *title) {
  for (uint32_t k = 0; k < s->nsections; k++)
    if (!strcmp(s->p->sections[s->sections[k]].title, title)) return (long)s->sections[k];
  return -1;
}

/* Compare two scopes' sections and items.  Sections are matched by title;
 * a section's appearance or maximum that its items explain is implied. */
static void df_items(df_ctx *x, const df_scope_items *sa, const df_scope_items *sb) {
  const prog *a = x->a, *b = x->b;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  long *pa = df_unpaired(sa->nitems), *pb = df_unpaired(sb->nitems);
  df_pair_items(sa, sb, pa, pb);
  for (uint32_t k = 0; k < sb->nsections; k++) {
    uint32_t s = sb->sections[k];
    const prog_section *sec = &b->sections[s];
    x->section = sec->title;
    x->item = NULL;
    long os = df_section_titled(sa, sec->title);
    if (os < 0) {
      df_change *c = df_add(x, DF_SECTION, DF_ADDED, sec->title, NULL,
                            df_fmt("section \"%s\" added: %s %s, %u item%s", sec->title, df_num(sec->max, b1), df_points(sec->max),
                                   sec->nitems, sec->nitems == 1 ? "" : "s"));
      c->implied = sec->nitems > 0;
    } else if (a->sections[os].max != sec->max) {
      int explained = a->sections[os].max == df_section_sum(a, (uint32_t)os) && sec->max == df_section_sum(b, s);
      df_change *c = df_add(x, DF_SECTION, DF_CHANGED, sec->title, "max",
                            df_fmt("section \"%s\": %s → %s %s%s", sec->title, df_num(a->sections[os].max, b1),
                                   df_num(sec->max, b2), df_points(sec->max), explained ? " (its items' points add up to it)" : ""));
      c->implied = explained;
    }
    /* removed items that were in a section of this title */
    for (uint32_t i = 0; i < sa->nitems; i++) {
      const prog_item *p = &a->items[sa->items[i]];
      if (pa[i] >= 0 || strcmp(df_sec_title(a, p), sec->title)) continue;
      x->item = p->number;
      snprintf(x->label, sizeof x->label, "item %s", p->number);
      df_item_added(x, p, 0, df_number_in(sb, p->number));
    }
    df_run run = {0};
    for (uint32_t j = 0; j < sb->nitems; j++) {
      const prog_item *q = &b->items[sb->items[j]];
      if (q->section != s) continue;
      x->item = q->number;
      if (pb[j] < 0) {
        df_run_flush(x, &run);
        df_item_added(x, q, 1, 0);
        continue;
      }
      const prog_item *p = &a->items[sa->items[pb[j]]];
      int renumbered = strcmp(p->number, q->number) != 0;
      if (renumbered) snprintf(x->label, sizeof x->label, "item %s (was item %s)", q->number, p->number);
      else snprintf(x->label, sizeof x->label, "item %s", q->number);
      size_t before = x->out->n;
      df_item_pair(x, p, q);
      if (renumbered && x->out->n == before) df_run_add(x, &run, p->number, q->number);
      else if (run.n) { /* the run goes before this item's changes */
        size_t after = x->out->n;
        df_run_flush(x, &run);
        df_change moved = x->out->v[after];
        memmove(&x->out->v[before + 1], &x->out->v[before], (after - before) * sizeof moved);
        x->out->v[before] = moved;
      }
    }
    df_run_flush(x, &run);
  }
  /* sections that are gone, with the items that went with them */
  for (uint32_t k = 0; k < sa->nsections; k++) {
    const prog_section *sec = &a->sections[sa->sections[k]];
    if (df_section_titled(sb, sec->title) >= 0) continue;
    x->section = sec->title;
    x->item = NULL;
    df_change *c = df_add(x, DF_SECTION, DF_REMOVED, sec->title, NULL,
                          df_fmt("section \"%s\" removed: %s %s, %u item%s", sec->title, df_num(sec->max, b1),
                                 df_points(sec->max), sec->nitems, sec->nitems == 1 ? "" : "s"));
    c->implied = sec->nitems > 0;
    for (uint32_t i = 0; i < sa->nitems; i++) {
      const prog_item *p = &a->items[sa->items[i]];
      if (pa[i] >= 0 || p->section != sa->sections[k]) continue;
      x->item = p->number;
      snprintf(x->label, sizeof x->label, "item %s", p->number);
      df_item_added(x, p, 0, df_number_in(sb, p->number));
    }
  }
  x->section = x->item = NULL;
  free(pa);
  free(pb);
}

/* ---- tables ------------------------------------------------------------------- */

long df_find_table(const prog *p, const char *name) {
  for (uint32_t t = 0; t < p->ntables; t++)
    if (!strcmp(p->tables[t].title, name)) return t;
  char *end;
  long k = strtol(name, &end, 10);
  if (*name && !*end && k >= 1 && (unsigned long)k <= p->ntables) return k - 1;
  /* a category value named in its `when` (an input's name is not one) */
  size_t n = strlen(name);
  int input = 0;
  for (uint32_t i = 0; i < p->ninputs; i++) input |= !strcmp(p->inputs[i].name, name);
  for (uint32_t t = 0; t < p->ntables && n && !input; t++) {
    const char *s = p->tables[t].source;
    for (const char *f = strstr(s, name); f; f = strstr(f + 1, name)) {
      int before = f == s || !(isalnum((unsigned char)f[-1]) || f[-1] == '_');
      int after = !(isalnum((unsigned char)f[n]) || f[n] == '_');
      if (before && after) return t;
    }
  }
  return -1;
}

static void df_tables(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  long *pa = df_unpaired(a->ntables), *pb = df_unpaired(b->ntables);
  for (uint32_t j = 0; j < b->ntables; j++)
    for (uint32_t i = 0; pb[j] < 0 && i < a->ntables; i++)
      if (pa[i] < 0 && !strcmp(a->tables[i].title, b->tables[j].title)) pa[i] = j, pb[j] = i;
  for (uint32_t j = 0; j < b->ntables; j++)
    for (uint32_t i = 0; pb[j] < 0 && i < a->ntables; i++)
      if (pa[i] < 0 && !strcmp(a->tables[i].source, b->tables[j].source)) pa[i] = j, pb[j] = i;
  df_scope_items sa, sb;
  for (uint32_t j = 0; j < b->ntables; j++) {
    x->table = b->tables[j].title;
    df_scope_init(&sb, b, j);
    df_scope_init(&sa, a, pb[j] >= 0 ? (uint32_t)pb[j] : UINT32_MAX - 1);
    if (pb[j] < 0) {
      df_change *c = df_add(x, DF_TABLE, DF_ADDED, b->tables[j].title, NULL,
                            df_fmt("table \"%s\" added, %s", b->tables[j].title, b->tables[j].source));
      c->implied = sb.nitems > 0;
    } else {
      const prog_table *ta = &a->tables[pb[j]], *tb = &b->tables[j];
      if (strcmp(ta->title, tb->title)) {
        df_change *c = df_add(x, DF_TABLE, DF_CHANGED, tb->title, "title", df_fmt("table renamed"));
        df_wording(c, ta->title, tb->title);
      }
      if (!df_same(x, ta->source, tb->source)) {
        df_change *c = df_add(x, DF_TABLE, DF_CHANGED, tb->title, "when", df_fmt("table chosen under another condition"));
        df_lang(c, ta->source, tb->source);
      }
    }
    df_items(x, &sa, &sb);
    df_scope_free(&sa);
    df_scope_free(&sb);
  }
  for (uint32_t i = 0; i < a->ntables; i++) {
    if (pa[i] >= 0) continue;
    x->table = a->tables[i].title;
    df_scope_init(&sa, a, i);
    df_scope_init(&sb, b, UINT32_MAX - 1);
    df_change *c = df_add(x, DF_TABLE, DF_REMOVED, a->tables[i].title, NULL,
                          df_fmt("table \"%s\" removed, %s", a->tables[i].title, a->tables[i].source));
    c->implied = sa.nitems > 0;
    df_items(x, &sa, &sb);
    df_scope_free(&sa);
    df_scope_free(&sb);
  }
  x->table = NULL;
  free(pa);
  free(pb);
}

/* ---- vetoes, rating, indices, population -------------------------------------- */

static const char *df_cap_name(const prog *p, uint32_t cap) {
  return cap == TBC_NONE ? NULL : cap == p->nlevels ? p->else_name : p->levels[cap].name;
}

static const char *df_key_veto_reason(const void *c, uint32_t i) { return ((const prog *)c)->vetoes[i].reason; }
static const char *df_key_veto_source(const void *c, uint32_t i) { return ((const prog *)c)->vetoes[i].source; }

static char *df_veto_text(const prog *p, const prog_veto *v) {
  const char *cap = df_cap_name(p, v->cap);
  char *r = df_q(v->reason), *c = cap ? df_q(cap) : NULL;
  char *t = c ? df_fmt("veto %s %s at most %s", r, v->source, c) : df_fmt("veto %s %s", r, v->source);
  free(r), free(c);
  return t;
}

static void df_pair_vetoes(const prog *a, const prog *b, long *pa, long *pb) {
  df_pair_equal(a, a->nvetoes, b, b->nvetoes, df_key_veto_reason, df_key_veto_reason, pa, pb);
  df_pair_equal(a, a->nvetoes, b, b->nvetoes, df_key_veto_source, df_key_veto_source, pa, pb);
  df_pair_similar(a, a->nvetoes, b, b->nvetoes, df_key_veto_reason, df_key_veto_reason, pa, pb);
  df_pair_last(a->nvetoes, b->nvetoes, pa, pb);
}

long *df_veto_map(const prog *a, const prog *b) {
  long *pa = df_unpaired(a->nvetoes), *pb = df_unpaired(b->nvetoes);
  df_pair_vetoes(a, b, pa, pb);
  free(pa);
  return pb;
}

static void df_vetoes(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  long *pa = df_unpaired(a->nvetoes), *pb = df_unpaired(b->nvetoes);
  df_pair_vetoes(a, b, pa, pb);
  for (uint32_t j = 0; j < b->nvetoes; j++) {
    const prog_veto *q = &b->vetoes[j];
    char *tb = df_veto_text(b, q);
    if (pb[j] < 0) {
      df_change *c = df_add(x, DF_VETO, DF_ADDED, q->reason, NULL,
                            df_fmt("veto added: \"%s\"%s", q->reason, q->cap == TBC_NONE ? "" : " (caps the rating)"));
      df_lang(c, NULL, tb);
    } else {
      const prog_veto *p = &a->vetoes[pb[j]];
      char *ta = df_veto_text(a, p);
      if (!df_same(x, ta, tb)) {
        const char *ca = df_cap_name(a, p->cap), *cb = df_cap_name(b, q->cap);
        char words[600];
        int n = snprintf(words, sizeof words, "veto \"%s\":", q->reason);
        const char *sep = " ";
        if (!df_same(x, p->source, q->source)) n += snprintf(words + n, sizeof words - (size_t)n, "%scondition changed", sep), sep = "; ";
        if (!df_eq(ca, cb) && n < (int)sizeof words)
          n += snprintf(words + n, sizeof words - (size_t)n, "%s%s → %s", sep, ca ? ca : "no rating", cb ? cb : "no rating"), sep = "; ";
        if (strcmp(p->reason, q->reason) && n < (int)sizeof words)
          snprintf(words + n, sizeof words - (size_t)n, "%swording changed", sep);
        df_change *c = df_add(x, DF_VETO, DF_CHANGED, q->reason, NULL, df_strdup(words));
        df_lang(c, ta, tb);
        if (strcmp(p->reason, q->reason)) df_wording(c, p->reason, q->reason);
      }
      free(ta);
    }
    free(tb);
  }
  for (uint32_t i = 0; i < a->nvetoes; i++) {
    if (pa[i] >= 0) continue;
    char *ta = df_veto_text(a, &a->vetoes[i]);
    df_change *c = df_add(x, DF_VETO, DF_REMOVED, a->vetoes[i].reason, NULL, df_fmt("veto removed: \"%s\"", a->vetoes[i].reason));
    df_lang(c, ta, NULL);
    free(ta);
  }
  free(pa);
  free(pb);
}

static long df_level_named(const prog *p, const char *name) {
  for (uint32_t l = 0; l < p->nlevels; l++)
    if (!strcmp(p->levels[l].name, name)) return l;
  return -1;
}

static void df_rating(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  if (!df_eq(a->rating_title, b->rating_title))
    df_add(x, DF_RATING, DF_CHANGED, b->rating_title, "title",
           df_fmt("rating: \"%s\" → \"%s\"", a->rating_title ? a->rating_title : "none", b->rating_title ? b->rating_title : "none"));
  if (!df_eq(a->else_name, b->else_name))
    df_add(x, DF_RATING, DF_CHANGED, b->rating_title, "else",
           df_fmt("below every level: %s%s%s → %s%s%s", a->else_name ? "\"" : "", a->else_name ? a->else_name : "no level",
                  a->else_name ? "\"" : "", b->else_name ? "\"" : "", b->else_name ? b->else_name : "no level",
                  b->else_name ? "\"" : ""));
  int ca = a->nlevels && (a->levels[0].flags & TBC_LV_CUMULATIVE), cb = b->nlevels && (b->levels[0].flags & TBC_LV_CUMULATIVE);
  if (ca != cb)
    df_add(x, DF_RATING, DF_CHANGED, b->rating_title, "cumulative",
           df_fmt("rating %s cumulative: a level %s every lower level's condition", cb ? "made" : "no longer",
                  cb ? "now also needs" : "no longer needs"));
  /* the order of the levels that both have */
  int order = 0;
  for (uint32_t i = 0, prev = 0, first = 1; i < b->nlevels; i++) {
    long k = df_level_named(a, b->levels[i].name);
    if (k < 0) continue;
    if (!first && (uint32_t)k < prev) order = 1;
    prev = (uint32_t)k, first = 0;
  }
  if (order) df_add(x, DF_RATING, DF_CHANGED, b->rating_title, "order", df_fmt("the levels are in another order"));
  for (uint32_t j = 0; j < b->nlevels; j++) {
    const prog_level *q = &b->levels[j];
    long i = df_level_named(a, q->name);
    if (i < 0) {
      df_change *c = df_add(x, DF_LEVEL, DF_ADDED, q->name, NULL, df_fmt("level \"%s\" added", q->name));
      char *t = df_with("%s if %s", q->name, q->source);
      df_lang(c, NULL, t);
      free(t);
      continue;
    }
    const prog_level *p = &a->levels[i];
    if (df_same(x, p->source, q->source)) continue;
    dec ka, kb;
    char *words;
    if (df_threshold(p->source, &ka) && df_threshold(q->source, &kb))
      words = df_fmt("level \"%s\": threshold %s %s → %s %s", q->name, kb > ka ? "raised" : "lowered", df_num(ka, b1),
                     df_num(kb, b2), df_points(kb));
    else words = df_fmt("level \"%s\": condition changed", q->name);
    df_change *c = df_add(x, DF_LEVEL, DF_CHANGED, q->name, "condition", words);
    char *ta = df_with("%s if %s", p->name, p->source), *tb = df_with("%s if %s", q->name, q->source);
    df_lang(c, ta, tb);
    free(ta), free(tb);
  }
  for (uint32_t i = 0; i < a->nlevels; i++) {
    if (df_level_named(b, a->levels[i].name) >= 0) continue;
    df_change *c = df_add(x, DF_LEVEL, DF_REMOVED, a->levels[i].name, NULL, df_fmt("level \"%s\" removed", a->levels[i].name));
    char *t = df_with("%s if %s", a->levels[i].name, a->levels[i].source);
    df_lang(c, t, NULL);
    free(t);
  }
}

typedef struct {
  const prog *p;
  uint32_t first;
} df_checks;
static const char *df_key_check_text(const void *c, uint32_t i) {
  const df_checks *k = c;
  return k->p->checks[k->first + i].text;
}
static const char *df_key_check_source(const void *c, uint32_t i) {
  const df_checks *k = c;
  return k->p->checks[k->first + i].source;
}

static void df_pair_checks(const df_checks *ca, size_t na, const df_checks *cb, size_t nb, long *pa, long *pb) {
  df_pair_equal(ca, na, cb, nb, df_key_check_text, df_key_check_text, pa, pb);
  df_pair_equal(ca, na, cb, nb, df_key_check_source, df_key_check_source, pa, pb);
  df_pair_similar(ca, na, cb, nb, df_key_check_text, df_key_check_text, pa, pb);
}

static long df_index_named(const prog *p, const char *name);

long *df_check_map(const prog *a, const prog *b) {
  long *map = df_unpaired(b->nchecks);
  for (uint32_t j = 0; j < b->nindices; j++) {
    long i = df_index_named(a, b->indices[j].name);
    if (i < 0) continue;
    const prog_index *ia = &a->indices[i], *ib = &b->indices[j];
    df_checks ca = {a, ia->first_check}, cb = {b, ib->first_check};
    long *pa = df_unpaired(ia->nchecks), *pb = df_unpaired(ib->nchecks);
    df_pair_checks(&ca, ia->nchecks, &cb, ib->nchecks, pa, pb);
    for (uint32_t k = 0; k < ib->nchecks; k++) map[ib->first_check + k] = pb[k] >= 0 ? (long)ia->first_check + pb[k] : -1;
    free(pa);
    free(pb);
  }
  return map;
}

static void df_index_checks(df_ctx *x, const prog_index *ia, const prog_index *ib) {
  const prog *a = x->a, *b = x->b;
  df_checks ca = {a, ia ? ia->first_check : 0}, cb = {b, ib ? ib->first_check : 0};
  size_t na = ia ? ia->nchecks : 0, nb = ib ? ib->nchecks : 0;
  long *pa = df_unpaired(na), *pb = df_unpaired(nb);
  df_pair_checks(&ca, na, &cb, nb, pa, pb);
  const char *index = ib ? ib->name : ia->name;
  for (size_t j = 0; j < nb; j++) {
    const prog_check *q = &b->checks[cb.first + j];
    if (pb[j] < 0) {
      df_change *c = df_add(x, DF_CHECK, DF_ADDED, q->text, NULL, df_fmt("index %s: check added: \"%s\"", index, q->text));
      char *t = df_with("check %s %s", q->text, q->source);
      df_lang(c, NULL, t);
      free(t);
      continue;
    }
    const prog_check *p = &a->checks[ca.first + pb[j]];
    int cond = !df_same(x, p->source, q->source), text = strcmp(p->text, q->text) != 0;
    if (!cond && !text) continue;
    df_change *c = df_add(x, DF_CHECK, DF_CHANGED, q->text, NULL,
                          df_fmt("index %s: check \"%s\": %s", index, q->text,
                                 cond && text ? "condition and wording changed" : cond ? "condition changed" : "wording changed"));
    char *ta = df_with("check %s %s", p->text, p->source), *tb = df_with("check %s %s", q->text, q->source);
    df_lang(c, ta, tb);
    free(ta), free(tb);
    if (text) df_wording(c, p->text, q->text);
  }
  for (size_t i = 0; i < na; i++) {
    if (pa[i] >= 0) continue;
    const prog_check *p = &a->checks[ca.first + i];
    df_change *c = df_add(x, DF_CHECK, DF_REMOVED, p->text, NULL, df_fmt("index %s: check removed: \"%s\"", index, p->text));
    char *t = df_with("check %s %s", p->text, p->source);
    df_lang(c, t, NULL);
    free(t);
  }
  free(pa);
  free(pb);
}

static long df_index_named(const prog *p, const char *name) {
  for (uint32_t i = 0; i < p->nindices; i++)
    if (!strcmp(p->indices[i].name, name)) return i;
  return -1;
}

static void df_indices(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  for (uint32_t j = 0; j < b->nindices; j++) {
    const prog_index *q = &b->indices[j];
    long i = df_index_named(a, q->name);
    if (i < 0) {
      df_change *c = df_add(x, DF_INDEX, DF_ADDED, q->name, NULL,
                            df_fmt("index %s \"%s\" added, %u check%s", q->name, q->label, q->nchecks, q->nchecks == 1 ? "" : "s"));
      c->implied = q->nchecks > 0;
      df_index_checks(x, NULL, q);
      continue;
    }
    const prog_index *p = &a->indices[i];
    if (strcmp(p->label, q->label)) {
      df_change *c = df_add(x, DF_INDEX, DF_CHANGED, q->name, "label", df_fmt("index %s: label changed", q->name));
      df_wording(c, p->label, q->label);
    }
    df_index_checks(x, p, q);
  }
  for (uint32_t i = 0; i < a->nindices; i++) {
    const prog_index *p = &a->indices[i];
    if (df_index_named(b, p->name) >= 0) continue;
    df_change *c = df_add(x, DF_INDEX, DF_REMOVED, p->name, NULL,
                          df_fmt("index %s \"%s\" removed, %u check%s", p->name, p->label, p->nchecks, p->nchecks == 1 ? "" : "s"));
    c->implied = p->nchecks > 0;
    df_index_checks(x, p, NULL);
  }
}

static char *df_quota_text(const prog *p, const prog_quota *q) {
  char b1[DEC_BUFSZ];
  const char *lv = q->level == p->nlevels ? p->else_name : p->levels[q->level].name;
  char *ql = df_q(lv);
  char *s = df_fmt("quota %s at most %s%% %s%s%s", ql, df_num(q->share, b1), q->flags & TBC_Q_ENFORCE ? "enforce" : "report",
                   q->ties != TBC_NONE ? " ties by " : "", q->ties != TBC_NONE ? p->inputs[q->ties].name : "");
  free(ql);
  return s;
}

static const char *df_quota_level(const prog *p, const prog_quota *q) {
  return q->level == p->nlevels ? p->else_name : p->levels[q->level].name;
}

/* The source is the whole comparison: share(…) >= 95% */
static char *df_target_text(const prog_target *t) { return df_with("target %s %s", t->text, t->source); }

static const char *df_key_target_text(const void *c, uint32_t i) { return ((const prog *)c)->targets[i].text; }
static const char *df_key_target_source(const void *c, uint32_t i) { return ((const prog *)c)->targets[i].source; }
static const char *df_key_audit_text(const void *c, uint32_t i) { return ((const prog *)c)->audits[i].text; }
static const char *df_key_audit_source(const void *c, uint32_t i) { return ((const prog *)c)->audits[i].source; }

static void df_pair_targets(const prog *a, const prog *b, long *pa, long *pb) {
  df_pair_equal(a, a->ntargets, b, b->ntargets, df_key_target_text, df_key_target_text, pa, pb);
  df_pair_equal(a, a->ntargets, b, b->ntargets, df_key_target_source, df_key_target_source, pa, pb);
  df_pair_similar(a, a->ntargets, b, b->ntargets, df_key_target_text, df_key_target_text, pa, pb);
}

long *df_target_map(const prog *a, const prog *b) {
  long *pa = df_unpaired(a->ntargets), *pb = df_unpaired(b->ntargets);
  df_pair_targets(a, b, pa, pb);
  free(pa);
  return pb;
}

static char *df_audit_text(const prog_audit *t) {
  char b1[DEC_BUFSZ];
  char *q = df_q(t->text);
  char *s = df_fmt("audit %s sample %s%% %s seed %llu", q, df_num(t->share, b1), t->source, (unsigned long long)t->seed);
  free(q);
  return s;
}

static void df_population(df_ctx *x) {
  const prog *a = x->a, *b = x->b;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  /* quotas, by their level */
  for (uint32_t j = 0; j < b->nquotas; j++) {
    const prog_quota *q = &b->quotas[j];
    const char *lv = df_quota_level(b, q);
    long i = -1;
    for (uint32_t k = 0; k < a->nquotas && i < 0; k++)
      if (df_eq(df_quota_level(a, &a->quotas[k]), lv)) i = k;
    char *tb = df_quota_text(b, q);
    if (i < 0) {
      df_change *c = df_add(x, DF_QUOTA, DF_ADDED, lv, NULL, df_fmt("quota added: \"%s\" at most %s%%", lv, df_num(q->share, b1)));
      df_lang(c, NULL, tb);
    } else {
      char *ta = df_quota_text(a, &a->quotas[i]);
      if (!df_same(x, ta, tb)) {
        const prog_quota *p = &a->quotas[i];
        df_change *c = df_add(x, DF_QUOTA, DF_CHANGED, lv, NULL,
                              p->share != q->share ? df_fmt("quota \"%s\": at most %s%% → %s%%", lv, df_num(p->share, b1), df_num(q->share, b2))
                              : (p->flags ^ q->flags) & TBC_Q_ENFORCE
                                  ? df_fmt("quota \"%s\": %s", lv, q->flags & TBC_Q_ENFORCE ? "now enforced" : "now only reported")
                                  : df_fmt("quota \"%s\": ties broken another way", lv));
        df_lang(c, ta, tb);
      }
      free(ta);
    }
    free(tb);
  }
  for (uint32_t i = 0; i < a->nquotas; i++) {
    const char *lv = df_quota_level(a, &a->quotas[i]);
    int found = 0;
    for (uint32_t k = 0; k < b->nquotas; k++) found |= df_eq(df_quota_level(b, &b->quotas[k]), lv);
    if (found) continue;
    char *ta = df_quota_text(a, &a->quotas[i]);
    df_change *c = df_add(x, DF_QUOTA, DF_REMOVED, lv, NULL, df_fmt("quota removed: \"%s\"", lv));
    df_lang(c, ta, NULL);
    free(ta);
  }
  /* targets, by their text, then what they count */
  long *pa = df_unpaired(a->ntargets), *pb = df_unpaired(b->ntargets);
  df_pair_targets(a, b, pa, pb);
  for (uint32_t j = 0; j < b->ntargets; j++) {
    const prog_target *q = &b->targets[j];
    char *tb = df_target_text(q);
    if (pb[j] < 0) {
      df_change *c = df_add(x, DF_TARGET, DF_ADDED, q->text, NULL, df_fmt("target added: \"%s\"", q->text));
      df_lang(c, NULL, tb);
    } else {
      const prog_target *p = &a->targets[pb[j]];
      char *ta = df_target_text(p);
      if (!df_same(x, ta, tb)) {
        /* the source holds the goal: what it counts is the rest */
        char *ps = df_ren(x, p->source);
        const char *ga = strrchr(ps, ' '), *gb = strrchr(q->source, ' ');
        const char *oa = ga && ga > ps ? ga - 1 : ps, *ob = gb && gb > q->source ? gb - 1 : q->source;
        while (oa > ps && *oa != ' ') oa--; /* back over the comparison */
        while (ob > q->source && *ob != ' ') ob--;
        int counts = (size_t)(oa - ps) != (size_t)(ob - q->source) || memcmp(ps, q->source, (size_t)(oa - ps));
        free(ps);
        char words[700];
        int n = snprintf(words, sizeof words, "target \"%s\":", q->text);
        const char *sep = " ";
        if (p->goal != q->goal && n < (int)sizeof words)
          n += snprintf(words + n, sizeof words - (size_t)n, "%sgoal %s %s → %s%s", sep, q->goal > p->goal ? "raised" : "lowered",
                        df_num(p->goal, b1), df_num(q->goal, b2), q->kind == TBC_TG_SHARE || q->kind == TBC_TG_RATIO ? "%" : ""),
          sep = "; ";
        if (p->cmp != q->cmp && n < (int)sizeof words)
          n += snprintf(words + n, sizeof words - (size_t)n, "%scomparison changed", sep), sep = "; ";
        if (counts && n < (int)sizeof words)
          n += snprintf(words + n, sizeof words - (size_t)n, "%swhat it counts changed", sep), sep = "; ";
        if (strcmp(p->text, q->text) && n < (int)sizeof words)
          snprintf(words + n, sizeof words - (size_t)n, "%swording changed", sep);
        df_change *c = df_add(x, DF_TARGET, DF_CHANGED, q->text, NULL, df_strdup(words));
        df_lang(c, ta, tb);
        if (strcmp(p->text, q->text)) df_wording(c, p->text, q->text);
      }
      free(ta);
    }
    free(tb);
  }
  for (uint32_t i = 0; i < a->ntargets; i++) {
    if (pa[i] >= 0) continue;
    char *ta = df_target_text(&a->targets[i]);
    df_change *c = df_add(x, DF_TARGET, DF_REMOVED, a->targets[i].text, NULL, df_fmt("target removed: \"%s\"", a->targets[i].text));
    df_lang(c, ta, NULL);
    free(ta);
  }
  free(pa);
  free(pb);
  /* audits */
  pa = df_unpaired(a->naudits), pb = df_unpaired(b->naudits);
  df_pair_equal(a, a->naudits, b, b->naudits, df_key_audit_text, df_key_audit_text, pa, pb);
  df_pair_equal(a, a->naudits, b, b->naudits, df_key_audit_source, df_key_audit_source, pa, pb);
  df_pair_last(a->naudits, b->naudits, pa, pb);
  for (uint32_t j = 0; j < b->naudits; j++) {
    char *tb = df_audit_text(&b->audits[j]);
    if (pb[j] < 0) {
      df_change *c = df_add(x, DF_AUDIT, DF_ADDED, b->audits[j].text, NULL, df_fmt("audit added: \"%s\"", b->audits[j].text));
      df_lang(c, NULL, tb);
    } else {
      const prog_audit *p = &a->audits[pb[j]], *q = &b->audits[j];
      char *ta = df_audit_text(p);
      if (!df_same(x, ta, tb)) {
        df_change *c = df_add(x, DF_AUDIT, DF_CHANGED, q->text, NULL,
                              p->share != q->share ? df_fmt("audit \"%s\": sample %s%% → %s%%", q->text, df_num(p->share, b1), df_num(q->share, b2))
                                                   : df_fmt("audit \"%s\" changed", q->text));
        df_lang(c, ta, tb);
      }
      free(ta);
    }
    free(tb);
  }
  for (uint32_t i = 0; i < a->naudits; i++) {
    if (pa[i] >= 0) continue;
    char *ta = df_audit_text(&a->audits[i]);
    df_change *c = df_add(x, DF_AUDIT, DF_REMOVED, a->audits[i].text, NULL, df_fmt("audit removed: \"%s\"", a->audits[i].text));
    df_lang(c, ta, NULL);
    free(ta);
  }
  free(pa);
  free(pb);
}

/* ---- the item map, for the impact on data ------------------------------------- */

static void df_map_scope(const prog *a, const prog *b, uint32_t ta, uint32_t tb, long *map) {
  df_scope_items sa, sb;
  df_scope_init(&sa, a, ta);
  df_scope_init(&sb, b, tb);
  long *pa = df_unpaired(sa.nitems), *pb = df_unpaired(sb.nitems);
  df_pair_items(&sa, &sb, pa, pb);
  for (uint32_t j = 0; j < sb.nitems; j++) map[sb.items[j]] = pb[j] >= 0 ? (long)sa.items[pb[j]] : -1;
  free(pa), free(pb);
  df_scope_free(&sa);
  df_scope_free(&sb);
}

long *df_item_map(const prog *a, const prog *b) {
  long *map = df_unpaired(b->nitems);
  df_map_scope(a, b, TBC_NONE, TBC_NONE, map);
  for (uint32_t j = 0; j < b->ntables; j++) {
    long i = -1;
    for (uint32_t k = 0; k < a->ntables && i < 0; k++)
      if (!strcmp(a->tables[k].title, b->tables[j].title)) i = k;
    for (uint32_t k = 0; k < a->ntables && i < 0; k++)
      if (!strcmp(a->tables[k].source, b->tables[j].source)) i = k;
    if (i >= 0) df_map_scope(a, b, (uint32_t)i, j, map);
  }
  return map;
}

/* ---- the whole comparison ------------------------------------------------------ */

int df_compare(const prog *a, const prog *b, const df_scope *sa, const df_scope *sb, df_list *out, char *err,
               size_t errsz) {
  df_ctx x = {a, b, out, NULL, NULL, NULL, "", NULL, NULL, 0};
  const char *ta = sa ? sa->table : NULL, *tb = sb ? sb->table : NULL;
  if (ta || tb) { /* one table against another, or against a policy's own sections */
    long ka = ta ? df_find_table(a, ta) : TBC_NONE, kb = tb ? df_find_table(b, tb) : TBC_NONE;
    if (ka < 0 || kb < 0) {
      const prog *p = ka < 0 ? a : b;
      if (!p->ntables)
        snprintf(err, errsz, "the %s policy has no tables: leave out the table option for it", ka < 0 ? "old" : "new");
      else
        snprintf(err, errsz, "no table '%s' in the %s policy (%u table%s: by title, by number 1 to %u, or by category value)",
                 ka < 0 ? ta : tb, ka < 0 ? "old" : "new", p->ntables, p->ntables == 1 ? "" : "s", p->ntables);
      return -1;
    }
    /* one side's own sections: there must be some */
    for (int k = 0; k < 2; k++) {
      const prog *p = k ? b : a;
      if ((k ? kb : ka) != TBC_NONE) continue;
      int own = 0;
      for (uint32_t s = 0; s < p->nsections; s++) own |= p->sections[s].table == TBC_NONE;
      if (!own) {
        snprintf(err, errsz, "the %s policy has every section in a table: name one with --%s-table (or --table for both)",
                 k ? "new" : "old", k ? "new" : "old");
        return -1;
      }
    }
    df_scope_items ia, ib;
    df_scope_init(&ia, a, (uint32_t)ka);
    df_scope_init(&ib, b, (uint32_t)kb);
    df_items(&x, &ia, &ib);
    df_scope_free(&ia);
    df_scope_free(&ib);
    return 0;
  }
  df_header(&x);
  df_inputs(&x);
  df_scope_items ia, ib;
  df_scope_init(&ia, a, TBC_NONE);
  df_scope_init(&ib, b, TBC_NONE);
  df_items(&x, &ia, &ib);
  df_scope_free(&ia);
  df_scope_free(&ib);
  df_tables(&x);
  df_indices(&x);
  df_vetoes(&x);
  df_rating(&x);
  df_population(&x);
  free(x.ren_old);
  free(x.ren_new);
  return 0;
}
