/* refeval.h — a reference evaluator that scores a record straight from the
 * checked syntax tree, with none of the compiler's or the VM's code.  The
 * differential test runs it beside the VM: both must agree on every item of
 * every record. */
#ifndef TALLY_REFEVAL_H
#define TALLY_REFEVAL_H

#include <stdint.h>

#include "lang/ast.h"

typedef struct {
  int err;          /* nonzero: the record cannot be scored (overflow, ÷0) */
  dec total;
  dec item[1024];   /* in policy order, across sections */
  int nitems;
  int vetoed[64];
  int applies[1024]; /* the item's table and `when` held */
  int8_t check[4096];
  int nchecks;
  int level;        /* -1 none, index of the level, or nlevels for else */
  int score_level;
} ref_result;

/* slots: one per input, in the representation of runtime/tbc.h. */
void ref_eval(const ast_policy *p, const int64_t *slots, int64_t as_of, ref_result *out);

#endif
