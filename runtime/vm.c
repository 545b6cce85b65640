/* vm.c — the interpreter.
 *
 * A stack machine over int64 values: bools are 0/1, numbers and percents are
 * decimals (dec.h), dates are day numbers, enum values their index.  The
 * verifier has already proved every index in range, every jump forward and
 * every operand of the right type, so the loop checks none of that; it only
 * checks what depends on the record: overflow and division by zero.
 */
#include "vm.h"

#include <stdlib.h>
#include <string.h>

struct vm_ctx {
  const prog *p;
  int64_t *stack;
  vm_result r;
};

vm_ctx *vm_new(const prog *p) {
  vm_ctx *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->p = p;
  size_t ni = p->nitems ? p->nitems : 1, nr = p->nrules ? p->nrules : 1;
  c->stack = calloc(p->max_stack ? p->max_stack : 1, sizeof *c->stack);
  c->r.item_score = calloc(ni, sizeof(dec));
  c->r.item_raw = calloc(ni, sizeof(dec));
  c->r.item_zero = calloc(ni, 1);
  c->r.rule_amount = calloc(nr, sizeof(dec));
  c->r.rule_fired = calloc(nr, 1);
  c->r.veto_fired = calloc(p->nvetoes ? p->nvetoes : 1, 1);
  if (!c->stack || !c->r.item_score || !c->r.item_raw || !c->r.item_zero || !c->r.rule_amount ||
      !c->r.rule_fired || !c->r.veto_fired) {
    vm_free(c);
    return NULL;
  }
  return c;
}

void vm_free(vm_ctx *c) {
  if (!c) return;
  free(c->stack);
  free(c->r.item_score);
  free(c->r.item_raw);
  free(c->r.item_zero);
  free(c->r.rule_amount);
  free(c->r.rule_fired);
  free(c->r.veto_fired);
  free(c);
}

/* Points a per-unit rule moves for quantity q: whole or begun units of q,
 * times the rule's points, up to its max.  Exact: units are counted by
 * integer division of the scaled values. */
static int vm_per(const prog_rule *ru, dec q, dec *amount) {
  if (q <= 0) { *amount = 0; return DEC_OK; }
  int64_t n = (ru->flags & TBC_RF_STARTED) ? q / ru->unit + (q % ru->unit != 0) : q / ru->unit;
  int64_t a;
  if (__builtin_mul_overflow(n, ru->points, &a) || a > DEC_LIMIT) {
    if (!(ru->flags & TBC_RF_MAX)) return DEC_EOVERFLOW;
    a = ru->max;
  }
  if ((ru->flags & TBC_RF_MAX) && a > ru->max) a = ru->max;
  *amount = a;
  return DEC_OK;
}

