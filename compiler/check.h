/* check.h — names, types and the arithmetic of the document.
 *
 * check_policy resolves every name to its input, gives every expression a
 * type, and checks what a policy officer gets wrong: unknown and unused
 * names, type mismatches, duplicate items and labels, sections that do not
 * add up, rating thresholds out of order.  Errors and warnings go to the
 * diag; the tree is annotated in place for the code generator and for the
 * reference evaluator.
 */
#ifndef TALLY_CHECK_H
#define TALLY_CHECK_H

#include "lang/ast.h"
#include "lang/diag.h"

/* Returns the number of errors (0: the tree may be compiled). */
int check_policy(ast_policy *p, diag *d);

/* The threshold K when a level's condition is exactly `score >= K`. */
int check_level_threshold(const ast_expr *cond, dec *k);

/* The rank of a level by name (none 0, a named else level 1, then up), or -1. */
int check_level_rank(const ast_rating *r, const char *name);

/* Whether the rule's quantity needs `whole` or `started` said. */
int check_per_needs_rounding(const ast_rule *r);

#endif
