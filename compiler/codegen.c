/* codegen.c — lower a checked policy to .tbc bytes.
 *
 * The output depends only on the tree (and the source bytes, for the hash):
 * strings and constants are numbered in the order they are first met, and
 * every field has a fixed width, so the same source gives the same bytes.
 */
#include "codegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/tbc.h"

/* ---- byte buffers ----------------------------------------------------------- */

typedef struct {
  uint8_t *b;
  size_t n, cap;
} cg_buf;

static void cg_grow(cg_buf *b, size_t more) {
  if (b->cap - b->n >= more) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->n < more) cap *= 2;
  uint8_t *nb = realloc(b->b, cap);
  if (!nb) {
    fputs("tally: out of memory\n", stderr);
    abort();
  }
  b->b = nb;
  b->cap = cap;
}

static void cg_le(cg_buf *b, uint64_t v, int n) {
  cg_grow(b, (size_t)n);
  for (int i = 0; i < n; i++) b->b[b->n++] = (uint8_t)(v >> (8 * i));
}
static void cg_u8(cg_buf *b, uint8_t v) { cg_le(b, v, 1); }
static void cg_u16(cg_buf *b, uint16_t v) { cg_le(b, v, 2); }
static void cg_u32(cg_buf *b, uint32_t v) { cg_le(b, v, 4); }
static void cg_i64(cg_buf *b, int64_t v) { cg_le(b, (uint64_t)v, 8); }
static void cg_bytes(cg_buf *b, const void *p, size_t n) {
  if (n == 0) return;
  cg_grow(b, n);
  memcpy(b->b + b->n, p, n);
  b->n += n;
}

/* ---- generator state ---------------------------------------------------------- */

typedef struct {
  const char *s;
  uint32_t index;
} cg_slot;

typedef struct {
  ast_policy *p;
  diag *d;
  /* strings: interned, numbered in order of first use */
  const char **strs;
  uint32_t nstrs, capstrs;
  cg_slot *table; /* open addressing, power-of-two size */
  uint32_t tabsize;
  /* constants */
  cg_buf consts;
  uint32_t nconsts;
  /* code */
  cg_buf code;
  uint32_t ncode;
  int depth, max_depth;
  int pending; /* conditional jumps not yet landed: the verifier allows TBC_MAX_PENDING */
  int too_deep;
  const ast_expr *cur; /* the expression being compiled, for messages */
  uint32_t rule_index;
} cg;

static uint32_t cg_hash(const char *s) {
  return (uint32_t)tbc_fnv1a((const uint8_t *)s, strlen(s));
}

static uint32_t cg_str(cg *g, const char *s) {
  if (!s) return TBC_NONE;
  if (g->nstrs * 2 >= g->tabsize) {
    uint32_t size = g->tabsize ? g->tabsize * 2 : 256;
    cg_slot *t = calloc(size, sizeof *t);
    if (!t) abort();
    for (uint32_t i = 0; i < g->tabsize; i++)
      if (g->table[i].s) {
        uint32_t h = cg_hash(g->table[i].s) & (size - 1);
        while (t[h].s) h = (h + 1) & (size - 1);
        t[h] = g->table[i];
      }
    free(g->table);
    g->table = t;
    g->tabsize = size;
  }
  uint32_t h = cg_hash(s) & (g->tabsize - 1);
  while (g->table[h].s) {
    if (!strcmp(g->table[h].s, s)) return g->table[h].index;
    h = (h + 1) & (g->tabsize - 1);
  }
  if (g->nstrs == g->capstrs) {
    g->capstrs = g->capstrs ? g->capstrs * 2 : 256;
    g->strs = realloc(g->strs, g->capstrs * sizeof *g->strs);
    if (!g->strs) abort();
  }
  g->table[h].s = s;
  g->table[h].index = g->nstrs;
  g->strs[g->nstrs] = s;
  return g->nstrs++;
}

/* Constants are few; a linear search keeps them deduplicated and ordered. */
static uint32_t cg_const(cg *g, uint8_t type, uint32_t aux, int64_t value) {
  for (uint32_t i = 0; i < g->nconsts; i++) {
    const uint8_t *c = g->consts.b + i * 16;
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--) v = v << 8 | c[8 + k];
    uint32_t a = (uint32_t)c[4] | (uint32_t)c[5] << 8 | (uint32_t)c[6] << 16 | (uint32_t)c[7] << 24;
    if (c[0] == type && a == aux && (int64_t)v == value) return i;
  }
  cg_u8(&g->consts, type);
  cg_u8(&g->consts, 0);
  cg_u16(&g->consts, 0);
  cg_u32(&g->consts, aux);
  cg_i64(&g->consts, value);
  return g->nconsts++;
}

