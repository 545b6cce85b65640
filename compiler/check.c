/* check.c — resolve names, infer types, check the document's arithmetic. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/limits.h"
#include "runtime/tbc.h"

/* A string → index table (open addressing, in the tree's arena), so that a
 * policy of a thousand items checks in linear time. */
typedef struct {
  const char **keys;
  int *vals;
  uint32_t mask;
} chk_table;

static void tab_init(chk_table *t, ast_arena *a, int n) {
  uint32_t cap = 16;
  while (cap < (uint32_t)n * 2 + 16) cap *= 2;
  t->keys = ast_alloc(a, cap * sizeof *t->keys);
  t->vals = ast_alloc(a, cap * sizeof *t->vals);
  t->mask = cap - 1;
}

static uint32_t tab_slot(const chk_table *t, const char *key) {
  uint32_t h = (uint32_t)tbc_fnv1a((const uint8_t *)key, strlen(key)) & t->mask;
  while (t->keys[h] && strcmp(t->keys[h], key)) h = (h + 1) & t->mask;
  return h;
}

static int tab_get(const chk_table *t, const char *key) {
  uint32_t h = tab_slot(t, key);
  return t->keys[h] ? t->vals[h] : -1;
}

/* The first entry for a key wins. */
static void tab_put(chk_table *t, const char *key, int val) {
  uint32_t h = tab_slot(t, key);
  if (t->keys[h]) return;
  t->keys[h] = key;
  t->vals[h] = val;
}

typedef struct {
  ast_policy *p;
  diag *d;
  int in_rating; /* `score` is known only in rating conditions (and after) */
  int after_rating; /* `rating` is known in targets, audits */
  int in_target;    /* population aggregates: share(c where w), sum(…) */
  int in_check;     /* index functions cannot be used by checks */
  chk_table inputs; /* name → first input of that name */
  chk_table indices; /* name → index */
  int category;      /* the category input, or -1 */
} chk;

/* ---- names ---------------------------------------------------------------- */

static int chk_find_input(const chk *c, const char *name) { return tab_get(&c->inputs, name); }

static int chk_find_value(const ast_input *in, const char *name) {
  for (int k = 0; k < in->values.n; k++)
    if (!strcmp(((ast_enum_value *)in->values.v[k])->name, name)) return k;
  return -1;
}

/* Edit distance, for "did you mean"; byte-wise is enough for names. */
static size_t chk_distance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 64 || nb > 64) return 99;
  size_t row[65];
  for (size_t j = 0; j <= nb; j++) row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t cur = row[j];
      size_t best = prev + (a[i - 1] != b[j - 1]);
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      prev = cur;
    }
  }
  return row[nb];
}

static void chk_unknown_name(chk *c, const ast_expr *e) {
  const char *best = NULL;
  size_t bestd = 3;
  size_t elen = strlen(e->name);
  for (int i = 0; i < c->p->inputs.n; i++) {
    const char *n = ((ast_input *)c->p->inputs.v[i])->name;
    size_t dd = chk_distance(e->name, n), longer = strlen(n) > elen ? strlen(n) : elen;
    /* close enough to be a slip of the keyboard, not just another short name */
    if ((dd < bestd && dd * 3 <= longer) || (best == NULL && elen >= 3 && strstr(n, e->name))) {
      best = n;
      bestd = dd < bestd ? dd : bestd;
    }
  }
  char hint[160];
  if (best) {
    /* the officer meant it: do not also call it unused */
    ((ast_input *)c->p->inputs.v[chk_find_input(c, best)])->uses++;
    snprintf(hint, sizeof hint, "did you mean '%s'?", best);
  }
  else snprintf(hint, sizeof hint, "declare it in an input block: %s bool \"…\"", e->name);
  diag_report(c->d, DIAG_ERROR, e->at, hint, "unknown name '%s'", e->name);
}

/* "line 12", or "line 12 of base.tally" when the place is in another file
 * than `here` (an include, or the policy this one extends). */
static const char *chk_where(const chk *c, ast_loc at, ast_loc here, char *buf, size_t n) {
  if (at.file != here.file && at.file < c->p->files.n)
    snprintf(buf, n, "line %d of %s", at.line, ((ast_file *)c->p->files.v[at.file])->name);
  else
    snprintf(buf, n, "line %d", at.line);
  return buf;
}

/* ---- types ---------------------------------------------------------------- */

static int is_numeric(ast_type t) {
  return t == TY_INT || t == TY_NUMBER || t == TY_PERCENT || t == TY_LITERAL;
}

/* The common type of two numeric operands, or TY_ERROR when they do not
 * mix: a percentage and a count measure different things. */
static ast_type unify(ast_type a, ast_type b) {
  if (a == TY_LITERAL) return b;
  if (b == TY_LITERAL) return a;
  if (a == b) return a;
  if ((a == TY_INT && b == TY_NUMBER) || (a == TY_NUMBER && b == TY_INT)) return TY_NUMBER;
  return TY_ERROR;
}

static const char *type_words(ast_type t) {
  switch (t) {
  case TY_BOOL: return "a yes/no value";
  case TY_INT: return "a count";
  case TY_NUMBER: return "a number";
  case TY_PERCENT: return "a percentage";
  case TY_DATE: return "a date";
  case TY_ENUM: return "a category";
  case TY_TEXT: return "a text";
  case TY_LITERAL: return "a number";
  default: return "?";
  }
}

static ast_type chk_expr(chk *c, ast_expr *e);

static ast_type chk_want(chk *c, ast_expr *e, ast_type want, const char *what) {
  ast_type t = chk_expr(c, e);
  if (t == TY_ERROR || t == want) return t;
  diag_report(c->d, DIAG_ERROR, e->at, NULL, "%s must be %s, but this is %s", what, type_words(want),
              type_words(t));
  return TY_ERROR;
}

static ast_type chk_numeric(chk *c, ast_expr *e, const char *what) {
  ast_type t = chk_expr(c, e);
  if (t == TY_ERROR || is_numeric(t)) return t;
  diag_report(c->d, DIAG_ERROR, e->at, NULL, "%s must be a number, but this is %s", what, type_words(t));
  return TY_ERROR;
}

/* A bare name on one side of == or != may be a value of the enum on the
 * other side. */
static int chk_enum_value(chk *c, ast_expr *name, int enum_input) {
  if (name->kind != EX_NAME || chk_find_input(c, name->name) >= 0) return 0;
  const ast_input *in = c->p->inputs.v[enum_input];
  int k = chk_find_value(in, name->name);
  if (k < 0) {
    char hint[256];
    size_t len = (size_t)snprintf(hint, sizeof hint, "the values of '%s' are", in->name);
    for (int i = 0; i < in->values.n && len < sizeof hint; i++)
      len += (size_t)snprintf(hint + len, sizeof hint - len, "%s %s", i ? "," : "",
                              ((ast_enum_value *)in->values.v[i])->name);
    diag_report(c->d, DIAG_ERROR, name->at, hint, "'%s' is not a value of '%s'", name->name, in->name);
    name->type = TY_ERROR;
    return 1;
  }
  name->type = TY_ENUM;
  name->enum_input = enum_input;
  name->enum_value = k;
  return 1;
}

/* The rank of a level for `rating >= "四星级"`: none is 0, the `else`
 * level 1 (when it has a name), then upwards to the top level. */
int check_level_rank(const ast_rating *r, const char *name) {
  if (!r) return -1;
  int base = r->has_else && r->else_name ? 1 : 0;
  if (r->else_name && !strcmp(r->else_name, name)) return 1;
  for (int i = 0; i < r->levels.n; i++)
    if (!strcmp(((ast_level *)r->levels.v[i])->name, name)) return base + r->levels.n - i;
  return -1;
}

static int chk_level_name(chk *c, ast_expr *s) {
  int rank = check_level_rank(c->p->rating, s->name);
  if (rank < 0) {
    char hint[512];
    size_t n = (size_t)snprintf(hint, sizeof hint, "the levels are");
    const ast_rating *r = c->p->rating;
    for (int i = 0; r && i < r->levels.n && n < sizeof hint; i++)
      n += (size_t)snprintf(hint + n, sizeof hint - n, "%s \"%s\"", i ? "," : "", ((ast_level *)r->levels.v[i])->name);
    if (r && r->else_name && n < sizeof hint) snprintf(hint + n, sizeof hint - n, ", \"%s\"", r->else_name);
    diag_report(c->d, DIAG_ERROR, s->at, r ? hint : "the policy has no rating", "no level \"%s\"", s->name);
    return -1;
  }
  s->index = rank;
  s->type = TY_INT;
  return rank;
}

