/* examples.h — `tally test`: run a policy's examples against its bytecode.
 *
 * Each example is a record written in the policy with the outcome the
 * document gives it.  The record is scored by the compiled program (the
 * same VM as `tally run`), and every expectation is compared; a failure
 * prints what was expected, what came out, and the record's ledger.  The
 * examples together are also measured for coverage: which rules never
 * fired, which checks never failed, which vetoes, levels, categories and
 * level boundaries no example reaches.
 */
#ifndef TALLY_EXAMPLES_H
#define TALLY_EXAMPLES_H

#include <stdio.h>

#include "lang/ast.h"
#include "runtime/prog.h"

typedef struct {
  int examples, passed, failed;
  int gaps; /* coverage gaps found */
} examples_report;

/* path: for messages.  as_of: INT32_MIN for the policy's own.  Returns 0,
 * or -1 when the examples could not be run at all (no as-of date). */
int examples_run(const char *path, const ast_policy *tree, const prog *p, int64_t as_of, FILE *out,
                 examples_report *rep);

#endif
