/* refeval.c — the scoring semantics of docs/language.md, read off the tree.
 * Written for clarity, not speed, and kept apart from codegen.c and vm.c so
 * that a mistake in either shows up as a disagreement. */
#include "refeval.h"

#include <string.h>

#include "runtime/date.h"

static int date_year(int64_t d) {
  int y, m, dd;
  date_to_ymd(d, &y, &m, &dd);
  return y;
}

typedef struct {
  const ast_policy *p;
  const int64_t *slots;
  dec score;
  int err;
  int64_t as_of;
  int8_t check[4096]; /* 0 does not apply, 1 passed, 2 failed, by policy order */
} ref_ctx;

/* Whole years from a to b, and the dates, by the calendar (date.h). */
static int64_t ref_years(int64_t a, int64_t b) {
  int ya, ma, da, yb, mb, db;
  date_to_ymd(a, &ya, &ma, &da);
  date_to_ymd(b, &yb, &mb, &db);
  return yb - ya - (mb < ma || (mb == ma && db < da));
}

static int64_t ref_expr(ref_ctx *c, const ast_expr *e);

static int64_t ref_arith(ref_ctx *c, int (*fn)(dec, dec, dec *), int64_t a, int64_t b) {
  dec r = 0;
  if (fn(a, b, &r) != DEC_OK) c->err = 1;
  return r;
}