const vm_result *vm_eval(vm_ctx *c, const int64_t *slots) {
  const prog *p = c->p;
  const uint32_t *code = p->code;
  vm_result *r = &c->r;
  int64_t *sp = c->stack; /* next free slot */
  dec acc = 0, total = 0;
  int64_t item = -1;
  int zero = 0, err = DEC_OK;
  uint32_t pc = 0;

  r->level = -1;
  r->score_level = -1;
  r->nvetoed = 0;
  r->err = 0;
  r->err_item = -1;
  memset(r->veto_fired, 0, p->nvetoes);

#define BINARY(fn)                                  \
  do {                                              \
    sp--;                                           \
    if ((err = fn(sp[-1], sp[0], &sp[-1])) != DEC_OK) goto fail; \
  } while (0)

  for (;;) {
    uint32_t ins = code[pc++];
    uint32_t arg = TBC_ARG(ins);
    switch ((enum tbc_opcode)TBC_OP(ins)) {
    case OP_HALT: goto done;
    case OP_CONST: *sp++ = p->consts[arg].value; break;
    case OP_LOAD: *sp++ = slots[arg]; break;
    case OP_LOADNOT: *sp++ = !slots[arg]; break;
    case OP_SCORE: *sp++ = total; break;
    case OP_ADD: BINARY(dec_add); break;
    case OP_SUB: BINARY(dec_sub); break;
    case OP_DAYS: sp--; sp[-1] = DEC_INT(sp[-1] - sp[0]); break; /* dates lie within ±4e6 days */
    case OP_MUL: BINARY(dec_mul); break;
    case OP_DIV: BINARY(dec_div); break;
    case OP_NEG: if ((err = dec_neg(sp[-1], &sp[-1])) != DEC_OK) goto fail; break;
    case OP_MIN: sp--; if (sp[0] < sp[-1]) sp[-1] = sp[0]; break;
    case OP_MAX: sp--; if (sp[0] > sp[-1]) sp[-1] = sp[0]; break;
    case OP_FLOOR: sp[-1] = dec_floor(sp[-1]); break;
    case OP_CEIL: sp[-1] = dec_ceil(sp[-1]); break;
    case OP_EQ: sp--; sp[-1] = sp[-1] == sp[0]; break;
    case OP_NE: sp--; sp[-1] = sp[-1] != sp[0]; break;
    case OP_LT: sp--; sp[-1] = sp[-1] < sp[0]; break;
    case OP_LE: sp--; sp[-1] = sp[-1] <= sp[0]; break;
    case OP_GT: sp--; sp[-1] = sp[-1] > sp[0]; break;
    case OP_GE: sp--; sp[-1] = sp[-1] >= sp[0]; break;
    case OP_NOT: sp[-1] = !sp[-1]; break;
    case OP_ANDJ: if (!sp[-1]) pc += arg; else sp--; break;
    case OP_ORJ: if (sp[-1]) pc += arg; else sp--; break;
    case OP_NFALSE: {
      int64_t n = 0;
      for (uint32_t k = 0; k < arg; k++) n += !*--sp;
      *sp++ = DEC_INT(n);
      break;
    }
    case OP_ITEM:
      item = arg;
      acc = p->items[arg].base;
      zero = 0;
      break;
    /* Conditional rules: the condition is on the stack. */
    case OP_DEDUCT:
      r->rule_amount[arg] = 0;
      if ((r->rule_fired[arg] = (uint8_t)*--sp)) {
        dec pts = p->rules[arg].points;
        r->rule_amount[arg] = pts;
        if ((err = dec_sub(acc, pts, &acc)) != DEC_OK) goto fail;
      }
      break;
    case OP_AWARD:
      r->rule_amount[arg] = 0;
      if ((r->rule_fired[arg] = (uint8_t)*--sp)) {
        dec pts = p->rules[arg].points;
        r->rule_amount[arg] = pts;
        if ((err = dec_add(acc, pts, &acc)) != DEC_OK) goto fail;
      }
      break;
    case OP_ZERO:
      r->rule_amount[arg] = 0;
      if ((r->rule_fired[arg] = (uint8_t)*--sp)) zero = 1;
      break;
    case OP_DEDUCTPER:
    case OP_AWARDPER: {
      const prog_rule *ru = &p->rules[arg];
      dec amount;
      if ((err = vm_per(ru, *--sp, &amount)) != DEC_OK) goto fail;
      r->rule_fired[arg] = amount != 0;
      r->rule_amount[arg] = amount;
      err = ru->kind == TBC_R_AWARD_PER ? dec_add(acc, amount, &acc) : dec_sub(acc, amount, &acc);
      if (err != DEC_OK) goto fail;
      break;
    }
    case OP_ENDITEM: {
      dec pts = p->items[item].points, s = acc;
      if (s < 0) s = 0;
      if (s > pts) s = pts;
      if (zero) s = 0;
      r->item_raw[item] = acc;
      r->item_zero[item] = (uint8_t)zero;
      r->item_score[item] = s;
      if ((err = dec_add(total, s, &total)) != DEC_OK) goto fail;
      item = -1;
      break;
    }
    case OP_VETO:
      if (*--sp) {
        r->veto_fired[arg] = 1;
        r->nvetoed++;
      }
      break;
    case OP_LEVEL:
      if (*--sp && r->score_level < 0) r->score_level = (int32_t)arg;
      break;
    case OP_COUNT_: goto done; /* unreachable: the verifier refuses it */
    }
  }
#undef BINARY
done:
  r->total = total;
  if (r->score_level < 0 && p->else_name) r->score_level = (int32_t)p->nlevels;
  r->level = r->nvetoed ? -1 : r->score_level;
  return r;
fail:
  r->err = err;
  r->err_item = item;
  r->total = total;
  return r;
}