static void cg_emit(cg *g, enum tbc_opcode op, uint32_t arg, int stack_delta) {
  cg_u32(&g->code, TBC_INS(op, arg));
  g->ncode++;
  g->depth += stack_delta;
  if (g->depth > g->max_depth) g->max_depth = g->depth;
  if (g->max_depth > TBC_MAX_STACK && !g->too_deep) {
    /* said once, at the expression being compiled when the stack overflowed */
    diag_report(g->d, DIAG_ERROR, g->cur ? g->cur->at : g->p->at, "split it into simpler conditions",
                "expression too deeply nested (the limit is a stack of %d values)", TBC_MAX_STACK);
    g->too_deep = 1;
  }
}

/* Patch a forward jump at instruction `at` to land on the next one emitted. */
static void cg_patch(cg *g, uint32_t at) {
  uint32_t off = g->ncode - at - 1;
  uint8_t *p = g->code.b + (size_t)at * 4;
  uint32_t ins = TBC_INS(p[0], off);
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(ins >> (8 * i));
}

/* ---- expressions ------------------------------------------------------------- */

static void cg_expr(cg *g, const ast_expr *e);
static void cg_in(cg *g, const ast_expr *e);
static void cg_by(cg *g, const ast_expr *e);

/* `not x` on a bool input is one instruction: most rules are `unless x`. */
static void cg_not(cg *g, const ast_expr *e) {
  if (g->too_deep) return;
  if (e->kind == EX_NAME && e->input >= 0 && e->type == TY_BOOL) {
    cg_emit(g, OP_LOADNOT, (uint32_t)e->input, 1);
    return;
  }
  cg_expr(g, e);
  cg_emit(g, OP_NOT, 0, 0);
}

static void cg_expr(cg *g, const ast_expr *e) {
  static const enum tbc_opcode binop[] = {
      [OPX_ADD] = OP_ADD, [OPX_SUB] = OP_SUB, [OPX_MUL] = OP_MUL, [OPX_DIV] = OP_DIV,
      [OPX_EQ] = OP_EQ,   [OPX_NE] = OP_NE,   [OPX_LT] = OP_LT,   [OPX_LE] = OP_LE,
      [OPX_GT] = OP_GT,   [OPX_GE] = OP_GE};
  if (g->too_deep) return;
  g->cur = e;
  switch (e->kind) {
  case EX_NUM:
  case EX_PERCENT: cg_emit(g, OP_CONST, cg_const(g, TBC_V_DEC, 0, e->num), 1); return;
  case EX_BOOL: cg_emit(g, OP_CONST, cg_const(g, TBC_V_BOOL, 0, e->num), 1); return;
  case EX_DATE: cg_emit(g, OP_CONST, cg_const(g, TBC_V_DATE, 0, e->num), 1); return;
  case EX_SCORE: cg_emit(g, OP_SCORE, 0, 1); return;
  case EX_NAME:
    if (e->input >= 0) cg_emit(g, OP_LOAD, (uint32_t)e->input, 1);
    else cg_emit(g, OP_CONST, cg_const(g, TBC_V_ENUM0, (uint32_t)e->enum_input, e->enum_value), 1);
    return;
  case EX_NEG: cg_expr(g, e->a); cg_emit(g, OP_NEG, 0, 0); return;
  case EX_NOT: cg_not(g, e->a); return;
  case EX_IN: cg_in(g, e); return;
  case EX_BY: cg_by(g, e); return;
  case EX_ASOF: cg_emit(g, OP_ASOF, 0, 1); return;
  case EX_WITHIN: cg_expr(g, e->a); cg_emit(g, OP_WITHIN, (uint32_t)(e->num / DEC_SCALE), 0); return;
  case EX_THISYEAR: cg_expr(g, e->a); cg_emit(g, OP_THISYEAR, 0, 0); return;
  case EX_YEARS: cg_expr(g, e->a); cg_emit(g, OP_YEARSTO, 0, 0); return;
  case EX_NONE:
    if (e->type == TY_INT) cg_emit(g, OP_CONST, cg_const(g, TBC_V_DEC, 0, 0), 1); /* rating == none */
    else cg_emit(g, OP_CONST, cg_const(g, TBC_V_DATE, 0, TBC_DATE_NONE), 1);
    return;
  case EX_RATING: cg_emit(g, OP_RATING, 0, 1); return;
  case EX_STRING: cg_emit(g, OP_CONST, cg_const(g, TBC_V_DEC, 0, DEC_INT(e->index)), 1); return; /* a level's rank */
  case EX_CALL: {
    if (e->op >= FN_ALL) {
      if (e->op == FN_YEAR) {
        cg_expr(g, e->args.v[0]);
        cg_emit(g, OP_YEAR, 0, 0);
        return;
      }
      static const enum tbc_opcode ix[] = {[FN_ALL] = OP_IALL, [FN_ANY] = OP_IANY, [FN_COUNT] = OP_ICOUNT,
                                           [FN_SHARE] = OP_ISHARE};
      cg_emit(g, ix[e->op], (uint32_t)e->index, 1);
      return;
    }
    cg_expr(g, e->args.v[0]);
    if (e->op == FN_FLOOR || e->op == FN_CEIL) {
      cg_emit(g, e->op == FN_FLOOR ? OP_FLOOR : OP_CEIL, 0, 0);
      return;
    }
    for (int i = 1; i < e->args.n; i++) {
      cg_expr(g, e->args.v[i]);
      cg_emit(g, e->op == FN_MIN ? OP_MIN : OP_MAX, 0, -1);
    }
    return;
  }
  case EX_BINARY:
    if (e->op == OPX_AND || e->op == OPX_OR || e->op == OPX_IMPLIES) {
      /* Short-circuit: `a and b` is a; ANDJ end; b; end:  — the jump keeps
       * a's value on the stack, the fall-through pops it. */
      if (e->op == OPX_IMPLIES) cg_not(g, e->a);
      else cg_expr(g, e->a);
      uint32_t j = g->ncode;
      cg_emit(g, e->op == OPX_AND ? OP_ANDJ : OP_ORJ, 0, -1);
      if (++g->pending > TBC_MAX_PENDING && !g->too_deep) {
        diag_report(g->d, DIAG_ERROR, e->at, "split it into several rules or simpler conditions",
                    "more than %d 'and', 'or' or 'implies' open at once; that is the limit", TBC_MAX_PENDING);
        g->too_deep = 1;
      }
      cg_expr(g, e->b);
      g->pending--;
      cg_patch(g, j);
      return;
    }
    cg_expr(g, e->a);
    cg_expr(g, e->b);
    cg_emit(g, e->op == OPX_SUB && e->a->type == TY_DATE ? OP_DAYS : binop[e->op], 0, -1);
    return;
  }
}