static ast_type chk_compare(chk *c, ast_expr *e) {
  ast_type ta, tb;
  int eq = e->op == OPX_EQ || e->op == OPX_NE;
  if (e->a->kind == EX_RATING) {
    if (!c->after_rating) {
      diag_report(c->d, DIAG_ERROR, e->a->at, NULL, "'rating' is known only in targets and audits");
      return TY_BOOL;
    }
    e->a->type = TY_INT;
    if (e->b->kind == EX_NONE) { e->b->type = TY_INT; e->b->index = 0; }
    else if (e->b->kind == EX_STRING) chk_level_name(c, e->b);
    else diag_report(c->d, DIAG_ERROR, e->b->at, NULL, "the rating is compared with a level name or none");
    return TY_BOOL;
  }
  if (e->b->kind == EX_NONE || e->a->kind == EX_NONE) {
    ast_expr *x = e->b->kind == EX_NONE ? e->a : e->b;
    ast_type t = chk_expr(c, x);
    if (t != TY_ERROR && !(t == TY_DATE && x->optional))
      diag_report(c->d, DIAG_ERROR, x->at, "only a date input with `default none` can be none", "this cannot be none");
    if (!eq) diag_report(c->d, DIAG_ERROR, e->at, "use == none or != none", "none cannot be ordered");
    (e->b->kind == EX_NONE ? e->b : e->a)->type = TY_DATE;
    return TY_BOOL;
  }
  if (e->b->kind == EX_STRING || e->a->kind == EX_STRING) {
    diag_report(c->d, DIAG_ERROR, (e->b->kind == EX_STRING ? e->b : e->a)->at,
                "level names are compared with the rating: rating >= \"四星级\"", "a text compared");
    return TY_BOOL;
  }
  /* A bare value of an enum may stand on either side: kind == soe, soe == kind. */
  int a_is_value = e->a->kind == EX_NAME && chk_find_input(c, e->a->name) < 0 && e->b->kind == EX_NAME &&
                   chk_find_input(c, e->b->name) >= 0 &&
                   ((ast_input *)c->p->inputs.v[chk_find_input(c, e->b->name)])->type == TY_ENUM;
  if (a_is_value) {
    tb = chk_expr(c, e->b);
    chk_enum_value(c, e->a, e->b->input);
    ta = e->a->type;
  } else {
    ta = chk_expr(c, e->a);
    if (ta == TY_ENUM && chk_enum_value(c, e->b, e->a->enum_input >= 0 ? e->a->enum_input : e->a->input))
      tb = e->b->type;
    else
      tb = chk_expr(c, e->b);
  }
  if (ta == TY_ERROR || tb == TY_ERROR) return TY_BOOL;
  if ((e->a->optional || e->b->optional) && !eq) {
    diag_report(c->d, DIAG_ERROR, (e->a->optional ? e->a : e->b)->at,
                "use d within N years or d in this year (both false when there is no date), or d == none", "'%s' may be none (no such date): it cannot be ordered",
                (e->a->optional ? e->a : e->b)->name);
    return TY_BOOL;
  }
  if (is_numeric(ta) && is_numeric(tb)) {
    if (unify(ta, tb) == TY_ERROR)
      diag_report(c->d, DIAG_ERROR, e->at, ta == TY_PERCENT || tb == TY_PERCENT ? "write a percentage as 80% or compare it with another percentage" : NULL,
                  "%s compared with %s", type_words(ta), type_words(tb));
    return TY_BOOL;
  }
  if (ta != tb) {
    diag_report(c->d, DIAG_ERROR, e->at, NULL, "%s compared with %s", type_words(ta), type_words(tb));
    return TY_BOOL;
  }
  if (ta == TY_ENUM) {
    int ia = e->a->enum_input >= 0 ? e->a->enum_input : e->a->input;
    int ib = e->b->enum_input >= 0 ? e->b->enum_input : e->b->input;
    if (ia != ib) diag_report(c->d, DIAG_ERROR, e->at, NULL, "values of two different categories compared");
  }
  if (!eq && ta != TY_DATE)
    diag_report(c->d, DIAG_ERROR, e->at, "use == or !=", "%s cannot be ordered with %s", type_words(ta),
                ast_binop_text(e->op));
  return TY_BOOL;
}

static ast_type chk_arith(chk *c, ast_expr *e) {
  ast_type ta = chk_expr(c, e->a), tb = chk_expr(c, e->b);
  if (ta == TY_ERROR || tb == TY_ERROR) return TY_ERROR;
  if (e->op == OPX_SUB && ta == TY_DATE && tb == TY_DATE) {
    if (e->a->optional || e->b->optional) {
      diag_report(c->d, DIAG_ERROR, (e->a->optional ? e->a : e->b)->at, "use d within N years, or test d == none",
                  "'%s' may be none (no such date)", (e->a->optional ? e->a : e->b)->name);
      return TY_ERROR;
    }
    return TY_INT; /* days between */
  }
  if (ta == TY_DATE || tb == TY_DATE) {
    diag_report(c->d, DIAG_ERROR, e->at, "two dates can be subtracted to get days", "a date %s %s",
                e->op == OPX_ADD ? "added to" : "combined with", type_words(ta == TY_DATE ? tb : ta));
    return TY_ERROR;
  }
  if (!is_numeric(ta) || !is_numeric(tb)) {
    diag_report(c->d, DIAG_ERROR, e->at, NULL, "arithmetic on %s", type_words(is_numeric(ta) ? tb : ta));
    return TY_ERROR;
  }
  if (e->op == OPX_MUL || e->op == OPX_DIV) {
    if (ta == TY_PERCENT && tb == TY_PERCENT)
      return e->op == OPX_DIV ? TY_NUMBER : (diag_report(c->d, DIAG_ERROR, e->at, NULL, "a percentage times a percentage"), TY_ERROR);
    /* 80% × 1.5 is a percentage; a percentage times a count (rate × staff)
     * is a plain number */
    if (ta == TY_PERCENT || tb == TY_PERCENT)
      return (ta == TY_LITERAL || tb == TY_LITERAL) ? TY_PERCENT : TY_NUMBER;
    if (e->op == OPX_DIV) return ta == TY_LITERAL && tb == TY_LITERAL ? TY_LITERAL : TY_NUMBER;
    return unify(ta, tb);
  }
  ast_type t = unify(ta, tb);
  if (t == TY_ERROR)
    diag_report(c->d, DIAG_ERROR, e->at, NULL, "%s %s %s", type_words(ta), e->op == OPX_ADD ? "plus" : "minus",
                type_words(tb));
  return t;
}

static ast_type chk_date_arg(chk *c, ast_expr *a, const char *what) {
  ast_type t = chk_expr(c, a);
  if (t == TY_ERROR) return t;
  if (t != TY_DATE) {
    diag_report(c->d, DIAG_ERROR, a->at, NULL, "%s needs a date, but this is %s", what, type_words(t));
    return TY_ERROR;
  }
  return t;
}

/* kind in (soe, private): every name a value of the enum. */
static ast_type chk_in(chk *c, ast_expr *e) {
  ast_type t = chk_expr(c, e->a);
  if (t == TY_ERROR) return TY_BOOL;
  if (t != TY_ENUM) {
    diag_report(c->d, DIAG_ERROR, e->a->at, NULL, "'in' needs a category, but this is %s", type_words(t));
    return TY_BOOL;
  }
  int input = e->a->enum_input >= 0 ? e->a->enum_input : e->a->input;
  for (int i = 0; i < e->args.n; i++) {
    ast_expr *v = e->args.v[i];
    chk_enum_value(c, v, input);
    for (int j = 0; j < i; j++)
      if (!strcmp(((ast_expr *)e->args.v[j])->name, v->name))
        diag_report(c->d, DIAG_WARNING, v->at, NULL, "'%s' listed twice", v->name);
  }
  return TY_BOOL;
}

static int chk_is_literal(const ast_expr *e) {
  return e->kind == EX_NUM || e->kind == EX_PERCENT || e->kind == EX_BOOL || e->kind == EX_DATE ||
         (e->kind == EX_NEG && e->a->kind == EX_NUM);
}

/* A bracket as an interval: [lo, hi] with open or closed ends; ±∞ as flags. */
typedef struct {
  dec lo, hi;
  int lo_inf, hi_inf, lo_open, hi_open;
  const ast_arm *arm;
} chk_span;

static dec chk_bound(const ast_expr *b) { return b->kind == EX_NEG ? -b->a->num : b->num; }

