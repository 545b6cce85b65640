/* fmt.c — regular layout for a policy (see fmt.h).
 *
 * Line by line, without the parser: braces outside strings and comments
 * give the depth; the first line of a block (not a comment) gives the
 * block's own indentation as its author wrote it, and a line indented
 * further than that is a continuation and keeps the difference.  A block
 * whose "{" has more on its line (input { id: "甲", ok: yes,) is a list
 * aligned under that text: its lines move with the line that opened it.  Working
 * from text rather than from the tree is what keeps every comment where it
 * was; tally fmt then checks, by compiling both, that nothing but the
 * layout changed.
 */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *b;
  size_t n, cap;
} fmt_buf;

static void fmt_put(fmt_buf *o, const char *s, size_t n) {
  if (o->n + n + 1 > o->cap) {
    o->cap = (o->n + n + 1) * 2;
    o->b = realloc(o->b, o->cap);
    if (!o->b) abort();
  }
  memcpy(o->b + o->n, s, n);
  o->n += n;
  o->b[o->n] = 0;
}

static void fmt_spaces(fmt_buf *o, size_t n) {
  while (n--) fmt_put(o, " ", 1);
}

/* U+3000, the ideographic space, as pasted from documents: a blank. */
static int fmt_wide_space(const char *s, size_t n) {
  return n >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80;
}

/* Bytes of blank at s (0 when none): a space, a tab, U+3000; *cols gets
 * the columns it stands for (a tab or U+3000 counts two). */
static size_t fmt_blank(const char *s, size_t n, size_t *cols) {
  if (n && s[0] == ' ') return *cols = 1, 1;
  if (n && s[0] == '\t') return *cols = 2, 1;
  if (fmt_wide_space(s, n)) return *cols = 2, 3;
  return 0;
}

int fmt_source(const char *text, size_t len, char **out, size_t *out_len, char *err, size_t errsz) {
  fmt_buf o = {0};
  fmt_put(&o, "", 0);
  size_t cap = 16, depth = 0;
  /* per depth: the block's indentation (-1 not yet seen); for a block
   * opened with more on its line, how far that line moved */
  long *base = malloc(cap * sizeof *base), *moved = malloc(cap * sizeof *moved);
  char *inline_ = malloc(cap);
  if (!base || !moved || !inline_) abort();
  base[0] = -1, moved[0] = 0, inline_[0] = 0;
  int blank = 0, any = 0;
  long line = 0;
  for (size_t pos = 0; pos < len;) {
    size_t e = pos;
    while (e < len && text[e] != '\n' && text[e] != '\r') e++;
    size_t next = e < len && text[e] == '\r' && e + 1 < len && text[e + 1] == '\n' ? e + 2 : e + 1;
    line++;
    /* indentation, then the content without trailing blanks */
    size_t i = pos, indent = 0, w, cols;
    while ((w = fmt_blank(text + i, e - i, &cols)) > 0) i += w, indent += cols;
    size_t end = e;
    for (;;) {
      if (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
      else if (end >= i + 3 && fmt_wide_space(text + end - 3, 3)) end -= 3;
      else break;
    }
    pos = next;
    if (end == i) {
      blank = 1;
      continue;
    }
    /* the closers that begin the line, then every brace outside strings
     * and comments */
    size_t lead = 0, k = i;
    while (k < end && (text[k] == '}' || fmt_blank(text + k, end - k, &cols))) {
      if (text[k] == '}') lead++, k++;
      else k += fmt_blank(text + k, end - k, &cols);
    }
    if (lead > depth) {
      snprintf(err, errsz, "line %ld: a } that closes nothing", line);
      free(base), free(moved), free(inline_), free(o.b);
      return -1;
    }
    size_t d = depth - lead;
    int comment = text[i] == '#';
    if (base[d] < 0 && !comment) base[d] = (long)indent;
    /* a closing brace lines up with the statement it closes */
    size_t extra = !lead && base[d] >= 0 && (long)indent > base[d] ? indent - (size_t)base[d] : 0;
    size_t to = 2 * d + extra;
    if (!lead && d && inline_[d]) to = (long)indent + moved[d] > 0 ? (size_t)((long)indent + moved[d]) : 0;
    if (blank && any) fmt_put(&o, "\n", 1);
    blank = 0;
    any = 1;
    fmt_spaces(&o, to);
    fmt_put(&o, text + i, end - i);
    fmt_put(&o, "\n", 1);
    depth = d;
    for (k = i + lead; k < end; k++) {
      char c = text[k];
      if (c == '#') break;
      if (c == '"') {
        for (k++; k < end && text[k] != '"'; k++)
          if (text[k] == '\\' && k + 1 < end) k++;
        if (k >= end) {
          snprintf(err, errsz, "line %ld: a string that does not end on its line", line);
          free(base), free(moved), free(inline_), free(o.b);
          return -1;
        }
      } else if (c == '{') {
        if (++depth >= cap) {
          cap *= 2;
          base = realloc(base, cap * sizeof *base);
          moved = realloc(moved, cap * sizeof *moved);
          inline_ = realloc(inline_, cap);
          if (!base || !moved || !inline_) abort();
        }
        size_t r = k + 1;
        while (r < end && fmt_blank(text + r, end - r, &cols)) r += fmt_blank(text + r, end - r, &cols);
        base[depth] = -1;
        inline_[depth] = r < end && text[r] != '#';
        moved[depth] = (long)to - (long)indent;
      } else if (c == '}') {
        if (!depth) {
          snprintf(err, errsz, "line %ld: a } that closes nothing", line);
          free(base), free(moved), free(inline_), free(o.b);
          return -1;
        }
        depth--;
      }
    }
  }
  free(base), free(moved), free(inline_);
  if (depth) {
    snprintf(err, errsz, "%zu { without %s }: the layout cannot be worked out", depth, depth == 1 ? "its" : "their");
    free(o.b);
    return -1;
  }
  *out = o.b;
  *out_len = o.n;
  return 0;
}