/* kind in (a, b): kind == a or kind == b; `not in` negates it. */
static void cg_in(cg *g, const ast_expr *e) {
  uint32_t jumps[64];
  int nj = 0;
  for (int i = 0; i < e->args.n; i++) {
    const ast_expr *v = e->args.v[i];
    cg_expr(g, e->a);
    cg_emit(g, OP_CONST, cg_const(g, TBC_V_ENUM0, (uint32_t)v->enum_input, v->enum_value), 1);
    cg_emit(g, OP_EQ, 0, -1);
    if (i + 1 < e->args.n) {
      if (nj == 64) { /* a long list: land what is open, go on */
        for (int k = 0; k < nj; k++) cg_patch(g, jumps[k]);
        nj = 0;
      }
      jumps[nj++] = g->ncode;
      cg_emit(g, OP_ORJ, 0, -1);
    }
  }
  /* ORJ keeps its true and jumps to the end; each lands after the last EQ */
  for (int k = 0; k < nj; k++) cg_patch(g, jumps[k]);
  if (e->op) cg_emit(g, OP_NOT, 0, 0);
}

static int64_t cg_lit(const ast_expr *v) { return v->kind == EX_NEG ? -v->a->num : v->num; }

static void cg_lit_push(cg *g, const ast_expr *v) {
  uint8_t t = v->kind == EX_BOOL ? TBC_V_BOOL : v->kind == EX_DATE ? TBC_V_DATE : TBC_V_DEC;
  cg_emit(g, OP_CONST, cg_const(g, t, 0, cg_lit(v)), 1);
}

/* by x { … }: a chain of PICKs from the last arm up, over a default (the
 * else arm, or the first arm when the arms cover every case). */