static int chk_span_cmp(const void *x, const void *y) {
  const chk_span *a = x, *b = y;
  if (a->lo_inf != b->lo_inf) return a->lo_inf ? -1 : 1;
  if (!a->lo_inf && a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
  return a->lo_open - b->lo_open;
}

/* by x { … }: constants per value or bracket, covering every case once. */
static ast_type chk_by(chk *c, ast_expr *e) {
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  ast_type ts = chk_expr(c, e->a), tv = TY_ERROR;
  int has_else = 0, bad = ts == TY_ERROR;
  if (!bad && ts != TY_ENUM && !is_numeric(ts)) {
    diag_report(c->d, DIAG_ERROR, e->a->at, NULL, "'by' needs a category or a number, but this is %s", type_words(ts));
    bad = 1;
  }
  for (int i = 0; i < e->args.n; i++) {
    ast_arm *a = e->args.v[i];
    if (!chk_is_literal(a->value)) {
      diag_report(c->d, DIAG_ERROR, a->value->at, "write a number, a percentage, yes/no or a date",
                  "the values of 'by' must be constants");
      bad = 1;
      continue;
    }
    ast_type t = chk_expr(c, a->value);
    if (tv == TY_ERROR) tv = t;
    else if (is_numeric(tv) && is_numeric(t) && unify(tv, t) != TY_ERROR) tv = unify(tv, t);
    else if (t != tv) {
      diag_report(c->d, DIAG_ERROR, a->value->at, NULL, "%s among values that are %s", type_words(t), type_words(tv));
      bad = 1;
    }
    if (a->kind == ARM_ELSE) {
      if (has_else) diag_report(c->d, DIAG_ERROR, a->at, NULL, "a second 'else'");
      has_else = 1;
      continue;
    }
    if (bad) continue;
    if (ts == TY_ENUM) {
      if (a->kind != ARM_VALUE) {
        diag_report(c->d, DIAG_ERROR, a->at, "list the values: soe: 90%, private: 85%", "a category is not a number");
        bad = 1;
        continue;
      }
      ast_expr n = {0};
      n.kind = EX_NAME;
      n.name = a->name;
      n.at = a->at;
      n.enum_input = -1;
      int input = e->a->enum_input >= 0 ? e->a->enum_input : e->a->input;
      chk_enum_value(c, &n, input);
      a->enum_value = n.type == TY_ENUM ? n.enum_value : -1;
      for (int j = 0; j < i; j++) {
        const ast_arm *o = e->args.v[j];
        if (o->kind == ARM_VALUE && !strcmp(o->name, a->name))
          diag_report(c->d, DIAG_ERROR, a->at, NULL, "'%s' listed twice", a->name);
      }
    } else {
      if (a->kind == ARM_VALUE) {
        diag_report(c->d, DIAG_ERROR, a->at, "brackets are < x, <= x, > x, >= x, a..b", "'%s' is not a bracket of a number", a->name);
        bad = 1;
        continue;
      }
      ast_expr *bs[2] = {a->lo, a->hi};
      for (int k = 0; k < 2; k++) {
        if (!bs[k]) continue;
        ast_type tb = bs[k]->kind == EX_PERCENT ? TY_PERCENT : bs[k]->kind == EX_DATE ? TY_DATE : TY_LITERAL;
        bs[k]->type = tb;
        if (!is_numeric(tb) || unify(ts, tb) == TY_ERROR) {
          diag_report(c->d, DIAG_ERROR, bs[k]->at, NULL, "a bracket of %s bounded by %s", type_words(ts), type_words(tb));
          bad = 1;
        }
      }
      if (!bad && a->kind == ARM_RANGE && chk_bound(a->lo) > chk_bound(a->hi)) {
        diag_report(c->d, DIAG_ERROR, a->at, NULL, "empty bracket: %s is above %s", dec_format(chk_bound(a->lo), b1), dec_format(chk_bound(a->hi), b2));
        bad = 1;
      }
    }
  }
  if (bad) return TY_ERROR;
  if (ts == TY_ENUM && !has_else) {
    const ast_input *in = c->p->inputs.v[e->a->enum_input >= 0 ? e->a->enum_input : e->a->input];
    for (int k = 0; k < in->values.n; k++) {
      int found = 0;
      for (int i = 0; i < e->args.n; i++)
        if (((ast_arm *)e->args.v[i])->enum_value == k) found = 1;
      if (!found) {
        const ast_enum_value *v = in->values.v[k];
        char hint[256];
        snprintf(hint, sizeof hint, "add %s: …, or else: …", v->name);
        diag_report(c->d, DIAG_ERROR, e->at, hint, "no value for %s = %s%s%s%s", in->name, v->name,
                    v->label ? " (" : "", v->label ? v->label : "", v->label ? ")" : "");
      }
    }
  } else if (ts != TY_ENUM) {
    /* the brackets, in order, must meet end to end */
    int n = 0, whole = ts == TY_INT;
    chk_span *sp = ast_alloc(c->p->arena, (size_t)(e->args.n + 1) * sizeof *sp);
    for (int i = 0; i < e->args.n; i++) {
      const ast_arm *a = e->args.v[i];
      if (a->kind == ARM_ELSE) continue;
      chk_span x = {0};
      x.arm = a;
      switch (a->kind) {
      case ARM_LT: x.lo_inf = 1; x.hi = chk_bound(a->lo); x.hi_open = 1; break;
      case ARM_LE: x.lo_inf = 1; x.hi = chk_bound(a->lo); break;
      case ARM_GT: x.hi_inf = 1; x.lo = chk_bound(a->lo); x.lo_open = 1; break;
      case ARM_GE: x.hi_inf = 1; x.lo = chk_bound(a->lo); break;
      default: x.lo = chk_bound(a->lo); x.hi = chk_bound(a->hi); break;
      }
      /* counts are whole: < 50 is ..49, > 100 is 101.. */
      if (whole) {
        if (!x.lo_inf && x.lo_open) { x.lo = dec_floor(x.lo) + DEC_INT(1); x.lo_open = 0; }
        else if (!x.lo_inf) x.lo = dec_ceil(x.lo);
        if (!x.hi_inf && x.hi_open) { x.hi = dec_ceil(x.hi) - DEC_INT(1); x.hi_open = 0; }
        else if (!x.hi_inf) x.hi = dec_floor(x.hi);
      }
      sp[n++] = x;
    }
    qsort(sp, (size_t)n, sizeof *sp, chk_span_cmp);
    const ast_input *in = e->a->kind == EX_NAME && e->a->input >= 0 ? c->p->inputs.v[e->a->input] : NULL;
    /* the lowest value the subject can take: its range, or 0 for counts and percentages */
    int have_min = in && (in->min || in->type == TY_INT || in->type == TY_PERCENT);
    dec min = in && in->min ? in->min->num : 0;
    for (int i = 0; i < n; i++) {
      chk_span *x = &sp[i];
      if (i == 0) {
        if (!x->lo_inf && !has_else && !(have_min && x->lo <= min && !(x->lo == min && x->lo_open)))
          diag_report(c->d, DIAG_ERROR, x->arm->at, "add a bracket below it, or else: …",
                      "values below %s fall in no bracket", dec_format(x->lo, b1));
        continue;
      }
      chk_span *pv = &sp[i - 1];
      if (pv->hi_inf) {
        diag_report(c->d, DIAG_ERROR, x->arm->at, NULL, "this bracket overlaps another");
        continue;
      }
      dec next = whole ? pv->hi + DEC_INT(1) : pv->hi;
      int meets = whole ? x->lo == next : (x->lo == pv->hi && pv->hi_open != x->lo_open);
      if (x->lo_inf || x->lo < next || (!whole && x->lo == pv->hi && !pv->hi_open && !x->lo_open))
        diag_report(c->d, DIAG_ERROR, x->arm->at, NULL, "this bracket overlaps another");
      else if (!meets && !has_else) {
        /* say the values that fall through as the officer counts them */
        dec from = whole ? pv->hi + DEC_INT(1) : pv->hi, to = whole ? x->lo - DEC_INT(1) : x->lo;
        if (from == to)
          diag_report(c->d, DIAG_ERROR, x->arm->at, "make the brackets meet, or add else: …",
                      "the value %s falls in no bracket", dec_format(from, b1));
        else if (whole)
          diag_report(c->d, DIAG_ERROR, x->arm->at, "make the brackets meet, or add else: …",
                      "values from %s to %s fall in no bracket", dec_format(from, b1), dec_format(to, b2));
        else
          diag_report(c->d, DIAG_ERROR, x->arm->at, "make the brackets meet, or add else: …",
                      "values between %s and %s fall in no bracket", dec_format(from, b1), dec_format(to, b2));
      }
    }
    if (n && !sp[n - 1].hi_inf && !has_else)
      diag_report(c->d, DIAG_ERROR, sp[n - 1].arm->at, "add a bracket above it, or else: …",
                  "values above %s fall in no bracket", dec_format(sp[n - 1].hi, b1));
  }
  return tv;
}

static int chk_find_index(chk *c, const char *name) { return tab_get(&c->indices, name); }

/* all any count share over an index; share count sum ratio over the
 * records, in a target; year of a date. */
static ast_type chk_fn(chk *c, ast_expr *e) {
  static const char *const fn[] = {"min", "max", "floor", "ceil", "all", "any", "count", "share", "sum", "ratio", "year"};
  const char *name = fn[e->op];
  if (e->op == FN_YEAR) {
    if (e->args.n != 1 || e->where) {
      diag_report(c->d, DIAG_ERROR, e->at, NULL, "year takes one date");
      return TY_ERROR;
    }
    return chk_date_arg(c, e->args.v[0], "year") == TY_ERROR ? TY_ERROR : TY_INT;
  }
  ast_expr *a0 = e->args.n ? e->args.v[0] : NULL;
  int ix = a0 && e->args.n == 1 && !e->where && a0->kind == EX_NAME ? chk_find_index(c, a0->name) : -1;
  if (ix >= 0 && e->op != FN_SUM && e->op != FN_RATIO) {
    if (c->in_check) {
      ((ast_index *)c->p->indices.v[ix])->uses++; /* one message for one mistake */
      diag_report(c->d, DIAG_ERROR, e->at, "checks are pass/fail facts of the record", "a check cannot use an index");
      return TY_ERROR;
    }
    ((ast_index *)c->p->indices.v[ix])->uses++;
    e->index = ix;
    a0->type = TY_BOOL;
    a0->input = -1;
    return e->op == FN_ALL || e->op == FN_ANY ? TY_BOOL : e->op == FN_COUNT ? TY_INT : TY_PERCENT;
  }
  e->index = -1;
  if (a0 && a0->kind == EX_NAME && e->args.n == 1 && (e->op == FN_ALL || e->op == FN_ANY || !c->in_target) &&
      chk_find_input(c, a0->name) < 0) {
    /* not an input either: a slip in an index's name */
    const char *best = NULL;
    size_t bestd = 3;
    for (int i = 0; i < c->p->indices.n; i++) {
      const char *n = ((ast_index *)c->p->indices.v[i])->name;
      size_t dd = chk_distance(a0->name, n);
      if (dd < bestd) { best = n; bestd = dd; }
    }
    char hint[160];
    if (best) snprintf(hint, sizeof hint, "did you mean '%s'?", best);
    else snprintf(hint, sizeof hint, "declare it: index %s \"…\" { check \"…\" … }", a0->name);
    diag_report(c->d, DIAG_ERROR, a0->at, hint, "no index '%s'", a0->name);
    if (best) ((ast_index *)c->p->indices.v[chk_find_index(c, best)])->uses++;
    return TY_ERROR;
  }
  if (e->op == FN_ALL || e->op == FN_ANY) {
    diag_report(c->d, DIAG_ERROR, a0 ? a0->at : e->at, "all(…) and any(…) take the name of an index", "%s needs an index",
                name);
    return TY_ERROR;
  }
  if (!c->in_target) {
    diag_report(c->d, DIAG_ERROR, e->at,
                e->op == FN_SHARE || e->op == FN_COUNT ? "over an index: share(index_name); over the records: only in a target"
                                                       : "sum and ratio are taken over all records, in a target",
                "%s(…) here is not an index", name);
    return TY_ERROR;
  }
  /* a population aggregate: its insides are per record */
  c->in_target = 0;
  ast_type t = TY_ERROR;
  if (e->op == FN_RATIO) {
    if (e->args.n != 2 || e->where) {
      diag_report(c->d, DIAG_ERROR, e->at, "ratio(sum(a), sum(b)): each with its own where", "ratio takes two sums or counts");
    } else {
      int ok = 1;
      for (int i = 0; i < 2; i++) {
        ast_expr *x = e->args.v[i];
        if (x->kind != EX_CALL || (x->op != FN_SUM && x->op != FN_COUNT)) {
          diag_report(c->d, DIAG_ERROR, x->at, NULL, "each side of ratio is a sum(…) or a count(…)");
          ok = 0;
          continue;
        }
        c->in_target = 1;
        if (chk_expr(c, x) == TY_ERROR) ok = 0;
        c->in_target = 0;
      }
      t = ok ? TY_PERCENT : TY_ERROR;
    }
  } else if (e->args.n != 1) {
    diag_report(c->d, DIAG_ERROR, e->at, NULL, "%s takes one value (and a where)", name);
  } else if (e->op == FN_SUM) {
    ast_type ta = chk_numeric(c, a0, "the value summed");
    if (ta == TY_PERCENT)
      diag_report(c->d, DIAG_ERROR, a0->at, "sum the counts and take ratio(sum(a), sum(b))", "percentages do not add up");
    t = ta == TY_ERROR || ta == TY_PERCENT ? TY_ERROR : ta == TY_LITERAL ? TY_NUMBER : ta;
  } else {
    t = chk_want(c, a0, TY_BOOL, e->op == FN_SHARE ? "what share counts" : "what count counts") == TY_ERROR ? TY_ERROR
        : e->op == FN_SHARE ? TY_PERCENT : TY_INT;
  }
  if (e->where) chk_want(c, e->where, TY_BOOL, "a where");
  c->in_target = 1;
  return t;
}

static ast_type chk_expr_inner(chk *c, ast_expr *e) {
  switch (e->kind) {
  case EX_NUM: return TY_LITERAL;
  case EX_PERCENT: return TY_PERCENT;
  case EX_BOOL: return TY_BOOL;
  case EX_DATE: return TY_DATE;
  case EX_SCORE:
    if (!c->in_rating) {
      diag_report(c->d, DIAG_ERROR, e->at, "score is the total, known once every item is scored",
                  "'score' can only be used in a rating, a target or an audit");
      return TY_ERROR;
    }
    return TY_NUMBER;
  case EX_NAME: {
    int i = chk_find_input(c, e->name);
    if (i < 0) {
      /* an enum value used alone (not compared) */
      for (int k = 0; k < c->p->inputs.n; k++)
        if (chk_find_value(c->p->inputs.v[k], e->name) >= 0) {
          diag_report(c->d, DIAG_ERROR, e->at, NULL, "'%s' is a value of '%s'; compare it: %s == %s", e->name,
                      ((ast_input *)c->p->inputs.v[k])->name, ((ast_input *)c->p->inputs.v[k])->name, e->name);
          return TY_ERROR;
        }
      chk_unknown_name(c, e);
      return TY_ERROR;
    }
    ast_input *in = c->p->inputs.v[i];
    in->uses++;
    e->input = i;
    e->optional = in->type == TY_DATE && in->def && in->def->kind == EX_NONE;
    if (in->type == TY_TEXT) {
      diag_report(c->d, DIAG_ERROR, e->at, NULL, "'%s' is text: it names the record and cannot be scored", e->name);
      return TY_ERROR;
    }
    return in->type;
  }
  case EX_NEG: return chk_numeric(c, e->a, "the operand of -");
  case EX_NOT: chk_want(c, e->a, TY_BOOL, "the operand of 'not'"); return TY_BOOL;
  case EX_BINARY:
    switch (e->op) {
    case OPX_AND: case OPX_OR: case OPX_IMPLIES: {
      const char *w = ast_binop_text(e->op);
      char what[48];
      snprintf(what, sizeof what, "each side of '%s'", w);
      chk_want(c, e->a, TY_BOOL, what);
      chk_want(c, e->b, TY_BOOL, what);
      return TY_BOOL;
    }
    case OPX_EQ: case OPX_NE: case OPX_LT: case OPX_LE: case OPX_GT: case OPX_GE:
      return chk_compare(c, e);
    default:
      return chk_arith(c, e);
    }
  case EX_IN: return chk_in(c, e);
  case EX_BY: return chk_by(c, e);
  case EX_ASOF: return TY_DATE;
  case EX_WITHIN:
  case EX_THISYEAR:
    if (chk_date_arg(c, e->a, e->kind == EX_WITHIN ? "'within'" : "'in this year'") == TY_ERROR) return TY_ERROR;
    return TY_BOOL;
  case EX_YEARS:
    if (chk_date_arg(c, e->a, "'years since'") == TY_ERROR) return TY_ERROR;
    return TY_INT;
  case EX_NONE:
    diag_report(c->d, DIAG_ERROR, e->at, "compare with it: d == none, rating == none", "'none' alone is not a value here");
    return TY_ERROR;
  case EX_STRING:
    diag_report(c->d, DIAG_ERROR, e->at, "a level name is compared with the rating: rating >= \"四星级\"",
                "a text is not a value here");
    return TY_ERROR;
  case EX_RATING:
    diag_report(c->d, DIAG_ERROR, e->at, "compare it with a level: rating >= \"四星级\"",
                c->after_rating ? "'rating' alone is not a value" : "'rating' is known only in targets and audits");
    return TY_ERROR;
  case EX_CALL:
    if (e->op >= FN_ALL) return chk_fn(c, e);
    /* fall through */
  {
    static const char *const fn[] = {"min", "max", "floor", "ceil"};
    int two = e->op == FN_MIN || e->op == FN_MAX;
    if (two ? e->args.n < 2 : e->args.n != 1) {
      diag_report(c->d, DIAG_ERROR, e->at, NULL, "%s takes %s", fn[e->op], two ? "two or more values" : "one value");
      for (int i = 0; i < e->args.n; i++) chk_expr(c, e->args.v[i]); /* still name what is wrong inside */
      return TY_ERROR;
    }
    ast_type t = TY_LITERAL;
    for (int i = 0; i < e->args.n; i++) {
      char what[48];
      snprintf(what, sizeof what, "an argument of %s", fn[e->op]);
      ast_type ti = chk_numeric(c, e->args.v[i], what);
      if (ti == TY_ERROR) return TY_ERROR;
      ast_type u = unify(t, ti);
      if (u == TY_ERROR) {
        diag_report(c->d, DIAG_ERROR, ((ast_expr *)e->args.v[i])->at, NULL, "%s mixed with %s in %s",
                    type_words(ti), type_words(t), fn[e->op]);
        return TY_ERROR;
      }
      t = u;
    }
    return two || t == TY_LITERAL ? t : (t == TY_PERCENT ? TY_PERCENT : TY_INT);
  }
  }
  return TY_ERROR;
}

static ast_type chk_expr(chk *c, ast_expr *e) {
  if (e->type == TY_ENUM && e->enum_input >= 0) return TY_ENUM; /* resolved by chk_enum_value */
  e->type = chk_expr_inner(c, e);
  if (e->kind == EX_NAME && e->type == TY_ENUM) e->enum_input = -1;
  return e->type;
}

/* ---- inputs --------------------------------------------------------------- */

static int chk_literal_fits(chk *c, ast_input *in, ast_expr *lit, const char *what) {
  ast_type lt;
  if (lit->kind == EX_NAME) {
    if (in->type == TY_ENUM) {
      int k = chk_find_value(in, lit->name);
      if (k < 0) {
        diag_report(c->d, DIAG_ERROR, lit->at, NULL, "'%s' is not a value of '%s'", lit->name, in->name);
        return 0;
      }
      lit->type = TY_ENUM;
      lit->enum_input = chk_find_input(c, in->name);
      lit->enum_value = k;
      return 1;
    }
    diag_report(c->d, DIAG_ERROR, lit->at, NULL, "%s of '%s' must be %s", what, in->name, type_words(in->type));
    return 0;
  }
  lt = lit->kind == EX_NUM ? TY_LITERAL : lit->kind == EX_PERCENT ? TY_PERCENT : lit->kind == EX_BOOL ? TY_BOOL : TY_DATE;
  lit->type = lt;
  int ok = lt == in->type || (lt == TY_LITERAL && is_numeric(in->type));
  if (ok && in->type == TY_INT && !dec_is_whole(lit->num)) ok = 0;
  if (!ok) {
    diag_report(c->d, DIAG_ERROR, lit->at, NULL, "%s of '%s' must be %s", what, in->name, type_words(in->type));
    return 0;
  }
  return 1;
}

static void chk_inputs(chk *c) {
  ast_policy *p = c->p;
  int key = -1;
  /* words: every earlier name and label; labels: earlier labels only */
  chk_table seen, words, labels;
  tab_init(&seen, p->arena, p->inputs.n);
  tab_init(&words, p->arena, 2 * p->inputs.n);
  tab_init(&labels, p->arena, p->inputs.n);
  for (int i = 0; i < p->inputs.n; i++) {
    ast_input *in = p->inputs.v[i];
    char hint[200];
    int j = tab_get(&seen, in->name);
    if (j >= 0) {
      char w[160];
      snprintf(hint, sizeof hint, "the first is on %s", chk_where(c, ((ast_input *)p->inputs.v[j])->at, in->at, w, sizeof w));
      diag_report(c->d, DIAG_ERROR, in->at, hint, "input '%s' declared twice", in->name);
      in->uses++; /* one message for one mistake */
    } else {
      int jl = tab_get(&words, in->label), jn = tab_get(&labels, in->name);
      int other = jl >= 0 ? jl : jn;
      if (other >= 0) {
        const ast_input *o = p->inputs.v[other];
        snprintf(hint, sizeof hint, "'%s' (line %d) has it too; a column could not tell them apart", o->name,
                 o->at.line);
        if (jl >= 0) diag_report(c->d, DIAG_ERROR, in->label_at, hint, "duplicate label \"%s\"", in->label);
        else diag_report(c->d, DIAG_ERROR, in->at, hint, "the name '%s' is also the label of '%s'", in->name, o->name);
      }
    }
    tab_put(&seen, in->name, i);
    tab_put(&words, in->name, i);
    tab_put(&words, in->label, i);
    tab_put(&labels, in->label, i);
    for (int k = 0; k < in->values.n; k++) {
      ast_enum_value *v = in->values.v[k];
      if (chk_find_value(in, v->name) != k)
        diag_report(c->d, DIAG_ERROR, v->at, NULL, "value '%s' listed twice", v->name);
      for (int j = 0; j < k && v->label; j++) {
        ast_enum_value *o = in->values.v[j];
        if (o->label && !strcmp(o->label, v->label))
          diag_report(c->d, DIAG_ERROR, v->at, "a cell could not tell them apart",
                      "values '%s' and '%s' have the same label \"%s\"", o->name, v->name, v->label);
      }
      if (chk_find_input(c, v->name) >= 0)
        diag_report(c->d, DIAG_ERROR, v->at, "rename the value or the input", "value '%s' has the name of an input", v->name);
    }
    if (in->key) {
      if (in->type != TY_TEXT) {
        char hint[256];
        snprintf(hint, sizeof hint, "declare it as: %s text \"%s\" key", in->name, in->label);
        diag_report(c->d, DIAG_ERROR, in->at, hint, "the key must be a text input");
      }
      else if (key >= 0) diag_report(c->d, DIAG_ERROR, in->at, NULL, "a second key input ('%s' is the key)", ((ast_input *)p->inputs.v[key])->name);
      else key = i;
    } else if (in->type == TY_TEXT) {
      diag_report(c->d, DIAG_ERROR, in->at, "mark it as the record's key, or give it another type",
                  "text input '%s' is not the key: text cannot be scored", in->name);
    }
    if (in->required && in->def)
      diag_report(c->d, DIAG_ERROR, in->def->at, "an input with a default is not required", "input '%s' is required and has a default", in->name);
    if (in->category && in->type != TY_ENUM)
      diag_report(c->d, DIAG_ERROR, in->at, NULL, "the category must be an enum; '%s' is %s", in->name, type_words(in->type));
    else if (in->category && c->category >= 0)
      diag_report(c->d, DIAG_ERROR, in->at, NULL, "a second category ('%s' is the category)",
                  ((ast_input *)p->inputs.v[c->category])->name);
    else if (in->category)
      c->category = i;
    if (in->def && in->def->kind == EX_NONE) {
      if (in->type != TY_DATE)
        diag_report(c->d, DIAG_ERROR, in->def->at, "only a date may be none (no such event)",
                    "'%s' is %s: it cannot default to none", in->name, type_words(in->type));
      in->def->type = TY_DATE;
    } else if (in->def && chk_literal_fits(c, in, in->def, "the default") && !in->min && !in->max &&
        in->def->kind != EX_NAME) {
      /* the ranges an input has without writing one (see codegen.c) */
      if (in->type == TY_PERCENT && (in->def->num < 0 || in->def->num > DEC_INT(100)))
        diag_report(c->d, DIAG_ERROR, in->def->at, "a percentage lies in 0..100 unless a range says otherwise",
                    "the default of '%s' is not a percentage from 0 to 100", in->name);
      if (in->type == TY_INT && in->def->num < 0)
        diag_report(c->d, DIAG_ERROR, in->def->at, "counts are 0 or more unless a range says otherwise",
                    "the default of '%s' is negative", in->name);
    }
    if (in->min || in->max) {
      if (in->type != TY_INT && in->type != TY_NUMBER && in->type != TY_PERCENT && in->type != TY_DATE) {
        diag_report(c->d, DIAG_ERROR, in->range_at, NULL, "a range needs numbers or dates; '%s' is %s", in->name, type_words(in->type));
      } else {
        int ok = (!in->min || chk_literal_fits(c, in, in->min, "the range")) &&
                 (!in->max || chk_literal_fits(c, in, in->max, "the range"));
        if (ok && in->min && in->max && in->min->num > in->max->num)
          diag_report(c->d, DIAG_ERROR, in->range_at, NULL, "empty range: the lower bound is above the upper");
        if (ok && in->def && in->def->kind != EX_NAME &&
            ((in->min && in->def->num < in->min->num) || (in->max && in->def->num > in->max->num)))
          diag_report(c->d, DIAG_ERROR, in->def->at, NULL, "the default of '%s' is outside its range", in->name);
      }
    }
  }
}

/* ---- items and rules ------------------------------------------------------ */

int check_per_needs_rounding(const ast_rule *r) {
  if (!r->expr) return 0; /* per missing: a count */
  return !dec_is_whole(r->unit) || r->unit != DEC_INT(1) || r->expr->type != TY_INT;
}

static void chk_rule(chk *c, ast_item *it, ast_rule *r, dec *award_max) {
  char buf[DEC_BUFSZ], buf2[DEC_BUFSZ];
  if (r->verb != RU_ZERO && r->points <= 0)
    diag_report(c->d, DIAG_ERROR, r->points_at, NULL, "a rule must move some points");
  if (r->per == PER_NONE) {
    chk_want(c, r->expr, TY_BOOL, "the condition");
  } else if (r->expr) {
    ast_type t = chk_expr(c, r->expr);
    if (t == TY_BOOL)
      diag_report(c->d, DIAG_ERROR, r->expr->at, "for a yes/no fact write: if …, or per missing(…)",
                  "'per' needs a quantity, but this is a yes/no value");
    else if (t != TY_ERROR && !is_numeric(t))
      diag_report(c->d, DIAG_ERROR, r->expr->at, NULL, "'per' needs a quantity, but this is %s", type_words(t));
    else if (t != TY_ERROR && r->per == PER_DEFAULT && check_per_needs_rounding(r))
      diag_report(c->d, DIAG_ERROR, r->at,
                  "write 'per started' when every begun unit counts (每少一个百分点), 'per whole' when only complete ones do (每满)",
                  "say whether a part of a unit counts: %s", t == TY_INT ? "the unit is not 1" : t == TY_PERCENT ? "the quantity is a percentage" : "the quantity is a number");
    if (r->unit <= 0) diag_report(c->d, DIAG_ERROR, r->at, NULL, "the unit must be positive");
  } else {
    for (int i = 0; i < r->missing.n; i++)
      chk_want(c, r->missing.v[i], TY_BOOL, "each item of missing(…)");
  }
  if (r->verb == RU_AWARD && r->per != PER_NONE && !r->has_max)
    diag_report(c->d, DIAG_ERROR, r->at, "state the cap: award N per … max M (满分M分)", "an award per unit needs a maximum");
  if (r->verb == RU_AWARD) {
    dec m = r->per == PER_NONE ? r->points : r->max;
    if (m > it->points)
      diag_report(c->d, DIAG_WARNING, r->per == PER_NONE ? r->points_at : r->max_at, NULL,
                  "the award can reach %s, more than item %s is worth (%s)", dec_format(m, buf), it->number,
                  dec_format(it->points, buf2));
    dec_add(*award_max, m, award_max);
  } else if (r->verb == RU_DEDUCT && r->per == PER_NONE && r->points > it->points) {
    diag_report(c->d, DIAG_WARNING, r->points_at, NULL, "the deduction of %s is more than item %s is worth (%s)",
                dec_format(r->points, buf), it->number, dec_format(it->points, buf2));
  }
  if (r->has_max && r->max <= 0) diag_report(c->d, DIAG_ERROR, r->max_at, NULL, "the maximum must be positive");
}

/* The document's arithmetic: a finding the policy acknowledges stays a
 * warning that names the acknowledgement; otherwise it is an error. */
static void chk_sum(chk *c, ast_loc at, const char *ack, const char *hint, const char *fmt, const char *a1,
                    const char *a2, const char *a3) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, a1, a2, a3);
  if (ack) {
    char h[600];
    snprintf(h, sizeof h, "acknowledged: %s", ack);
    diag_report(c->d, DIAG_WARNING, at, h, "%s", msg);
  } else {
    diag_report(c->d, DIAG_ERROR, at, hint, "%s", msg);
  }
}

