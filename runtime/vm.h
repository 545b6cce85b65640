/* vm.h — score one record with a verified program.
 *
 * A context holds the stack and the result for one thread; contexts share
 * the (immutable) prog.  vm_eval allocates nothing and looks nothing up by
 * name: the record arrives as one int64 slot per input, in the input
 * schema's order and representation (see tbc.h).
 */
#ifndef TALLY_VM_H
#define TALLY_VM_H

#include <stdint.h>

#include "prog.h"

typedef struct {
  dec total;
  int32_t level;       /* the rating: -1 none, else index into levels, or
                          nlevels for the `else` level */
  int32_t score_level; /* the level the score alone reaches (before vetoes) */
  uint32_t nvetoed;    /* vetoes that fired */
  dec *item_score;     /* [nitems] after the clamp */
  dec *item_raw;       /* [nitems] base + awards − deductions, before it */
  uint8_t *item_zero;  /* [nitems] a zero rule fired */
  dec *rule_amount;    /* [nrules] points the rule moved (0 if it did not) */
  uint8_t *rule_fired; /* [nrules] */
  uint8_t *veto_fired; /* [nvetoes] */
  int err;             /* DEC_* error that stopped the record, or 0 */
  int64_t err_item;    /* item being scored when it stopped, -1 if none */
} vm_result;

typedef struct vm_ctx vm_ctx;

vm_ctx *vm_new(const prog *p); /* NULL when out of memory */
void vm_free(vm_ctx *c);

/* Score one record.  The result belongs to the context and is overwritten
 * by the next call.  result->err != 0 means the record could not be scored
 * (an overflow or a division by zero in the policy's arithmetic). */
const vm_result *vm_eval(vm_ctx *c, const int64_t *slots);

#endif