static void cg_by(cg *g, const ast_expr *e) {
  const ast_arm *def = e->args.v[0];
  for (int i = 0; i < e->args.n; i++)
    if (((ast_arm *)e->args.v[i])->kind == ARM_ELSE) def = e->args.v[i];
  cg_lit_push(g, def->value);
  for (int i = e->args.n - 1; i >= 0; i--) {
    const ast_arm *a = e->args.v[i];
    if (a->kind == ARM_ELSE || a == def) continue;
    cg_lit_push(g, a->value);
    cg_expr(g, e->a);
    switch (a->kind) {
    case ARM_VALUE:
      cg_emit(g, OP_CONST, cg_const(g, TBC_V_ENUM0, (uint32_t)(e->a->enum_input >= 0 ? e->a->enum_input : e->a->input), a->enum_value), 1);
      cg_emit(g, OP_EQ, 0, -1);
      break;
    case ARM_LT: cg_lit_push(g, a->lo); cg_emit(g, OP_LT, 0, -1); break;
    case ARM_LE: cg_lit_push(g, a->lo); cg_emit(g, OP_LE, 0, -1); break;
    case ARM_GT: cg_lit_push(g, a->lo); cg_emit(g, OP_GT, 0, -1); break;
    case ARM_GE: cg_lit_push(g, a->lo); cg_emit(g, OP_GE, 0, -1); break;
    default: {
      cg_lit_push(g, a->lo);
      cg_emit(g, OP_GE, 0, -1);
      uint32_t j = g->ncode;
      cg_emit(g, OP_ANDJ, 0, -1);
      cg_expr(g, e->a);
      cg_lit_push(g, a->hi);
      cg_emit(g, OP_LE, 0, -1);
      cg_patch(g, j);
      break;
    }
    }
    cg_emit(g, OP_PICK, 0, -2);
  }
}

/* `when c`: c; SKIPF over what follows, patched by cg_when_end. */
static uint32_t cg_when(cg *g, const ast_expr *when) {
  if (!when) return TBC_NONE;
  cg_expr(g, when);
  uint32_t at = g->ncode;
  cg_emit(g, OP_SKIPF, 0, -1);
  return at;
}

static void cg_when_end(cg *g, uint32_t at) {
  if (at != TBC_NONE) cg_patch(g, at);
}

/* ---- sections of the file ---------------------------------------------------- */

static uint8_t cg_type(ast_type t) {
  switch (t) {
  case TY_BOOL: return TBC_T_BOOL;
  case TY_INT: return TBC_T_INT;
  case TY_NUMBER: return TBC_T_NUMBER;
  case TY_PERCENT: return TBC_T_PERCENT;
  case TY_DATE: return TBC_T_DATE;
  case TY_ENUM: return TBC_T_ENUM;
  default: return TBC_T_TEXT;
  }
}

static int64_t cg_literal(const ast_expr *e) {
  if (e->kind == EX_NONE) return TBC_DATE_NONE; /* `default none`: no such date */
  return e->kind == EX_NAME ? e->enum_value : e->num;
}

static void cg_inputs(cg *g, cg_buf *b) {
  ast_policy *p = g->p;
  cg_u32(b, (uint32_t)p->inputs.n);
  for (int i = 0; i < p->inputs.n; i++) {
    const ast_input *in = p->inputs.v[i];
    uint8_t flags = 0;
    int64_t def = 0, min = 0, max = 0;
    if (in->def) { flags |= TBC_IN_DEFAULT; def = cg_literal(in->def); }
    if (in->min) { flags |= TBC_IN_MIN; min = in->min->num; }
    if (in->max) { flags |= TBC_IN_MAX; max = in->max->num; }
    /* Defaults a person expects: percentages lie in 0..100, counts are not
     * negative.  A written range replaces them. */
    if (!in->min && !in->max && in->type == TY_PERCENT) {
      flags |= TBC_IN_MIN | TBC_IN_MAX;
      max = DEC_INT(100);
    }
    if (!in->min && !in->max && in->type == TY_INT) flags |= TBC_IN_MIN;
    if (in->key) flags |= TBC_IN_KEY;
    cg_u32(b, cg_str(g, in->name));
    cg_u32(b, cg_str(g, in->label));
    cg_u8(b, cg_type(in->type));
    cg_u8(b, flags);
    cg_u16(b, (uint16_t)in->values.n);
    cg_i64(b, def);
    cg_i64(b, min);
    cg_i64(b, max);
    for (int k = 0; k < in->values.n; k++) {
      const ast_enum_value *v = in->values.v[k];
      cg_u32(b, cg_str(g, v->name));
      cg_u32(b, cg_str(g, v->label ? v->label : v->name));
    }
  }
}

/* The canonical text of a rule or condition, as stored for explanations. */
static const char *cg_render_rule(cg *g, const ast_rule *r) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) abort();
  ast_print_rule(f, r);
  fclose(f);
  char *s = ast_strndup(g->p->arena, text, len);
  free(text);
  return s;
}

