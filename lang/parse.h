/* parse.h — from source text to a syntax tree (lexer.l, parser.y). */
#ifndef TALLY_PARSE_H
#define TALLY_PARSE_H

#include "ast.h"
#include "diag.h"
#include "limits.h"

/* Parse a whole policy.  Syntax errors go to d; returns NULL when there was
 * any.  The text need not be NUL-terminated and must outlive the tree. */
ast_policy *parse_policy(const char *text, size_t len, diag *d);

/* State shared by the lexer and the parser (internal). */
typedef struct parse_state {
  int line, col;
  size_t off;
  ast_arena *arena;
  diag *d;
  const char *text;
  size_t len;
  ast_policy *policy;
  int too_deep; /* an expression passed LIM_EXPR_DEPTH: said once */
  int start;    /* the first token: START_POLICY or START_INCLUDE */
  int file;     /* index of the file being read, in policy->files */
  int depth;    /* includes open around this file */
  int open[LIM_INCLUDE_DEPTH + 1]; /* the files open, outermost first */
  /* what a declaration's parts leave for its action */
  ast_table *table;
  ast_expr *ties;
  int64_t seed;
  ast_loc cap_at;
} parse_state;

/* Read and parse another file into the same policy: an `include` (its
 * declarations) or, with base set, the policy an `extends` names.  The
 * path is taken relative to the including file.  0, or -1 after an error. */
int parse_file(parse_state *ps, const char *path, ast_loc at, int base);

#endif
