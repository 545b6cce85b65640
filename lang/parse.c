/* parse.c — run the lexer and parser over a source text. */
#include "parse.h"

#include <string.h>

#include "parser.h"
#include "lexer.h"
#include "limits.h"
#include "runtime/text.h"

/* Point at the first byte that is not UTF-8, before flex sees any of it. */
static int parse_check_utf8(const char *text, size_t len, diag *d) {
  size_t bad;
  if (txt_utf8_valid(text, len, &bad)) return 1;
  ast_loc at = {1, 1, bad, bad + 1};
  for (size_t i = 0; i < bad; i++) {
    if (text[i] == '\n') { at.line++; at.col = 1; }
    else if (((unsigned char)text[i] & 0xC0) != 0x80) at.col++;
  }
  diag_report(d, DIAG_ERROR, at, "save the policy as UTF-8", "invalid UTF-8 (byte 0x%02X)",
              (unsigned char)text[bad]);
  return 0;
}

ast_policy *parse_policy(const char *text, size_t len, diag *d) {
  if (len > LIM_SOURCE_BYTES) {
    ast_loc at = {1, 1, 0, 0};
    diag_report(d, DIAG_ERROR, at, "split the standard, or check that this is the policy file",
                "the policy is %zu bytes; the limit is %u bytes", len, LIM_SOURCE_BYTES);
    return NULL;
  }
  if (!parse_check_utf8(text, len, d)) return NULL;
  if (memchr(text, 0, len)) {
    const char *z = memchr(text, 0, len);
    ast_loc at = {1, 1, (size_t)(z - text), (size_t)(z - text) + 1};
    for (const char *c = text; c < z; c++) {
      if (*c == '\n') { at.line++; at.col = 1; }
      else if (((unsigned char)*c & 0xC0) != 0x80) at.col++;
    }
    diag_report(d, DIAG_ERROR, at, NULL, "NUL byte in the policy");
    return NULL;
  }
  ast_arena *arena = ast_arena_new();
  ast_policy *p = ast_alloc(arena, sizeof *p);
  p->arena = arena;
  p->source = text;
  p->source_len = len;
  p->effective = INT64_MIN;
  parse_state ps = {1, 1, 0, arena, d, text, len, p, 0};
  yyscan_t scanner;
  if (yylex_init_extra(&ps, &scanner)) {
    ast_arena_free(arena);
    return NULL;
  }
  YY_BUFFER_STATE buf = yy_scan_bytes(text, (int)len, scanner);
  int errors_before = d->nerrors;
  int rc = yyparse(scanner, &ps);
  yy_delete_buffer(buf, scanner);
  yylex_destroy(scanner);
  if (rc != 0 || d->nerrors > errors_before) {
    ast_arena_free(arena);
    return NULL;
  }
  return p;
}
