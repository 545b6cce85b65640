/* compile.h — the whole front end in one call: parse, check, generate. */
#ifndef TALLY_COMPILE_H
#define TALLY_COMPILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lang/ast.h"

typedef struct {
  int errors, warnings;
  ast_policy *tree;   /* checked tree (free with ast_arena_free(tree->arena)), or NULL */
  uint8_t *tbc;       /* bytecode (free()), or NULL when there were errors */
  size_t tbc_len;
} compile_result;

/* Compile source text; diagnostics go to `errs` under the name `path`.
 * want_tbc = 0 stops after the checks; tally check asks for code too, since
 * code generation can find errors of its own (an expression too deep). */
void compile_source(const char *path, const char *text, size_t len, FILE *errs, int want_tbc,
                    compile_result *out);
void compile_result_free(compile_result *r);

/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL on error
 * with errno set: EFBIG past COMPILE_MAX_FILE, so that a huge file is
 * refused before it fills the memory (a policy may have 16 MiB, a .tbc
 * made from one somewhat more). */
#define COMPILE_MAX_FILE (64u << 20)
char *compile_read_file(const char *path, size_t *len);

#endif