static void chk_when(chk *c, ast_expr *when) {
  if (when) chk_want(c, when, TY_BOOL, "a 'when'");
}

/* Tables selected by one category, `kind == v` or `kind in (…)`: every value
 * must have exactly one table. */
static void chk_table_cover(chk *c) {
  ast_policy *p = c->p;
  if (!p->tables.n) return;
  int input = -1;
  for (int t = 0; t < p->tables.n; t++) {
    const ast_expr *w = ((ast_table *)p->tables.v[t])->when;
    const ast_expr *subj = w->kind == EX_IN && !w->op ? w->a : w->kind == EX_BINARY && w->op == OPX_EQ ? w->a : NULL;
    if (!subj || subj->kind != EX_NAME || subj->input < 0 || subj->type != TY_ENUM || (input >= 0 && subj->input != input)) {
      /* a record two tables select would be scored twice: say that it
       * cannot be checked here */
      diag_report(c->d, DIAG_WARNING, ((ast_table *)p->tables.v[t])->at,
                  "choose every table by one category: when kind == x, or when kind in (x, y)",
                  "tally cannot check that exactly one table applies to each record");
      return;
    }
    input = subj->input;
  }
  const ast_input *in = p->inputs.v[input];
  int *owner = ast_alloc(p->arena, (size_t)(in->values.n + 1) * sizeof *owner);
  for (int k = 0; k < in->values.n; k++) owner[k] = -1;
  for (int t = 0; t < p->tables.n; t++) {
    const ast_table *tb = p->tables.v[t];
    const ast_expr *w = tb->when;
    int nv = w->kind == EX_IN ? w->args.n : 1;
    for (int i = 0; i < nv; i++) {
      const ast_expr *v = w->kind == EX_IN ? w->args.v[i] : w->b;
      if (v->type != TY_ENUM) continue;
      if (owner[v->enum_value] >= 0) {
        char hint[300];
        snprintf(hint, sizeof hint, "table \"%s\" already scores it", ((ast_table *)p->tables.v[owner[v->enum_value]])->title);
        diag_report(c->d, DIAG_ERROR, v->at, hint, "two tables for %s = %s", in->name, v->name);
      }
      owner[v->enum_value] = t;
    }
  }
  for (int k = 0; k < in->values.n; k++)
    if (owner[k] < 0) {
      const ast_enum_value *v = in->values.v[k];
      diag_report(c->d, DIAG_ERROR, ((ast_table *)p->tables.v[p->tables.n - 1])->at, "add a table for it",
                  "no table for %s = %s%s%s%s", in->name, v->name, v->label ? " (" : "", v->label ? v->label : "",
                  v->label ? ")" : "");
    }
}