static int64_t ref_expr(ref_ctx *c, const ast_expr *e) {
  int64_t a, b;
  switch (e->kind) {
  case EX_NUM: case EX_PERCENT: case EX_BOOL: case EX_DATE: return e->num;
  case EX_SCORE: return c->score;
  case EX_NAME: return e->input >= 0 ? c->slots[e->input] : e->enum_value;
  case EX_NEG: return ref_arith(c, dec_sub, 0, ref_expr(c, e->a));
  case EX_NOT: return !ref_expr(c, e->a);
  case EX_IN: {
    a = ref_expr(c, e->a);
    int in = 0;
    for (int i = 0; i < e->args.n; i++) in |= a == ((ast_expr *)e->args.v[i])->enum_value;
    return e->op ? !in : in;
  }
  case EX_BY: {
    a = ref_expr(c, e->a);
    const ast_arm *els = NULL;
    for (int i = 0; i < e->args.n; i++) {
      const ast_arm *m = e->args.v[i];
      int hit = 0;
      switch (m->kind) {
      case ARM_VALUE: hit = a == m->enum_value; break;
      case ARM_LT: hit = a < ref_expr(c, m->lo); break;
      case ARM_LE: hit = a <= ref_expr(c, m->lo); break;
      case ARM_GT: hit = a > ref_expr(c, m->lo); break;
      case ARM_GE: hit = a >= ref_expr(c, m->lo); break;
      case ARM_RANGE: hit = a >= ref_expr(c, m->lo) && a <= ref_expr(c, m->hi); break;
      case ARM_ELSE: els = m; break;
      }
      if (hit) return ref_expr(c, m->value);
    }
    return els ? ref_expr(c, els->value) : ref_expr(c, ((ast_arm *)e->args.v[0])->value);
  }
  case EX_ASOF: return c->as_of;
  case EX_NONE: return e->type == TY_INT ? 0 : INT32_MIN;
  case EX_WITHIN: {
    a = ref_expr(c, e->a);
    /* after the same day N years before as-of, up to as-of */
    return a != INT32_MIN && a <= c->as_of && ref_years(a, c->as_of) < e->num / DEC_SCALE;
  }
  case EX_THISYEAR: {
    a = ref_expr(c, e->a);
    return a != INT32_MIN && date_year(a) == date_year(c->as_of);
  }
  case EX_YEARS:
    a = ref_expr(c, e->a);
    if (a == INT32_MIN) { c->err = 1; return 0; }
    return DEC_INT(ref_years(a, c->as_of));
  case EX_RATING: case EX_STRING: return DEC_INT(e->index); /* not reached by the differential test */
  case EX_CALL: {
    if (e->op == FN_YEAR) {
      a = ref_expr(c, e->args.v[0]);
      if (a == INT32_MIN) { c->err = 1; return 0; }
      return DEC_INT(date_year(a));
    }
    if (e->op >= FN_ALL) { /* over an index */
      int first = 0;
      for (int i = 0; i < e->index; i++) first += ((ast_index *)c->p->indices.v[i])->checks.n;
      const ast_index *x = c->p->indices.v[e->index];
      int64_t passed = 0, applied = 0;
      for (int k = 0; k < x->checks.n; k++) {
        applied += c->check[first + k] != 0;
        passed += c->check[first + k] == 1;
      }
      if (e->op == FN_ALL) return passed == applied;
      if (e->op == FN_ANY) return passed > 0;
      if (e->op == FN_COUNT) return DEC_INT(passed);
      return applied ? passed * DEC_INT(100) / applied : DEC_INT(100);
    }
    a = ref_expr(c, e->args.v[0]);
    if (e->op == FN_FLOOR) return dec_floor(a);
    if (e->op == FN_CEIL) return dec_ceil(a);
    for (int i = 1; i < e->args.n; i++) {
      b = ref_expr(c, e->args.v[i]);
      if (e->op == FN_MIN ? b < a : b > a) a = b;
    }
    return a;
  }
  case EX_BINARY:
    if (e->op == OPX_AND) return ref_expr(c, e->a) ? ref_expr(c, e->b) != 0 : 0;
    if (e->op == OPX_OR) return ref_expr(c, e->a) ? 1 : ref_expr(c, e->b) != 0;
    if (e->op == OPX_IMPLIES) return ref_expr(c, e->a) ? ref_expr(c, e->b) != 0 : 1;
    a = ref_expr(c, e->a);
    b = ref_expr(c, e->b);
    switch (e->op) {
    case OPX_ADD: return ref_arith(c, dec_add, a, b);
    case OPX_SUB:
      if (e->a->type == TY_DATE) return (a - b) * DEC_SCALE; /* days between */
      return ref_arith(c, dec_sub, a, b);
    case OPX_MUL: return ref_arith(c, dec_mul, a, b);
    case OPX_DIV: return ref_arith(c, dec_div, a, b);
    case OPX_EQ: return a == b;
    case OPX_NE: return a != b;
    case OPX_LT: return a < b;
    case OPX_LE: return a <= b;
    case OPX_GT: return a > b;
    case OPX_GE: return a >= b;
    }
  }
  return 0;
}

/* Whole or begun units of q, each worth `points`, up to the max. */
static dec ref_per(ref_ctx *c, const ast_rule *r, dec q) {
  if (q <= 0) return 0;
  int64_t n = 0;
  /* count units by subtraction-free reasoning: n·unit <= q < (n+1)·unit */
  n = q / r->unit;
  if (r->per == PER_STARTED && n * r->unit < q) n++;
  dec amount;
  if (__builtin_mul_overflow(n, r->points, &amount) || amount > DEC_LIMIT) {
    if (!r->has_max) { c->err = 1; return 0; }
    amount = r->max;
  }
  if (r->has_max && amount > r->max) amount = r->max;
  return amount;
}