static void cg_item_rules(cg *g, cg_buf *rules, const ast_item *it, uint32_t item_index) {
  uint32_t skip_item = cg_when(g, it->when);
  cg_emit(g, OP_ITEM, item_index, 0);
  for (int k = 0; k < it->rules.n; k++) {
    const ast_rule *r = it->rules.v[k];
    uint32_t skip_rule = cg_when(g, r->when);
    uint8_t kind, flags = 0;
    enum tbc_opcode op;
    if (r->verb == RU_ZERO) { kind = TBC_R_ZERO; op = OP_ZERO; }
    else if (r->per == PER_NONE) {
      kind = r->verb == RU_AWARD ? TBC_R_AWARD : TBC_R_DEDUCT;
      op = r->verb == RU_AWARD ? OP_AWARD : OP_DEDUCT;
    } else {
      kind = r->verb == RU_AWARD ? TBC_R_AWARD_PER : TBC_R_DEDUCT_PER;
      op = r->verb == RU_AWARD ? OP_AWARDPER : OP_DEDUCTPER;
      if (r->per == PER_STARTED) flags |= TBC_RF_STARTED;
      if (r->per == PER_WHOLE) flags |= TBC_RF_WHOLE;
      if (r->has_max) flags |= TBC_RF_MAX;
      if (!r->expr) flags |= TBC_RF_MISSING;
    }
    if (r->per == PER_NONE && r->unless) flags |= TBC_RF_UNLESS;
    /* code */
    if (r->per != PER_NONE && !r->expr) {
      for (int i = 0; i < r->missing.n; i++) cg_expr(g, r->missing.v[i]);
      cg_emit(g, OP_NFALSE, (uint32_t)r->missing.n, 1 - r->missing.n);
    } else {
      if (r->per == PER_NONE && r->unless) cg_not(g, r->expr);
      else cg_expr(g, r->expr);
    }
    cg_emit(g, op, g->rule_index++, -1);
    cg_when_end(g, skip_rule);
    /* metadata */
    cg_u8(rules, kind);
    cg_u8(rules, flags);
    cg_u16(rules, 0);
    cg_u32(rules, item_index);
    cg_u32(rules, cg_str(g, r->reason));
    cg_u32(rules, cg_str(g, cg_render_rule(g, r)));
    cg_i64(rules, r->verb == RU_ZERO ? 0 : r->points);
    cg_i64(rules, r->per == PER_NONE ? 0 : r->unit);
    cg_i64(rules, r->has_max ? r->max : 0);
  }
  cg_emit(g, OP_ENDITEM, 0, 0);
  cg_when_end(g, skip_item);
}

/* The canonical text of a condition as stored for explanations: prefix e,
 * then (when e2 is given) mid e2 — "if x", "when kind == soe", "a when b". */
static const char *cg_render(cg *g, const char *prefix, const ast_expr *e, const char *mid, const ast_expr *e2) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) abort();
  fputs(prefix, f);
  if (e) ast_print_expr(f, e);
  if (e2) {
    fputs(mid, f);
    ast_print_expr(f, e2);
  }
  fclose(f);
  char *s = ast_strndup(g->p->arena, text, len);
  free(text);
  return s;
}

static void cg_section(cg_buf *file, uint32_t tag, const cg_buf *payload) {
  cg_u32(file, tag);
  cg_u32(file, (uint32_t)payload->n);
  cg_bytes(file, payload->b, payload->n);
}

/* What one target adds up: the accumulators its aggregates fill. */
static void cg_aggregate(cg *g, const ast_expr *agg, uint32_t acc) {
  uint32_t skip = cg_when(g, agg->where);
  if (agg->op == FN_SUM) {
    cg_expr(g, agg->args.v[0]);
    cg_emit(g, OP_TSUM, acc, -1);
  } else {
    cg_expr(g, agg->args.v[0]);
    cg_emit(g, OP_TCOUNT, acc, -1);
    if (agg->op == FN_SHARE) { /* the denominator: the records the where lets in */
      cg_emit(g, OP_CONST, cg_const(g, TBC_V_BOOL, 0, 1), 1);
      cg_emit(g, OP_TCOUNT, acc + 1, -1);
    }
  }
  cg_when_end(g, skip);
}