static void chk_sections(chk *c) {
  ast_policy *p = c->p;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  int nitems = 0;
  for (int s = 0; s < p->sections.n; s++) nitems += ((ast_section *)p->sections.v[s])->items.n;
  for (int t = 0; t < p->tables.n; t++) chk_when(c, ((ast_table *)p->tables.v[t])->when);
  chk_table_cover(c);
  dec scale = p->has_scale ? p->scale : DEC_INT(100);
  /* one pass per table; the policy's own sections are "table" NULL */
  for (int t = -1; t < p->tables.n; t++) {
    ast_table *tb = t < 0 ? NULL : p->tables.v[t];
    chk_table numbers, keys;
    tab_init(&numbers, p->arena, nitems);
    tab_init(&keys, p->arena, nitems);
    dec total = 0;
    int nsec = 0;
    for (int s = 0; s < p->sections.n; s++) {
      ast_section *sec = p->sections.v[s];
      if (sec->table != tb) continue;
      nsec++;
      dec sum = 0;
      for (int i = 0; i < sec->items.n; i++) {
        ast_item *it = sec->items.v[i];
        int first = tab_get(&numbers, it->number);
        if (first >= 0) {
          char hint[256], w[200];
          ast_loc at = {first % 10000000, 0, 0, 0, first / 10000000};
          snprintf(hint, sizeof hint, "item %s is on %s", it->number, chk_where(c, at, it->at, w, sizeof w));
          diag_report(c->d, DIAG_ERROR, it->number_at, hint, "duplicate item number %s", it->number);
        }
        tab_put(&numbers, it->number, it->at.line + it->at.file * 10000000);
        if (it->key) { /* a key names one item of the table, as a number does */
          int other = tab_get(&keys, it->key);
          if (other >= 0) {
            char hint[256], w[200];
            ast_loc at = {other % 10000000, 0, 0, 0, other / 10000000};
            snprintf(hint, sizeof hint, "the other item with this key is on %s", chk_where(c, at, it->at, w, sizeof w));
            diag_report(c->d, DIAG_ERROR, it->key_at, hint, "item %s: key \"%s\" is another item's already", it->number, it->key);
          } else if (!*it->key) {
            diag_report(c->d, DIAG_ERROR, it->key_at, NULL, "item %s: an empty key", it->number);
          }
          tab_put(&keys, it->key, it->at.line + it->at.file * 10000000);
        }
        if (it->points < 0) diag_report(c->d, DIAG_ERROR, it->points_at, NULL, "negative points");
        chk_when(c, it->when);
        dec award_max = 0;
        for (int r = 0; r < it->rules.n; r++) {
          ast_rule *ru = it->rules.v[r];
          chk_rule(c, it, ru, &award_max);
          chk_when(c, ru->when);
        }
        if (award_max > it->points && it->rules.n > 1)
          diag_report(c->d, DIAG_WARNING, it->points_at, NULL, "the awards of item %s can reach %s, more than its %s points",
                      it->number, dec_format(award_max, b1), dec_format(it->points, b2));
        dec_add(sum, it->points, &sum);
      }
      if (sum == sec->max && sec->ack)
        diag_report(c->d, DIAG_WARNING, sec->ack_at, "remove the acknowledge", "section \"%s\" adds up: nothing to acknowledge",
                    sec->title);
      if (sum != sec->max) {
        char hint[160];
        snprintf(hint, sizeof hint, "the items are worth %s in all; the section says %s", dec_format(sum, b1),
                 dec_format(sec->max, b2));
        chk_sum(c, sec->max_at, sec->ack, hint, "section \"%s\" does not add up: items %s, section %s", sec->title, b1, b2);
      }
      dec_add(total, sec->max, &total);
    }
    if (nsec && total == scale && (tb ? tb->ack : p->ack))
      diag_report(c->d, DIAG_WARNING, tb ? tb->ack_at : p->ack_at, "remove the acknowledge",
                  "the sections add up to the scale: nothing to acknowledge");
    if (nsec && total != scale) {
      if (tb)
        chk_sum(c, tb->at, tb->ack, NULL, "the sections of table \"%s\" add up to %s, but the scale is %s", tb->title,
                dec_format(total, b1), dec_format(scale, b2));
      else
        chk_sum(c, p->has_scale ? p->scale_at : p->at, p->ack, NULL, "the sections add up to %s, but the scale is %s%s",
                dec_format(total, b1), dec_format(scale, b2), "");
    } else if (tb && !nsec) {
      diag_report(c->d, DIAG_ERROR, tb->at, NULL, "table \"%s\" has no sections", tb->title);
    }
  }
}

