/* diag.c — print diagnostics with the source line and a caret. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/text.h"

void diag_init(diag *d, FILE *out, const char *path, const char *text, size_t len) {
  memset(d, 0, sizeof *d);
  d->out = out;
  d->path = path;
  d->text = text;
  d->len = len;
  d->color = isatty(fileno(out)) && !getenv("NO_COLOR");
}

static const char *color(const diag *d, const char *code) { return d->color ? code : ""; }

/* Move back (dir < 0) or on over n code points from i, within [lo, hi]. */
static size_t diag_step(const char *t, size_t i, size_t lo, size_t hi, int dir, size_t n) {
  while (n--) {
    if (dir < 0) {
      if (i <= lo) break;
      do i--; while (i > lo && ((unsigned char)t[i] & 0xC0) == 0x80);
    } else {
      if (i >= hi) break;
      do i++; while (i < hi && ((unsigned char)t[i] & 0xC0) == 0x80);
    }
  }
  return i;
}

/* The quoted line and a caret under [at.off, at.end) (clipped to the line).
 * A very long line is shown as a window of it around the place, with … at
 * the cut ends, so that a generated policy cannot flood the terminal. */
static void diag_quote(diag *d0, ast_loc at) {
  enum { BEFORE = 60, WIDTH = 120 };
  diag one = *d0, *d = &one;
  if (at.file > 0 && d0->files && at.file < d0->files->n) {
    const ast_file *f = d0->files->v[at.file];
    one.text = f->text;
    one.len = f->len;
  }
  if (!d->text || at.line <= 0 || at.off > d->len) return;
  size_t start = at.off, stop = at.off;
  while (start > 0 && d->text[start - 1] != '\n') start--;
  while (stop < d->len && d->text[stop] != '\n' && d->text[stop] != '\r') stop++;
  size_t from = diag_step(d->text, at.off, start, stop, -1, BEFORE);
  size_t to = diag_step(d->text, from, start, stop, +1, WIDTH);
  const char *lead = from > start ? "…" : "", *tail = to < stop ? "…" : "";
  size_t end = at.end > to ? to : at.end;
  if (end < at.off) end = at.off;
  char num[16];
  int w = snprintf(num, sizeof num, "%d", at.line);
  /* control characters (a NUL, an escape) would garble the terminal: '?' */
  fprintf(d->out, " %s | %s", num, lead);
  for (size_t i = from; i < to; i++) {
    unsigned char c = (unsigned char)d->text[i];
    fputc((c < 0x20 && c != '\t') || c == 0x7F ? '?' : c, d->out);
  }
  fprintf(d->out, "%s\n", tail);
  fprintf(d->out, " %*s | %s", w, "", *lead ? " " : "");
  /* Keep tabs as tabs so the caret lines up whatever the tab width. */
  for (size_t i = from; i < at.off;) {
    if (d->text[i] == '\t') { fputc('\t', d->out); i++; continue; }
    size_t j = i + 1;
    while (j < at.off && ((unsigned char)d->text[j] & 0xC0) == 0x80) j++;
    unsigned char c = (unsigned char)d->text[i];
    size_t w = (c < 0x20 || c == 0x7F) ? 1 : txt_width(d->text + i, j - i); /* shown as '?' */
    for (; w > 0; w--) fputc(' ', d->out);
    i = j;
  }
  size_t width = txt_width(d->text + at.off, end - at.off);
  fprintf(d->out, "%s^", color(d, "\033[1;32m"));
  for (size_t k = 1; k < width; k++) fputc('~', d->out);
  fprintf(d->out, "%s\n", color(d, "\033[0m"));
}

void diag_report(diag *d, diag_level lv, ast_loc at, const char *hint, const char *fmt, ...) {
  static const char *const names[] = {"error", "warning", "note"};
  static const char *const colors[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
  if (lv == DIAG_ERROR) d->nerrors++;
  if (lv == DIAG_WARNING) d->nwarnings++;
  const char *path = d->path;
  if (at.file > 0 && d->files && at.file < d->files->n) path = ((const ast_file *)d->files->v[at.file])->name;
  fprintf(d->out, "%s%s:%d:%d:%s %s%s:%s ", color(d, "\033[1m"), path, at.line, at.col,
          color(d, "\033[0m"), color(d, colors[lv]), names[lv], color(d, "\033[0m"));
  va_list ap;
  va_start(ap, fmt);
  vfprintf(d->out, fmt, ap);
  va_end(ap);
  fputc('\n', d->out);
  diag_quote(d, at);
  if (hint) fprintf(d->out, "%shint:%s %s\n", color(d, "\033[1;36m"), color(d, "\033[0m"), hint);
}