int codegen_policy(ast_policy *p, diag *d, uint8_t **out, size_t *outlen) {
  cg g;
  memset(&g, 0, sizeof g);
  g.p = p;
  g.d = d;
  cg_buf meta = {0}, inputs = {0}, tables = {0}, sects = {0}, items = {0}, rules = {0}, vetoes = {0}, levels = {0},
         indx = {0}, popl = {0};
  /* META */
  int key = -1, category = -1;
  for (int i = 0; i < p->inputs.n; i++) {
    if (((ast_input *)p->inputs.v[i])->key) key = i;
    if (((ast_input *)p->inputs.v[i])->category) category = i;
  }
  cg_u32(&meta, cg_str(&g, p->id));
  cg_u32(&meta, cg_str(&g, p->title));
  cg_u32(&meta, cg_str(&g, p->issuer));
  cg_u32(&meta, cg_str(&g, p->document));
  cg_i64(&meta, p->has_scale ? p->scale : DEC_INT(100));
  cg_u32(&meta, p->effective == INT64_MIN ? (uint32_t)INT32_MIN : (uint32_t)(int32_t)p->effective);
  cg_u32(&meta, key < 0 ? TBC_NONE : (uint32_t)key);
  cg_u32(&meta, p->as_of == INT64_MIN ? (uint32_t)INT32_MIN : (uint32_t)(int32_t)p->as_of);
  cg_u32(&meta, category < 0 ? TBC_NONE : (uint32_t)category);
  cg_inputs(&g, &inputs);
  /* checks first: items, vetoes and levels may read the indices */
  uint32_t ncheck = 0;
  cg_u32(&indx, (uint32_t)p->indices.n);
  for (int i = 0; i < p->indices.n; i++) {
    const ast_index *x = p->indices.v[i];
    cg_u32(&indx, cg_str(&g, x->name));
    cg_u32(&indx, cg_str(&g, x->label));
    cg_u32(&indx, ncheck);
    cg_u32(&indx, (uint32_t)x->checks.n);
    ncheck += (uint32_t)x->checks.n;
  }
  cg_u32(&indx, ncheck);
  ncheck = 0;
  for (int i = 0; i < p->indices.n; i++) {
    const ast_index *x = p->indices.v[i];
    uint32_t skip_index = cg_when(&g, x->when);
    for (int k = 0; k < x->checks.n; k++) {
      const ast_check *ck = x->checks.v[k];
      uint32_t skip = cg_when(&g, ck->when);
      cg_expr(&g, ck->cond);
      cg_emit(&g, OP_CHECK, ncheck, -1);
      cg_when_end(&g, skip);
      cg_u32(&indx, cg_str(&g, ck->text));
      cg_u32(&indx, (uint32_t)i);
      cg_u32(&indx, cg_str(&g, cg_render(&g, "", ck->cond, " when ", ck->when)));
      ncheck++;
    }
    cg_when_end(&g, skip_index);
  }
  /* tables, sections, items, rules and their code */
  cg_u32(&tables, (uint32_t)p->tables.n);
  for (int t = 0; t < p->tables.n; t++) {
    const ast_table *tb = p->tables.v[t];
    cg_u32(&tables, cg_str(&g, tb->title));
    cg_u32(&tables, cg_str(&g, cg_render(&g, "when ", tb->when, NULL, NULL)));
  }
  uint32_t nitems = 0, nrules = 0;
  cg_u32(&sects, (uint32_t)p->sections.n);
  for (int s = 0; s < p->sections.n; s++) {
    const ast_section *sec = p->sections.v[s];
    int t = -1;
    for (int k = 0; sec->table && k < p->tables.n; k++)
      if (p->tables.v[k] == sec->table) t = k;
    cg_u32(&sects, cg_str(&g, sec->title));
    cg_i64(&sects, sec->max);
    cg_u32(&sects, t < 0 ? TBC_NONE : (uint32_t)t);
    for (int i = 0; i < sec->items.n; i++) nrules += (uint32_t)((ast_item *)sec->items.v[i])->rules.n;
    nitems += (uint32_t)sec->items.n;
  }
  cg_u32(&items, nitems);
  cg_u32(&rules, nrules);
  uint32_t item_index = 0, skip_table = TBC_NONE;
  const ast_table *open_table = NULL;
  for (int s = 0; s < p->sections.n; s++) {
    const ast_section *sec = p->sections.v[s];
    if (sec->table != open_table) { /* a table's sections are skipped together */
      cg_when_end(&g, skip_table);
      skip_table = sec->table ? cg_when(&g, sec->table->when) : TBC_NONE;
      open_table = sec->table;
    }
    for (int i = 0; i < sec->items.n; i++, item_index++) {
      const ast_item *it = sec->items.v[i];
      cg_u32(&items, cg_str(&g, it->number));
      cg_u32(&items, cg_str(&g, it->text));
      cg_u32(&items, (uint32_t)s);
      cg_i64(&items, it->points);
      cg_u32(&items, it->when ? cg_str(&g, cg_render(&g, "", it->when, NULL, NULL)) : TBC_NONE);
      cg_u32(&items, it->key ? cg_str(&g, it->key) : TBC_NONE);
      cg_item_rules(&g, &rules, it, item_index);
    }
  }
  cg_when_end(&g, skip_table);
  /* vetoes */
  const ast_rating *r = p->rating;
  cg_u32(&vetoes, (uint32_t)p->vetoes.n);
  for (int i = 0; i < p->vetoes.n; i++) {
    const ast_veto *v = p->vetoes.v[i];
    cg_u32(&vetoes, cg_str(&g, v->reason));
    cg_u32(&vetoes, cg_str(&g, cg_render(&g, v->unless ? "unless " : "if ", v->cond, NULL, NULL)));
    /* the cap as a level index: rank back to the list, the else level last */
    uint32_t cap = TBC_NONE;
    if (v->cap && r) {
      int base = r->has_else && r->else_name ? 1 : 0;
      cap = v->cap_level == 1 && base ? (uint32_t)r->levels.n : (uint32_t)(base + r->levels.n - v->cap_level);
    }
    cg_u32(&vetoes, cap);
    if (v->unless) cg_not(&g, v->cond);
    else cg_expr(&g, v->cond);
    cg_emit(&g, OP_VETO, (uint32_t)i, -1);
  }
  /* rating */
  cg_u32(&levels, r ? cg_str(&g, r->title) : TBC_NONE);
  cg_u32(&levels, r && r->has_else && r->else_name ? cg_str(&g, r->else_name) : TBC_NONE);
  cg_u32(&levels, r ? (uint32_t)r->levels.n : 0);
  for (int i = 0; r && i < r->levels.n; i++) {
    const ast_level *l = r->levels.v[i];
    dec k = 0;
    int last = i == r->levels.n - 1;
    int thr = check_level_threshold(l->cond, &k) && (!r->cumulative || last);
    cg_u32(&levels, cg_str(&g, l->name));
    cg_u32(&levels, (thr ? TBC_LV_THRESHOLD : 0) | (r->cumulative ? TBC_LV_CUMULATIVE : 0));
    cg_i64(&levels, thr ? k : 0);
    cg_u32(&levels, cg_str(&g, cg_render(&g, "", l->cond, NULL, NULL)));
    /* cumulative: this level's condition and every lower one's */
    uint32_t jumps[TBC_MAX_PENDING];
    int nj = 0;
    for (int j = i; j < (r->cumulative ? r->levels.n : i + 1); j++) {
      if (j > i && nj < TBC_MAX_PENDING) {
        jumps[nj++] = g.ncode;
        cg_emit(&g, OP_ANDJ, 0, -1);
      }
      cg_expr(&g, ((ast_level *)r->levels.v[j])->cond);
    }
    for (int j = 0; j < nj; j++) cg_patch(&g, jumps[j]);
    cg_emit(&g, OP_LEVEL, (uint32_t)i, -1);
  }
  cg_emit(&g, OP_RATE, 0, 0);
  /* population rules: what each record adds up */
  uint32_t nacc = 0;
  cg_buf quot = {0}, targ = {0}, aud = {0};
  cg_u32(&quot, (uint32_t)p->quotas.n);
  for (int i = 0; i < p->quotas.n; i++) {
    const ast_quota *q = p->quotas.v[i];
    int base = r && r->has_else && r->else_name ? 1 : 0;
    uint32_t lv = q->level_index == 1 && base ? (uint32_t)r->levels.n : (uint32_t)(base + r->levels.n - q->level_index);
    cg_u32(&quot, lv);
    cg_u32(&quot, q->enforce ? TBC_Q_ENFORCE : 0);
    cg_i64(&quot, q->share);
    cg_u32(&quot, q->ties ? (uint32_t)q->ties->input : TBC_NONE);
  }
  cg_u32(&targ, (uint32_t)p->targets.n);
  for (int i = 0; i < p->targets.n; i++) {
    const ast_target *t = p->targets.v[i];
    const ast_expr *agg = t->cond->a;
    static const uint8_t cmp[] = {[OPX_EQ] = TBC_CMP_EQ, [OPX_NE] = TBC_CMP_NE, [OPX_LT] = TBC_CMP_LT,
                                  [OPX_LE] = TBC_CMP_LE, [OPX_GT] = TBC_CMP_GT, [OPX_GE] = TBC_CMP_GE};
    uint8_t kind = agg->op == FN_SHARE ? TBC_TG_SHARE : agg->op == FN_COUNT ? TBC_TG_COUNT
                 : agg->op == FN_SUM ? TBC_TG_SUM : TBC_TG_RATIO;
    uint32_t num = nacc, den = TBC_NONE;
    if (kind == TBC_TG_SHARE) {
      cg_aggregate(&g, agg, nacc);
      den = nacc + 1;
      nacc += 2;
    } else if (kind == TBC_TG_RATIO) {
      cg_aggregate(&g, agg->args.v[0], nacc);
      cg_aggregate(&g, agg->args.v[1], nacc + 1);
      den = nacc + 1;
      nacc += 2;
    } else {
      cg_aggregate(&g, agg, nacc);
      nacc += 1;
    }
    cg_u32(&targ, cg_str(&g, t->text));
    cg_u32(&targ, cg_str(&g, cg_render(&g, "", t->cond, NULL, NULL)));
    cg_u8(&targ, kind);
    cg_u8(&targ, cmp[t->cond->op]);
    cg_u16(&targ, 0);
    cg_i64(&targ, cg_lit(t->cond->b));
    cg_u32(&targ, num);
    cg_u32(&targ, den);
  }
  cg_u32(&aud, (uint32_t)p->audits.n);
  for (int i = 0; i < p->audits.n; i++) {
    const ast_audit *a = p->audits.v[i];
    if (a->where) cg_expr(&g, a->where);
    else cg_emit(&g, OP_CONST, cg_const(&g, TBC_V_BOOL, 0, 1), 1);
    cg_emit(&g, OP_SAMPLE, (uint32_t)i, -1);
    cg_u32(&aud, cg_str(&g, a->text));
    cg_u32(&aud, cg_str(&g, cg_render(&g, a->where ? "where " : "", a->where, NULL, NULL)));
    cg_i64(&aud, a->share);
    cg_le(&aud, (uint64_t)a->seed, 8);
  }
  cg_u32(&popl, nacc);
  cg_bytes(&popl, quot.b, quot.n);
  cg_bytes(&popl, targ.b, targ.n);
  cg_bytes(&popl, aud.b, aud.n);
  free(quot.b);
  free(targ.b);
  free(aud.b);
  cg_emit(&g, OP_HALT, 0, 0);
  /* what the bytecode can hold (the verifier refuses more) */
  struct { const char *what; uint32_t n; } counts[] = {
      {"instructions", g.ncode}, {"strings", g.nstrs}, {"constants", g.nconsts}};
  for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
    if (counts[k].n > TBC_MAX_COUNT)
      diag_report(d, DIAG_ERROR, p->at, "split the policy", "the bytecode would hold %u %s; the limit is %u",
                  counts[k].n, counts[k].what, TBC_MAX_COUNT);
  int ok = !g.too_deep && d->nerrors == 0;
  if (ok) {
    cg_buf strs = {0}, consts = {0}, code = {0}, file = {0};
    cg_u32(&strs, g.nstrs);
    for (uint32_t i = 0; i < g.nstrs; i++) {
      size_t n = strlen(g.strs[i]);
      cg_u32(&strs, (uint32_t)n);
      cg_bytes(&strs, g.strs[i], n);
    }
    cg_u32(&consts, g.nconsts);
    cg_bytes(&consts, g.consts.b, g.consts.n);
    cg_u32(&code, g.ncode);
    cg_bytes(&code, g.code.b, g.code.n);
    /* header; length and checksum filled in below */
    cg_bytes(&file, TBC_MAGIC, 4);
    cg_u16(&file, TBC_VERSION);
    cg_u16(&file, 0);
    cg_u32(&file, 0);
    cg_u32(&file, 0);
    cg_le(&file, tbc_fnv1a((const uint8_t *)p->source, p->source_len), 8);
    cg_u32(&file, TBC_NSECTIONS);
    cg_u32(&file, 0);
    const cg_buf *parts[TBC_NSECTIONS] = {&strs, &meta, &inputs, &consts, &tables, &sects, &items,
                                          &rules, &vetoes, &levels, &indx, &popl, &code};
    static const char tags[TBC_NSECTIONS][5] = {"STRS", "META", "INPT", "CNST", "TABL", "SECT", "ITEM",
                                                "RULE", "VETO", "LEVL", "INDX", "POPL", "CODE"};
    for (int i = 0; i < TBC_NSECTIONS; i++)
      cg_section(&file, TBC_TAG(tags[i][0], tags[i][1], tags[i][2], tags[i][3]), parts[i]);
    for (int i = 0; i < 4; i++) file.b[8 + i] = (uint8_t)(file.n >> (8 * i));
    uint32_t crc = tbc_crc32(0, file.b, file.n); /* checksum field is still zero */
    for (int i = 0; i < 4; i++) file.b[12 + i] = (uint8_t)(crc >> (8 * i));
    *out = file.b;
    *outlen = file.n;
    free(strs.b);
    free(consts.b);
    free(code.b);
  }
  free(meta.b);
  free(inputs.b);
  free(tables.b);
  free(sects.b);
  free(items.b);
  free(rules.b);
  free(vetoes.b);
  free(levels.b);
  free(indx.b);
  free(popl.b);
  free(g.consts.b);
  free(g.code.b);
  free(g.strs);
  free(g.table);
  return ok ? 0 : -1;
}
