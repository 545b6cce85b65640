/* compile.c — parse, check and generate, for the CLI and the tests. */
#include "compile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codegen.h"
#include "lang/diag.h"
#include "lang/parse.h"

void compile_source(const char *path, const char *text, size_t len, FILE *errs, int want_tbc,
                    compile_result *out) {
  diag d;
  memset(out, 0, sizeof *out);
  diag_init(&d, errs, path, text, len);
  ast_policy *p = parse_policy(text, len, &d);
  if (p && check_policy(p, &d) == 0 && want_tbc) codegen_policy(p, &d, &out->tbc, &out->tbc_len);
  out->tree = p;
  out->errors = d.nerrors;
  out->warnings = d.nwarnings;
}

void compile_result_free(compile_result *r) {
  if (r->tree) ast_arena_free(r->tree->arena);
  free(r->tbc);
  memset(r, 0, sizeof *r);
}

char *compile_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    if (n > COMPILE_MAX_FILE) { /* one byte more than allowed was read */
      free(buf);
      fclose(f);
      errno = EFBIG;
      return NULL;
    }
    cap = cap * 2 > COMPILE_MAX_FILE ? COMPILE_MAX_FILE + 1 : cap * 2;
    char *nb = realloc(buf, cap + 1);
    if (!nb) { free(buf); buf = NULL; break; }
    buf = nb;
  }
  int err = ferror(f);
  fclose(f);
  if (!buf || err) { free(buf); return NULL; }
  buf[n] = 0;
  *len = n;
  return buf;
}