/* A condition that reads nothing of the record is the same for every union. */
static int chk_constant(const ast_expr *e) {
  if (!e) return 1;
  switch (e->kind) {
  case EX_NAME: return e->input < 0;
  case EX_SCORE: case EX_RATING: case EX_ASOF: return 0;
  case EX_CALL:
    if (e->op >= FN_ALL && e->op != FN_YEAR) return 0;
    for (int i = 0; i < e->args.n; i++)
      if (!chk_constant(e->args.v[i])) return 0;
    return 1;
  case EX_BY: case EX_IN: case EX_WITHIN: case EX_YEARS: case EX_THISYEAR: case EX_NEG: case EX_NOT:
    return chk_constant(e->a);
  case EX_BINARY: return chk_constant(e->a) && chk_constant(e->b);
  default: return 1;
  }
}

static void chk_indices(chk *c) {
  ast_policy *p = c->p;
  tab_init(&c->indices, p->arena, p->indices.n);
  for (int i = 0; i < p->indices.n; i++) {
    ast_index *x = p->indices.v[i];
    if (tab_get(&c->indices, x->name) >= 0)
      diag_report(c->d, DIAG_ERROR, x->at, NULL, "index '%s' declared twice", x->name);
    else if (chk_find_input(c, x->name) >= 0)
      diag_report(c->d, DIAG_ERROR, x->at, "rename the index or the input", "index '%s' has the name of an input", x->name);
    tab_put(&c->indices, x->name, i);
  }
  c->in_check = 1;
  for (int i = 0; i < p->indices.n; i++) {
    ast_index *x = p->indices.v[i];
    chk_when(c, x->when);
    if (!x->checks.n)
      diag_report(c->d, DIAG_ERROR, x->at, "add its checks: check \"…\" condition", "index '%s' has no checks", x->name);
    for (int k = 0; k < x->checks.n; k++) {
      ast_check *ck = x->checks.v[k];
      ck->index = i;
      if (chk_want(c, ck->cond, TY_BOOL, "a check") != TY_ERROR && chk_constant(ck->cond))
        diag_report(c->d, DIAG_WARNING, ck->cond->at, "a check should read the record", "this check is the same for every record");
      chk_when(c, ck->when);
    }
  }
  c->in_check = 0;
}

