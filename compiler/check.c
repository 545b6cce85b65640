/* check.c — resolve names, infer types, check the document's arithmetic. */
#include "check.h"

#include <stdio.h>
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
  int in_rating; /* `score` is known only in rating conditions */
  chk_table inputs; /* name → first input of that name */
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

static ast_type chk_compare(chk *c, ast_expr *e) {
  ast_type ta, tb;
  int eq = e->op == OPX_EQ || e->op == OPX_NE;
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
  if (e->op == OPX_SUB && ta == TY_DATE && tb == TY_DATE) return TY_INT; /* days between */
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

static ast_type chk_expr_inner(chk *c, ast_expr *e) {
  switch (e->kind) {
  case EX_NUM: return TY_LITERAL;
  case EX_PERCENT: return TY_PERCENT;
  case EX_BOOL: return TY_BOOL;
  case EX_DATE: return TY_DATE;
  case EX_SCORE:
    if (!c->in_rating) {
      diag_report(c->d, DIAG_ERROR, e->at, "score is the total, known once every item is scored",
                  "'score' can only be used in a rating");
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
  case EX_CALL: {
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
      snprintf(hint, sizeof hint, "the first is on line %d", ((ast_input *)p->inputs.v[j])->at.line);
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
    if (in->def && chk_literal_fits(c, in, in->def, "the default") && !in->min && !in->max &&
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

static void chk_sections(chk *c) {
  ast_policy *p = c->p;
  char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
  dec total = 0;
  int nitems = 0;
  for (int s = 0; s < p->sections.n; s++) nitems += ((ast_section *)p->sections.v[s])->items.n;
  chk_table numbers;
  tab_init(&numbers, p->arena, nitems);
  for (int s = 0; s < p->sections.n; s++) {
    ast_section *sec = p->sections.v[s];
    dec sum = 0;
    for (int i = 0; i < sec->items.n; i++) {
      ast_item *it = sec->items.v[i];
      int first = tab_get(&numbers, it->number);
      if (first >= 0) {
        char hint[64];
        snprintf(hint, sizeof hint, "item %s is on line %d", it->number, first);
        diag_report(c->d, DIAG_ERROR, it->number_at, hint, "duplicate item number %s", it->number);
      }
      tab_put(&numbers, it->number, it->at.line);
      if (it->points < 0) diag_report(c->d, DIAG_ERROR, it->points_at, NULL, "negative points");
      dec award_max = 0;
      for (int r = 0; r < it->rules.n; r++) chk_rule(c, it, it->rules.v[r], &award_max);
      if (award_max > it->points && it->rules.n > 1)
        diag_report(c->d, DIAG_WARNING, it->points_at, NULL, "the awards of item %s can reach %s, more than its %s points",
                    it->number, dec_format(award_max, b1), dec_format(it->points, b2));
      dec_add(sum, it->points, &sum);
    }
    if (sum != sec->max) {
      char hint[160];
      snprintf(hint, sizeof hint, "the items are worth %s in all; the section says %s", dec_format(sum, b1),
               dec_format(sec->max, b2));
      diag_report(c->d, DIAG_ERROR, sec->max_at, hint, "section \"%s\" does not add up: items %s, section %s",
                  sec->title, b1, b2);
    }
    dec_add(total, sec->max, &total);
  }
  dec scale = p->has_scale ? p->scale : DEC_INT(100);
  if (p->sections.n && total != scale)
    diag_report(c->d, DIAG_ERROR, p->has_scale ? p->scale_at : p->at, NULL,
                "the sections add up to %s, but the scale is %s", dec_format(total, b1), dec_format(scale, b2));
}

/* ---- vetoes and rating ------------------------------------------------------ */

int check_level_threshold(const ast_expr *cond, dec *k) {
  if (cond->kind != EX_BINARY || cond->op != OPX_GE || cond->a->kind != EX_SCORE || cond->b->kind != EX_NUM) return 0;
  *k = cond->b->num;
  return 1;
}

static void chk_rating(chk *c) {
  ast_rating *r = c->p->rating;
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

int check_policy(ast_policy *p, diag *d) {
  chk c = {p, d, 0, {0}};
  int before = d->nerrors;
  chk_counts(&c);
  tab_init(&c.inputs, p->arena, p->inputs.n);
  for (int i = 0; i < p->inputs.n; i++) tab_put(&c.inputs, ((ast_input *)p->inputs.v[i])->name, i);
  if (p->has_scale && p->scale <= 0) diag_report(d, DIAG_ERROR, p->scale_at, NULL, "the scale must be positive");
  chk_inputs(&c);
  chk_sections(&c);
  for (int i = 0; i < p->vetoes.n; i++) {
    ast_veto *v = p->vetoes.v[i];
    chk_want(&c, v->cond, TY_BOOL, "a veto's condition");
  }
  if (p->rating) chk_rating(&c);
  for (int i = 0; i < p->inputs.n; i++) {
    ast_input *in = p->inputs.v[i];
    if (!in->uses && !in->key)
      diag_report(d, DIAG_WARNING, in->at, "remove it, or use it in a rule or a veto",
                  "input '%s' is never used", in->name);
  }
  return d->nerrors - before;
}
