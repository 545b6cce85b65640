/* parse.c — run the lexer and parser over a source text. */
/* realpath, to know a file that includes itself however it is named */
#define _XOPEN_SOURCE 700
#include "parse.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "lexer.h"
#include "limits.h"
#include "runtime/text.h"

/* Where byte `bad` of the text is, as a location in file `file`. */
static ast_loc parse_where(const char *text, size_t bad, int file) {
  ast_loc at = {1, 1, bad, bad + 1, file};
  for (size_t i = 0; i < bad; i++) {
    if (text[i] == '\n') { at.line++; at.col = 1; }
    else if (((unsigned char)text[i] & 0xC0) != 0x80) at.col++;
  }
  return at;
}

/* The text must be UTF-8 without NUL before flex sees any of it. */
static int parse_check_text(const char *text, size_t len, diag *d, int file) {
  size_t bad;
  if (len > LIM_SOURCE_BYTES) {
    ast_loc at = {1, 1, 0, 0, file};
    diag_report(d, DIAG_ERROR, at, "split the standard, or check that this is the policy file",
                "the policy is %zu bytes; the limit is %u bytes", len, LIM_SOURCE_BYTES);
    return 0;
  }
  if (!txt_utf8_valid(text, len, &bad)) {
    diag_report(d, DIAG_ERROR, parse_where(text, bad, file), "save the policy as UTF-8",
                "invalid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]);
    return 0;
  }
  const char *z = memchr(text, 0, len);
  if (z) {
    diag_report(d, DIAG_ERROR, parse_where(text, (size_t)(z - text), file), NULL, "NUL byte in the policy");
    return 0;
  }
  return 1;
}

/* Run the lexer and the parser over one file of the policy. */
static int parse_run(parse_state *parent, ast_policy *p, diag *d, int file, int start) {
  const ast_file *f = p->files.v[file];
  parse_state ps;
  memset(&ps, 0, sizeof ps);
  ps.line = ps.col = 1;
  ps.arena = p->arena;
  ps.d = d;
  ps.text = f->text;
  ps.len = f->len;
  ps.policy = p;
  ps.start = start;
  ps.file = file;
  if (parent) {
    ps.depth = parent->depth + 1;
    memcpy(ps.open, parent->open, sizeof ps.open);
  }
  ps.open[ps.depth] = file;
  yyscan_t scanner;
  if (yylex_init_extra(&ps, &scanner)) return -1;
  YY_BUFFER_STATE buf = yy_scan_bytes(f->text, (int)f->len, scanner);
  int errors_before = d->nerrors;
  int rc = yyparse(scanner, &ps);
  yy_delete_buffer(buf, scanner);
  yylex_destroy(scanner);
  return rc != 0 || d->nerrors > errors_before ? -1 : 0;
}

static ast_file *parse_add_file(ast_policy *p, const char *name, const char *text, size_t len) {
  ast_file *f = ast_alloc(p->arena, sizeof *f);
  f->name = name;
  f->text = text;
  f->len = len;
  ast_push(p->arena, &p->files, f);
  return f;
}

/* A file's whole text, in the arena; NULL with errno set. */
static char *parse_slurp(ast_arena *a, const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap || n > LIM_SOURCE_BYTES) break;
    char *nb = realloc(buf, cap * 2);
    if (!nb) { free(buf); buf = NULL; break; }
    buf = nb;
    cap *= 2;
  }
  int bad = !buf || ferror(f);
  fclose(f);
  if (bad) { free(buf); errno = bad && buf ? EIO : ENOMEM; return NULL; }
  char *out = ast_strndup(a, buf, n);
  free(buf);
  *len = n;
  return out;
}

/* Whether file f is the file at the real path `real`, however named. */
static int parse_same_file(const char *real, const ast_file *f) {
  char *oreal = realpath(f->name, NULL);
  int same = oreal && !strcmp(oreal, real);
  free(oreal);
  return same;
}

int parse_file(parse_state *ps, const char *path, ast_loc at, int base) {
  ast_policy *p = ps->policy;
  const ast_file *cur = p->files.v[ps->file];
  /* relative to the directory of the file that names it */
  const char *slash = strrchr(cur->name, '/');
  char *full;
  if (path[0] == '/' || !slash) full = ast_strndup(p->arena, path, strlen(path));
  else {
    size_t dl = (size_t)(slash - cur->name) + 1;
    full = ast_alloc(p->arena, dl + strlen(path) + 1);
    memcpy(full, cur->name, dl);
    strcpy(full + dl, path);
  }
  const char *what = base ? "extends" : "include";
  if (ps->depth >= LIM_INCLUDE_DEPTH || p->files.n >= LIM_FILES) {
    diag_report(ps->d, DIAG_ERROR, at, "includes nest at most 16 deep, 64 files in all", "too many files: '%s'", path);
    return -1;
  }
  /* a file that is already open around this one would include itself */
  char *real = realpath(full, NULL);
  for (int i = 0; real && i <= ps->depth; i++) {
    if (parse_same_file(real, p->files.v[ps->open[i]])) {
      char chain[512];
      size_t n = 0;
      for (int k = i; k <= ps->depth && n < sizeof chain; k++)
        n += (size_t)snprintf(chain + n, sizeof chain - n, "%s → ", ((ast_file *)p->files.v[ps->open[k]])->name);
      if (n < sizeof chain) snprintf(chain + n, sizeof chain - n, "%s", full);
      diag_report(ps->d, DIAG_ERROR, at, chain, "'%s' %s itself: the files go round in a circle", path,
                  base ? "extends" : "includes");
      free(real);
      return -1;
    }
  }
  /* A file already read (two includes of the same shared file, as when
   * two included files both include it) adds nothing the second time. */
  for (int i = 0; real && !base && i < p->files.n; i++) {
    if (parse_same_file(real, p->files.v[i])) {
      free(real);
      return 0;
    }
  }
  free(real);
  size_t len = 0;
  char *text = parse_slurp(p->arena, full, &len);
  if (!text) {
    diag_report(ps->d, DIAG_ERROR, at, NULL, "cannot read '%s' (%s): %s", path, what, strerror(errno));
    return -1;
  }
  parse_add_file(p, full, text, len);
  int file = p->files.n - 1;
  if (!parse_check_text(text, len, ps->d, file)) return -1;
  return parse_run(ps, p, ps->d, file, base ? START_POLICY : START_INCLUDE);
}

ast_policy *parse_policy(const char *text, size_t len, diag *d) {
  if (!parse_check_text(text, len, d, 0)) return NULL;
  ast_arena *arena = ast_arena_new();
  ast_policy *p = ast_alloc(arena, sizeof *p);
  p->arena = arena;
  p->source = text;
  p->source_len = len;
  p->effective = INT64_MIN;
  p->as_of = INT64_MIN;
  parse_add_file(p, d->path ? d->path : "<policy>", text, len);
  d->files = &p->files;
  if (parse_run(NULL, p, d, 0, START_POLICY) != 0 || ast_apply_edits(p, d) != 0) {
    d->files = NULL;
    ast_arena_free(arena);
    return NULL;
  }
  return p;
}