/* ---- vetoes and rating ------------------------------------------------------ */

int check_level_threshold(const ast_expr *cond, dec *k) {
  if (cond->kind != EX_BINARY || cond->op != OPX_GE || cond->a->kind != EX_SCORE || cond->b->kind != EX_NUM) return 0;
  *k = cond->b->num;
  return 1;
}

/* Two conditions written alike (same tree). */
static int chk_same_expr(const ast_expr *a, const ast_expr *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->op != b->op || a->num != b->num || a->args.n != b->args.n) return 0;
  if ((a->name || b->name) && (!a->name || !b->name || strcmp(a->name, b->name))) return 0;
  if (!chk_same_expr(a->a, b->a) || !chk_same_expr(a->b, b->b) || !chk_same_expr(a->where, b->where)) return 0;
  if (a->kind == EX_BY) return 0; /* arms: not compared; say different */
  for (int i = 0; i < a->args.n; i++)
    if (!chk_same_expr(a->args.v[i], b->args.v[i])) return 0;
  return 1;
}

static void chk_rating(chk *c) {
  ast_rating *r = c->p->rating;
  if (r->cumulative && r->levels.n > 200)
    diag_report(c->d, DIAG_ERROR, r->at, NULL, "a cumulative rating of %d levels; the limit is 200", r->levels.n);
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  c->in_rating = 1;
  dec prev = 0;
  int have_prev = 0;
  dec scale = c->p->has_scale ? c->p->scale : DEC_INT(100);
  for (int i = 0; i < r->levels.n; i++) {
    ast_level *l = r->levels.v[i];
    chk_want(c, l->cond, TY_BOOL, "a level's condition");
    for (int j = 0; j < i; j++)
      if (!strcmp(((ast_level *)r->levels.v[j])->name, l->name)) {
        diag_report(c->d, DIAG_ERROR, l->at, NULL, "level \"%s\" listed twice", l->name);
        break;
      }
    for (int j = 0; j < i; j++) {
      const ast_level *h = r->levels.v[j];
      dec k1, k2;
      if (check_level_threshold(h->cond, &k1) && check_level_threshold(l->cond, &k2)) continue; /* said below */
      if (chk_same_expr(h->cond, l->cond) || (h->cond->kind == EX_BOOL && h->cond->num)) {
        diag_report(c->d, DIAG_WARNING, l->at, NULL, "level \"%s\" can never be reached: \"%s\" above it %s", l->name,
                    h->name, chk_same_expr(h->cond, l->cond) ? "has the same condition" : "always holds");
        break;
      }
    }
    if (chk_constant(l->cond) && l->cond->type == TY_BOOL && !(l->cond->kind == EX_BOOL && l->cond->num))
      diag_report(c->d, DIAG_WARNING, l->cond->at, NULL, "the condition of level \"%s\" is the same for every record", l->name);
    dec k;
    if (check_level_threshold(l->cond, &k)) {
      if (have_prev && k >= prev) {
        char hint[128];
        snprintf(hint, sizeof hint, "levels are tested from the top: list them from the highest threshold down");
        diag_report(c->d, DIAG_ERROR, l->cond->b->at, hint, "threshold %s is not below the previous level's %s",
                    dec_format(k, b1), dec_format(prev, b2));
      }
      if (k > scale)
        diag_report(c->d, DIAG_WARNING, l->cond->b->at, NULL, "level \"%s\" can never be reached: %s is above the scale %s",
                    l->name, dec_format(k, b1), dec_format(scale, b2));
      prev = k;
      have_prev = 1;
    }
  }
  if (r->else_name)
    for (int j = 0; j < r->levels.n; j++)
      if (!strcmp(((ast_level *)r->levels.v[j])->name, r->else_name)) {
        diag_report(c->d, DIAG_ERROR, r->else_at, NULL, "level \"%s\" listed twice", r->else_name);
        break;
      }
  c->in_rating = 0;
}

/* Counts the bytecode can hold (see runtime/tbc.h and lang/limits.h). */
static void chk_counts(chk *c) {
  ast_policy *p = c->p;
  long items = 0, rules = 0;
  for (int s = 0; s < p->sections.n; s++) {
    ast_section *sec = p->sections.v[s];
    items += sec->items.n;
    for (int i = 0; i < sec->items.n; i++) rules += ((ast_item *)sec->items.v[i])->rules.n;
  }
  struct { const char *what; long n; } counts[] = {
      {"inputs", p->inputs.n}, {"sections", p->sections.n}, {"items", items}, {"rules", rules},
      {"vetoes", p->vetoes.n}, {"levels", p->rating ? p->rating->levels.n : 0}};
  for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
    if (counts[k].n > (long)TBC_MAX_COUNT)
      diag_report(c->d, DIAG_ERROR, p->at, NULL, "%ld %s; the limit is %u", counts[k].n, counts[k].what, TBC_MAX_COUNT);
  for (int i = 0; i < p->inputs.n; i++) {
    ast_input *in = p->inputs.v[i];
    if (in->values.n > LIM_ENUM_VALUES)
      diag_report(c->d, DIAG_ERROR, in->at, NULL, "'%s' has %d values; the limit is %d", in->name, in->values.n,
                  LIM_ENUM_VALUES);
  }
}

