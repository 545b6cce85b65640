/* parse.h — from source text to a syntax tree (lexer.l, parser.y). */
#ifndef TALLY_PARSE_H
#define TALLY_PARSE_H

#include "ast.h"
#include "diag.h"

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
} parse_state;

#endif
