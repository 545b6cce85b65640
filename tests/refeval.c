/* refeval.c — the scoring semantics of docs/language.md, read off the tree.
 * Written for clarity, not speed, and kept apart from codegen.c and vm.c so
 * that a mistake in either shows up as a disagreement. */
#include "refeval.h"

#include <string.h>

typedef struct {
  const int64_t *slots;
  dec score;
  int err;
} ref_ctx;

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
  case EX_CALL: {
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
  for (int k = 0; k < it->rules.n; k++) {
    const ast_rule *r = it->rules.v[k];
    if (r->verb == RU_AWARD) base -= r->per == PER_NONE ? r->points : r->max;
  }
  sum = base;
  int zero = 0;
  for (int k = 0; k < it->rules.n; k++) {
    const ast_rule *r = it->rules.v[k];
    dec moved = 0;
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

void ref_eval(const ast_policy *p, const int64_t *slots, ref_result *out) {
  ref_ctx c = {slots, 0, 0};
  memset(out, 0, sizeof *out);
  int n = 0;
  for (int s = 0; s < p->sections.n; s++) {
    const ast_section *sec = p->sections.v[s];
    for (int i = 0; i < sec->items.n && n < 1024; i++) {
      out->item[n] = ref_item(&c, sec->items.v[i]);
      c.score = ref_arith(&c, dec_add, c.score, out->item[n]);
      n++;
    }
  }
  out->nitems = n;
  out->total = c.score;
  int vetoed = 0;
  for (int v = 0; v < p->vetoes.n && v < 64; v++) {
    const ast_veto *ve = p->vetoes.v[v];
    int holds = ref_expr(&c, ve->cond) != 0;
    out->vetoed[v] = ve->unless ? !holds : holds;
    vetoed |= out->vetoed[v];
  }
  out->score_level = -1;
  if (p->rating) {
    for (int l = 0; l < p->rating->levels.n; l++)
      if (ref_expr(&c, ((ast_level *)p->rating->levels.v[l])->cond)) {
        out->score_level = l;
        break;
      }
    if (out->score_level < 0 && p->rating->else_name) out->score_level = p->rating->levels.n;
  }
  out->level = vetoed ? -1 : out->score_level;
  out->err = c.err;
}