static dec ref_item(ref_ctx *c, const ast_item *it) {
  dec base = it->points, sum;
  /* an award that does not apply (its `when`) sets nothing aside */
  for (int k = 0; k < it->rules.n; k++) {
    const ast_rule *r = it->rules.v[k];
    if (r->verb == RU_AWARD && (!r->when || ref_expr(c, r->when))) base -= r->per == PER_NONE ? r->points : r->max;
  }
  sum = base;
  int zero = 0;
  for (int k = 0; k < it->rules.n; k++) {
    const ast_rule *r = it->rules.v[k];
    dec moved = 0;
    if (r->when && !ref_expr(c, r->when)) continue;
    if (r->per == PER_NONE) {
      int holds = ref_expr(c, r->expr) != 0;
      if (r->unless) holds = !holds;
      if (!holds) continue;
      if (r->verb == RU_ZERO) { zero = 1; continue; }
      moved = r->points;
    } else {
      dec q = 0;
      if (r->expr) q = ref_expr(c, r->expr);
      else
        for (int i = 0; i < r->missing.n; i++) q += ref_expr(c, r->missing.v[i]) ? 0 : DEC_SCALE;
      moved = ref_per(c, r, q);
    }
    sum = ref_arith(c, r->verb == RU_AWARD ? dec_add : dec_sub, sum, moved);
  }
  if (zero) return 0;
  if (sum < 0) return 0;
  if (sum > it->points) return it->points;
  return sum;
}

void ref_eval(const ast_policy *p, const int64_t *slots, int64_t as_of, ref_result *out) {
  ref_ctx c;
  memset(&c, 0, sizeof c);
  c.p = p;
  c.slots = slots;
  c.as_of = as_of;
  memset(out, 0, sizeof *out);
  int n = 0, nc = 0;
  for (int i = 0; i < p->indices.n; i++) {
    const ast_index *x = p->indices.v[i];
    int index_applies = !x->when || ref_expr(&c, x->when);
    for (int k = 0; k < x->checks.n && nc < 4096; k++, nc++) {
      const ast_check *ck = x->checks.v[k];
      if (!index_applies || (ck->when && !ref_expr(&c, ck->when))) continue;
      c.check[nc] = ref_expr(&c, ck->cond) ? 1 : 2;
    }
  }
  for (int k = 0; k < nc && k < 4096; k++) out->check[k] = c.check[k];
  out->nchecks = nc;
  for (int s = 0; s < p->sections.n; s++) {
    const ast_section *sec = p->sections.v[s];
    int table_applies = !sec->table || ref_expr(&c, sec->table->when);
    for (int i = 0; i < sec->items.n && n < 1024; i++) {
      const ast_item *it = sec->items.v[i];
      if (!table_applies || (it->when && !ref_expr(&c, it->when))) {
        out->applies[n] = 0;
        out->item[n++] = 0;
        continue;
      }
      out->applies[n] = 1;
      out->item[n] = ref_item(&c, sec->items.v[i]);
      c.score = ref_arith(&c, dec_add, c.score, out->item[n]);
      n++;
    }
  }
  out->nitems = n;
  out->total = c.score;
  int removed = 0;
  out->score_level = -1;
  if (p->rating) {
    const ast_rating *r = p->rating;
    for (int l = 0; l < r->levels.n; l++) {
      /* cumulative: this level and every one below it */
      int holds = 1;
      for (int j = l; j < (r->cumulative ? r->levels.n : l + 1) && holds; j++)
        holds = ref_expr(&c, ((ast_level *)r->levels.v[j])->cond) != 0;
      if (holds) {
        out->score_level = l;
        break;
      }
    }
    if (out->score_level < 0 && r->else_name) out->score_level = r->levels.n;
  }
  int level = out->score_level;
  for (int v = 0; v < p->vetoes.n && v < 64; v++) {
    const ast_veto *ve = p->vetoes.v[v];
    int holds = ref_expr(&c, ve->cond) != 0;
    out->vetoed[v] = ve->unless ? !holds : holds;
    if (!out->vetoed[v]) continue;
    if (!ve->cap) { removed = 1; continue; }
    /* a cap by name: the level of that name, or the else level */
    const ast_rating *r = p->rating;
    int cap = r->levels.n;
    for (int l = 0; l < r->levels.n; l++)
      if (!strcmp(((ast_level *)r->levels.v[l])->name, ve->cap)) cap = l;
    if (level >= 0 && level < cap) level = cap;
  }
  out->level = removed ? -1 : level;
  out->err = c.err;
}
