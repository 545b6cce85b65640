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

#include "date.h"
#define op_of(ins) ((enum tbc_opcode)TBC_OP(ins))

struct vm_ctx {
  const prog *p;
  int64_t *stack;
  int64_t as_of;
  int32_t forced;
  vm_result r;
};

void vm_set_as_of(vm_ctx *c, int64_t days) { c->as_of = days; }
void vm_force_level(vm_ctx *c, int32_t level) { c->forced = level; }

/* Years between two days, counted as a person does: a year is complete on
 * the same month and day; from 29 February, on 1 March of a common year. */
static int64_t vm_years(int64_t from, int64_t to) {
  int fy, fm, fd, ty, tm, td;
  date_to_ymd(from, &fy, &fm, &fd);
  date_to_ymd(to, &ty, &tm, &td);
  int64_t n = ty - fy;
  if (tm < fm || (tm == fm && td < fd)) n--;
  return n;
}

/* The day n years before d: the same month and day, 28 February for 29. */
static int64_t vm_years_back(int64_t d, int n) {
  int y, m, dd, ok;
  date_to_ymd(d, &y, &m, &dd);
  y -= n;
  if (y < 1) return DATE_MIN - 1;
  int64_t back = date_from_ymd(y, m, dd, &ok);
  return ok ? back : date_from_ymd(y, 2, 28, &ok); /* 29 February of a common year */
}

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
  c->r.rule_ran = calloc(nr, 1);
  c->r.veto_fired = calloc(p->nvetoes ? p->nvetoes : 1, 1);
  c->r.item_applies = calloc(ni, 1);
  c->r.check_state = calloc(p->nchecks ? p->nchecks : 1, 1);
  c->r.acc = calloc(p->naccs ? p->naccs : 1, sizeof(dec));
  c->r.sampled = calloc(p->naudits ? p->naudits : 1, 1);
  c->as_of = INT32_MIN;
  c->forced = -2;
  if (!c->stack || !c->r.item_score || !c->r.item_raw || !c->r.item_zero || !c->r.rule_amount ||
      !c->r.rule_fired || !c->r.rule_ran || !c->r.veto_fired || !c->r.item_applies || !c->r.check_state || !c->r.acc || !c->r.sampled) {
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
  free(c->r.rule_ran);
  free(c->r.veto_fired);
  free(c->r.item_applies);
  free(c->r.check_state);
  free(c->r.acc);
  free(c->r.sampled);
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
  r->capped_level = -1;
  r->rank = 0;
  r->nvetoed = 0;
  r->nremoving = 0;
  r->demoted = 0;
  r->err = 0;
  r->err_item = -1;
  r->err_input = -1;
  memset(r->veto_fired, 0, p->nvetoes);
  /* what a `when` skips must read as "does not apply", not as the last
   * record's; without one, every rule, item and check runs and sets its own */
  if (p->has_skips) {
    memset(r->item_applies, 0, p->nitems);
    memset(r->rule_fired, 0, p->nrules);
    memset(r->rule_ran, 0, p->nrules);
    memset(r->rule_amount, 0, p->nrules * sizeof(dec));
    memset(r->check_state, 0, p->nchecks);
  }
  memset(r->acc, 0, p->naccs * sizeof(dec));
  memset(r->sampled, 0, p->naudits);

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
    case OP_LOAD:
      if ((*sp++ = slots[arg]) == VM_MISSING) goto missing;
      break;
    case OP_LOADNOT:
      if (slots[arg] == VM_MISSING) goto missing;
      *sp++ = !slots[arg];
      break;
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
      r->rule_ran[arg] = 1;
      r->rule_amount[arg] = 0;
      if ((r->rule_fired[arg] = (uint8_t)*--sp)) {
        dec pts = p->rules[arg].points;
        r->rule_amount[arg] = pts;
        if ((err = dec_sub(acc, pts, &acc)) != DEC_OK) goto fail;
      }
      break;
    case OP_AWARD:
      r->rule_ran[arg] = 1;
      r->rule_amount[arg] = 0;
      if ((r->rule_fired[arg] = (uint8_t)*--sp)) {
        dec pts = p->rules[arg].points;
        r->rule_amount[arg] = pts;
        if ((err = dec_add(acc, pts, &acc)) != DEC_OK) goto fail;
      }
      break;
    case OP_ZERO:
      r->rule_ran[arg] = 1;
      r->rule_amount[arg] = 0;
      if ((r->rule_fired[arg] = (uint8_t)*--sp)) zero = 1;
      break;
    case OP_DEDUCTPER:
    case OP_AWARDPER: {
      const prog_rule *ru = &p->rules[arg];
      dec amount;
      r->rule_ran[arg] = 1;
      if ((err = vm_per(ru, *--sp, &amount)) != DEC_OK) goto fail;
      r->rule_fired[arg] = amount != 0;
      r->rule_amount[arg] = amount;
      err = ru->kind == TBC_R_AWARD_PER ? dec_add(acc, amount, &acc) : dec_sub(acc, amount, &acc);
      if (err != DEC_OK) goto fail;
      break;
    }
    case OP_ENDITEM: {
      if (p->has_skips) {
        /* an award that did not apply (its `when`) is no part of the item:
         * the base had set its maximum aside, give it back */
        const prog_item *it = &p->items[item];
        for (uint32_t k = it->first_rule; k < it->first_rule + it->nrules; k++) {
          const prog_rule *ru = &p->rules[k];
          if (r->rule_ran[k] || (ru->kind != TBC_R_AWARD && ru->kind != TBC_R_AWARD_PER)) continue;
          if ((err = dec_add(acc, ru->kind == TBC_R_AWARD ? ru->points : ru->max, &acc)) != DEC_OK) goto fail;
        }
      }
      dec pts = p->items[item].points, s = acc;
      if (s < 0) s = 0;
      if (s > pts) s = pts;
      if (zero) s = 0;
      r->item_raw[item] = acc;
      r->item_zero[item] = (uint8_t)zero;
      r->item_score[item] = s;
      r->item_applies[item] = 1;
      if ((err = dec_add(total, s, &total)) != DEC_OK) goto fail;
      item = -1;
      break;
    }
    case OP_VETO:
      if (*--sp) {
        r->veto_fired[arg] = 1;
        r->nvetoed++;
        r->nremoving += p->vetoes[arg].cap == TBC_NONE;
      }
      break;
    case OP_LEVEL:
      if (*--sp && r->score_level < 0) r->score_level = (int32_t)arg;
      break;
    case OP_SKIPF:
      if (!*--sp) pc += arg;
      break;
    case OP_PICK:
      sp -= 2; /* sp[-1] else, sp[0] then, sp[1] the condition */
      if (sp[1]) sp[-1] = sp[0];
      break;
    case OP_ASOF: *sp++ = c->as_of; break;
    case OP_WITHIN: {
      int64_t d = sp[-1];
      sp[-1] = d != TBC_DATE_NONE && d <= c->as_of && d > vm_years_back(c->as_of, (int)arg);
      break;
    }
    case OP_THISYEAR: {
      int64_t d = sp[-1];
      int y1, y2, m, dd;
      if (d == TBC_DATE_NONE) { sp[-1] = 0; break; }
      date_to_ymd(d, &y1, &m, &dd);
      date_to_ymd(c->as_of, &y2, &m, &dd);
      sp[-1] = y1 == y2;
      break;
    }
    case OP_YEARSTO:
      if (sp[-1] == TBC_DATE_NONE) { err = VM_ENODATE; goto fail; }
      sp[-1] = DEC_INT(vm_years(sp[-1], c->as_of));
      break;
    case OP_YEAR: {
      int y, m, dd;
      if (sp[-1] == TBC_DATE_NONE) { err = VM_ENODATE; goto fail; }
      date_to_ymd(sp[-1], &y, &m, &dd);
      sp[-1] = DEC_INT(y);
      break;
    }
    case OP_CHECK:
      r->check_state[arg] = *--sp ? 1 : 2;
      break;
    case OP_IALL: case OP_IANY: case OP_ICOUNT: case OP_ISHARE: {
      const prog_index *x = &p->indices[arg];
      const uint8_t *st = r->check_state + x->first_check;
      int64_t passed = 0, applied = 0;
      for (uint32_t k = 0; k < x->nchecks; k++) {
        applied += st[k] != 0;
        passed += st[k] == 1;
      }
      if (op_of(ins) == OP_IALL) *sp++ = passed == applied;
      else if (op_of(ins) == OP_IANY) *sp++ = passed > 0;
      else if (op_of(ins) == OP_ICOUNT) *sp++ = DEC_INT(passed);
      else *sp++ = applied ? passed * DEC_INT(100) / applied : DEC_INT(100); /* thousandths, rounded down */
      break;
    }
    case OP_RATE: {
      int32_t lv = r->score_level;
      if (lv < 0 && p->else_name) lv = (int32_t)p->nlevels;
      if (r->nremoving) lv = -1;
      else
        for (uint32_t k = 0; k < p->nvetoes && lv >= 0; k++)
          if (r->veto_fired[k] && (int32_t)p->vetoes[k].cap > lv) lv = (int32_t)p->vetoes[k].cap;
      r->capped_level = lv;
      if (c->forced > -2) {
        r->demoted = c->forced != lv;
        lv = c->forced;
      }
      r->level = lv;
      r->rank = lv < 0 ? 0 : lv == (int32_t)p->nlevels ? 1 : (p->else_name ? 1 : 0) + (int32_t)p->nlevels - lv;
      break;
    }
    case OP_RATING: *sp++ = DEC_INT(r->rank); break;
    case OP_TCOUNT: r->acc[arg] = *--sp ? DEC_INT(1) : 0; break;
    case OP_TSUM: r->acc[arg] = *--sp; break;
    case OP_SAMPLE: r->sampled[arg] = (uint8_t)(*--sp != 0); break;
    case OP_COUNT_: goto done; /* unreachable: the verifier refuses it */
    }
  }
#undef BINARY
done:
  r->total = total;
  if (r->score_level < 0 && p->else_name) r->score_level = (int32_t)p->nlevels;
  return r;
missing:
  err = VM_EMISSING;
  r->err_input = TBC_ARG(code[pc - 1]);
fail:
  r->err = err;
  r->err_item = item;
  r->total = total;
  return r;
}
