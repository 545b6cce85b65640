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
  int32_t score_level; /* the level its conditions reach (before vetoes) */
  int32_t capped_level;/* after vetoes and their caps, before a quota */
  int32_t rank;        /* of the final level: none 0, else level 1, … */
  uint32_t nvetoed;    /* vetoes that fired */
  uint32_t nremoving;  /* of them, those that remove the rating (no cap) */
  int demoted;         /* the level was set from outside (a quota) */
  uint8_t *item_applies; /* [nitems] the item's `when` held (it was scored) */
  uint8_t *check_state;  /* [nchecks] 0 does not apply, 1 passed, 2 failed */
  dec *acc;              /* [naccs] what this record adds to each target */
  uint8_t *sampled;      /* [naudits] the record is in the audit's pool */
  dec *item_score;     /* [nitems] after the clamp */
  dec *item_raw;       /* [nitems] base + awards − deductions, before it */
  uint8_t *item_zero;  /* [nitems] a zero rule fired */
  dec *rule_amount;    /* [nrules] points the rule moved (0 if it did not) */
  uint8_t *rule_fired; /* [nrules] */
  uint8_t *rule_ran;   /* [nrules] the rule applied (its item and `when` held) */
  uint8_t *veto_fired; /* [nvetoes] */
  int err;             /* DEC_* or VM_* error that stopped the record, or 0 */
  int64_t err_item;    /* item being scored when it stopped, -1 if none */
  int64_t err_input;   /* VM_EMISSING: the input that was blank */
} vm_result;

typedef struct vm_ctx vm_ctx;

vm_ctx *vm_new(const prog *p); /* NULL when out of memory */
void vm_free(vm_ctx *c);

/* Score one record.  The result belongs to the context and is overwritten
 * by the next call.  result->err != 0 means the record could not be scored
 * (an overflow or a division by zero in the policy's arithmetic). */
const vm_result *vm_eval(vm_ctx *c, const int64_t *slots);

/* The as-of date (days) the date rules read; INT32_MIN: none. */
void vm_set_as_of(vm_ctx *c, int64_t days);

/* The level the next records are given whatever they reach (a quota's
 * demotion, decided after a first pass); -2 (the default) for none. */
void vm_force_level(vm_ctx *c, int32_t level);

/* DEC_* codes are small positive numbers; the VM adds its own. */
#define VM_ENODATE 100  /* years since / year of a date that is none */
#define VM_EMISSING 101 /* a required input is blank, and the record needs it */

/* The slot value of a blank cell of an input without a default: an error
 * only if the program reads it (a rule that does not apply does not). */
#define VM_MISSING INT64_MIN

#endif
