/* codegen.h — lower a checked policy to bytecode (see runtime/tbc.h). */
#ifndef TALLY_CODEGEN_H
#define TALLY_CODEGEN_H

#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/diag.h"

/* The tree must have passed check_policy.  On success *out is a malloc'd
 * buffer of *outlen bytes and the result is 0. */
int codegen_policy(ast_policy *p, diag *d, uint8_t **out, size_t *outlen);

#endif