/* Quotas, targets and audits: applied after every record is scored. */
static void chk_population(chk *c) {
  ast_policy *p = c->p;
  char b1[DEC_BUFSZ];
  for (int i = 0; i < p->quotas.n; i++) {
    ast_quota *q = p->quotas.v[i];
    ast_expr s = {0};
    s.kind = EX_STRING;
    s.name = q->level;
    s.at = q->level_at;
    q->level_index = chk_level_name(c, &s);
    if (q->share < 0 || q->share > DEC_INT(100))
      diag_report(c->d, DIAG_ERROR, q->share_at, NULL, "a quota of %s%% is not a share of the records", dec_format(q->share, b1));
    for (int j = 0; j < i; j++)
      if (!strcmp(((ast_quota *)p->quotas.v[j])->level, q->level))
        diag_report(c->d, DIAG_ERROR, q->at, NULL, "a second quota for \"%s\"", q->level);
    if (q->ties) {
      int k = chk_find_input(c, q->ties->name);
      if (k < 0) chk_unknown_name(c, q->ties);
      else {
        q->ties->input = k;
        ((ast_input *)p->inputs.v[k])->uses++;
        ast_type t = ((ast_input *)p->inputs.v[k])->type;
        if (t == TY_BOOL || t == TY_ENUM)
          diag_report(c->d, DIAG_ERROR, q->ties->at, "ties are broken by a number, a date or the key", "'%s' cannot rank records",
                      q->ties->name);
      }
    }
  }
  c->in_rating = c->after_rating = 1;
  for (int i = 0; i < p->targets.n; i++) {
    ast_target *t = p->targets.v[i];
    ast_expr *e = t->cond;
    int cmp = e->kind == EX_BINARY && e->op >= OPX_EQ && e->op <= OPX_GE;
    ast_expr *agg = cmp ? e->a : NULL;
    if (!agg || agg->kind != EX_CALL || agg->op < FN_COUNT || agg->op > FN_RATIO || !chk_is_literal(e->b)) {
      diag_report(c->d, DIAG_ERROR, e->at, "write: share(cond where filter) >= 95%, count(…) >= 1000, sum(x) >= N, ratio(sum(a), sum(b)) >= 85%",
                  "a target is a share, count, sum or ratio over the records, compared with a goal");
      continue;
    }
    c->in_target = 1;
    ast_type ta = chk_expr(c, agg);
    c->in_target = 0;
    if (ta == TY_ERROR) continue;
    if (agg->index >= 0 && agg->op != FN_SUM && agg->op != FN_RATIO) {
      diag_report(c->d, DIAG_ERROR, agg->at, "a target counts records: share(all(basic))", "a target over one record's index");
      continue;
    }
    ast_type tb = chk_expr(c, e->b);
    if (ta == TY_PERCENT && tb != TY_PERCENT)
      diag_report(c->d, DIAG_ERROR, e->b->at, "write the goal as a percentage: 95%", "a share or a ratio is a percentage");
    else if (ta != TY_PERCENT && (tb != TY_LITERAL || (ta == TY_INT && !dec_is_whole(e->b->num))))
      diag_report(c->d, DIAG_ERROR, e->b->at, NULL, "the goal of a %s is a %s", agg->op == FN_COUNT ? "count" : "sum",
                  ta == TY_INT ? "whole number" : "number");
  }
  for (int i = 0; i < p->audits.n; i++) {
    ast_audit *a = p->audits.v[i];
    if (a->share <= 0 || a->share > DEC_INT(100))
      diag_report(c->d, DIAG_ERROR, a->share_at, NULL, "a sample of %s%% is not a share of the records", dec_format(a->share, b1));
    if (a->where) chk_want(c, a->where, TY_BOOL, "an audit's where");
  }
  c->in_rating = c->after_rating = 0;
}

/* An example's values: literals of the input's type. */
static void chk_examples(chk *c) {
  ast_policy *p = c->p;
  for (int x = 0; x < p->examples.n; x++) {
    ast_example *ex = p->examples.v[x];
    for (int j = 0; j < x; j++)
      if (!strcmp(((ast_example *)p->examples.v[j])->name, ex->name))
        diag_report(c->d, DIAG_ERROR, ex->at, NULL, "a second example \"%s\"", ex->name);
    for (int i = 0; i < ex->inputs.n; i++) {
      ast_field *f = ex->inputs.v[i];
      int k = chk_find_input(c, f->name);
      for (int j = 0; j < i; j++)
        if (!strcmp(((ast_field *)ex->inputs.v[j])->name, f->name))
          diag_report(c->d, DIAG_ERROR, f->at, NULL, "'%s' given twice", f->name);
      if (k < 0) {
        ast_expr n = {0};
        n.kind = EX_NAME;
        n.name = f->name;
        n.at = f->at;
        chk_unknown_name(c, &n);
        continue;
      }
      ast_input *in = p->inputs.v[k];
      if (f->value->kind == EX_NONE) {
        if (!(in->type == TY_DATE && in->def && in->def->kind == EX_NONE))
          diag_report(c->d, DIAG_ERROR, f->value->at, "leave it out to take its default", "'%s' cannot be none", f->name);
      } else if (f->value->kind == EX_STRING) {
        if (in->type != TY_TEXT)
          diag_report(c->d, DIAG_ERROR, f->value->at, NULL, "'%s' must be %s, not a text", f->name, type_words(in->type));
      } else if (in->type == TY_TEXT) {
        diag_report(c->d, DIAG_ERROR, f->value->at, NULL, "'%s' is a text: write it in quotes", f->name);
      } else {
        chk_literal_fits(c, in, f->value, "the value");
      }
    }
    for (int i = 0; i < ex->expects.n; i++) {
      ast_field *f = ex->expects.v[i];
      ast_expr *v = f->value;
      const char *n = f->name;
      if (f->arg && strcmp(n, "item")) { /* share(idx) all(idx) count(idx) */
        int ix = chk_find_index(c, f->arg);
        if (strcmp(n, "share") && strcmp(n, "all") && strcmp(n, "count") && strcmp(n, "any"))
          diag_report(c->d, DIAG_ERROR, f->at, "expect share(index), all(index), any(index) or count(index)", "cannot expect %s(…)", n);
        else if (ix < 0)
          diag_report(c->d, DIAG_ERROR, f->at, NULL, "no index '%s'", f->arg);
        else if (!strcmp(n, "share") ? v->kind != EX_PERCENT : !strcmp(n, "count") ? v->kind != EX_NUM : v->kind != EX_BOOL)
          diag_report(c->d, DIAG_ERROR, v->at, NULL, "%s(…) is %s", n,
                      !strcmp(n, "share") ? "a percentage" : !strcmp(n, "count") ? "a count" : "yes or no");
        f->fn = ix;
      } else if (!strcmp(n, "score")) {
        if (v->kind != EX_NUM) diag_report(c->d, DIAG_ERROR, v->at, NULL, "a score is a number");
      } else if (!strcmp(n, "rating")) {
        if (v->kind == EX_STRING) chk_level_name(c, v);
        else if (v->kind != EX_NONE) diag_report(c->d, DIAG_ERROR, v->at, "write the level's name in quotes, or none", "not a level");
      } else if (!strcmp(n, "vetoed")) {
        if (v->kind != EX_BOOL) diag_report(c->d, DIAG_ERROR, v->at, NULL, "vetoed is yes or no");
      } else if (!strcmp(n, "error")) {
        if (v->kind != EX_STRING) diag_report(c->d, DIAG_ERROR, v->at, "write what the message must say, in quotes", "not a text");
      } else if (!strcmp(n, "item")) {
        ast_item *found = NULL;
        for (int s = 0; s < p->sections.n && !found; s++) {
          ast_section *sec = p->sections.v[s];
          for (int k = 0; k < sec->items.n; k++)
            if (!strcmp(((ast_item *)sec->items.v[k])->number, f->arg)) found = sec->items.v[k];
        }
        if (!found) diag_report(c->d, DIAG_ERROR, f->at, NULL, "no item %s", f->arg);
        else if (v->kind != EX_NUM && v->kind != EX_NONE)
          diag_report(c->d, DIAG_ERROR, v->at, NULL, "an item's points are a number, or none when it does not apply");
      } else {
        diag_report(c->d, DIAG_ERROR, f->at, "expect score, rating, vetoed, error, item N, share(index), all(index), count(index)",
                    "cannot expect '%s'", n);
      }
    }
  }
}

int check_policy(ast_policy *p, diag *d) {
  chk c;
  memset(&c, 0, sizeof c);
  c.p = p;
  c.d = d;
  c.category = -1;
  int before = d->nerrors;
  chk_counts(&c);
  tab_init(&c.inputs, p->arena, p->inputs.n);
  for (int i = 0; i < p->inputs.n; i++) tab_put(&c.inputs, ((ast_input *)p->inputs.v[i])->name, i);
  if (p->has_scale && p->scale <= 0) diag_report(d, DIAG_ERROR, p->scale_at, NULL, "the scale must be positive");
  chk_inputs(&c);
  chk_indices(&c);
  chk_sections(&c);
  for (int i = 0; i < p->vetoes.n; i++) {
    ast_veto *v = p->vetoes.v[i];
    if (chk_want(&c, v->cond, TY_BOOL, "a veto's condition") != TY_ERROR && chk_constant(v->cond))
      diag_report(d, DIAG_WARNING, v->cond->at, "a veto should read the record", "this veto is the same for every record");
    v->cap_level = -1;
    if (v->cap) {
      ast_expr s = {0};
      s.kind = EX_STRING;
      s.name = v->cap;
      s.at = v->cap_at;
      if (chk_level_name(&c, &s) >= 0) v->cap_level = s.index;
    }
  }
  if (p->rating) chk_rating(&c);
  chk_population(&c);
  chk_examples(&c);
  for (int i = 0; i < p->inputs.n; i++) {
    ast_input *in = p->inputs.v[i];
    if (!in->uses && !in->key && !in->category)
      diag_report(d, DIAG_WARNING, in->at, "remove it, or use it in a rule or a veto",
                  "input '%s' is never used", in->name);
  }
  for (int i = 0; i < p->indices.n; i++) {
    ast_index *x = p->indices.v[i];
    if (!x->uses)
      diag_report(d, DIAG_WARNING, x->at, "use it in the rating: all(…), share(…) >= 80%", "index '%s' is never used", x->name);
  }
  return d->nerrors - before;
}
