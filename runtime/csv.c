/* csv.c — streaming CSV reader; the contract is in csv.h.
 *
 * Bytes are scanned in runs between "stop" bytes found with a lookup table,
 * and each run is copied with memcpy into one cell buffer that holds all the
 * cells of the current row back to back, each NUL-terminated.  While a row is
 * read its cells are kept as offsets, because the buffer may move when it
 * grows; pointers are filled in only once the row is complete.
 *
 * The input is read in fixed chunks: since cells are copied out as they are
 * scanned, a row may span any number of chunks and the input buffer never has
 * to grow.  Only the cell buffer and the cell arrays grow, to the largest row.
 *
 * Errors come in two kinds.  A content error (a NUL byte, invalid UTF-8, a
 * cell or row over the limit) leaves the structure intact, so the row is still
 * parsed to its real end, quoted line breaks included, with the rest of its
 * bytes thrown away.  A structural error (a misplaced quote) means we no
 * longer know where cells end, so the rest of the physical line is skipped.
 * Either way only the first error is reported, and the row keeps the cells
 * that were complete and valid before it.
 */
#include "csv.h"

#include "text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define CSV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CSV_PRINTF(f, a)
#endif

enum {
  CSV_CHUNK = 64 * 1024,    /* bytes per fread */
  CSV_FIRST_BUF = 4096,     /* first size of the cell buffer */
  CSV_FIRST_CELLS = 16,     /* first size of the cell arrays */
};

/* Byte classes: a byte whose class shares a bit with the current mask ends a
 * run; every other byte is copied as it is. */
enum {
  CSV_STOP_PLAIN = 1,  /* in an unquoted cell */
  CSV_STOP_QUOTED = 2, /* in a quoted cell */
  CSV_STOP_LINE = 4,   /* while skipping the rest of a broken line */
};

static const unsigned char csv_class[256] = {
  ['\0'] = CSV_STOP_PLAIN | CSV_STOP_QUOTED,
  [','] = CSV_STOP_PLAIN,
  ['"'] = CSV_STOP_PLAIN | CSV_STOP_QUOTED,
  ['\r'] = CSV_STOP_PLAIN | CSV_STOP_QUOTED | CSV_STOP_LINE,
  ['\n'] = CSV_STOP_PLAIN | CSV_STOP_QUOTED | CSV_STOP_LINE,
};

/* How a cell ended. */
typedef enum {
  CSV_END_COMMA,  /* another cell follows */
  CSV_END_LINE,   /* a line break is next in the input, not yet consumed */
  CSV_END_INPUT,  /* no more input */
  CSV_END_BROKEN, /* structural error: the rest of the line is unusable */
} csv_end;

struct csv_reader {
  /* Input: in[pos..end) is unread; more may come from file. */
  FILE *file;              /* NULL when reading from memory */
  const unsigned char *in; /* the file chunk, or the caller's memory */
  size_t pos, end;
  unsigned char *chunk;    /* owned chunk buffer (file input only) */
  bool at_eof;             /* nothing more after in[end] */
  bool started;            /* the byte order mark has been looked for */
  bool skip_lf;            /* last line ended in CR: an LF next is part of it */
  bool io_error, no_memory; /* sticky: the reader cannot go on */
  long line;               /* line of in[pos] */
  long text_line;          /* in a quoted cell: the line of its last text */

  /* The row being read. */
  char *buf;               /* its cells, back to back, NUL-terminated */
  size_t buf_len, buf_cap;
  csv_cell *cells;         /* text filled in when the row is complete */
  size_t *offs;            /* where each cell starts in buf */
  size_t cells_cap;
  size_t ncells;           /* complete, valid cells */
  size_t cellno;           /* 1-based index of the cell being read */
  size_t cell_off;         /* where that cell starts in buf */
  bool bad;                /* an error has been recorded for this row */
  size_t error_cell;
  char msg[256];
};

/* ---- input ---- */

/* Replace the consumed chunk with the next one; false when none is left. */
static bool csv_fill(csv_reader *r) {
  if (r->at_eof) return false;
  size_t n = fread(r->chunk, 1, CSV_CHUNK, r->file);
  if (n < CSV_CHUNK) {
    r->at_eof = true; /* fread only comes back short at the end or on error */
    if (ferror(r->file)) r->io_error = true;
  }
  r->in = r->chunk;
  r->pos = 0;
  r->end = n;
  return n > 0;
}

/* The next byte without consuming it, or -1 at the end of the input. */
static inline int csv_peek(csv_reader *r) {
  if (r->pos == r->end && !csv_fill(r)) return -1;
  return r->in[r->pos];
}

/* Length of the run at p (at most n bytes) that holds no byte of class mask. */
static inline size_t csv_span(const unsigned char *p, size_t n,
                              unsigned mask) {
  size_t i = 0;
  /* Unrolled because this loop is where nearly all the time goes. */
  while (i + 4 <= n) {
    if (csv_class[p[i]] & mask) return i;
    if (csv_class[p[i + 1]] & mask) return i + 1;
    if (csv_class[p[i + 2]] & mask) return i + 2;
    if (csv_class[p[i + 3]] & mask) return i + 3;
    i += 4;
  }
  while (i < n && !(csv_class[p[i]] & mask)) i++;
  return i;
}

/* ---- errors ---- */

static void csv_fail(csv_reader *r, size_t cell, const char *fmt, ...)
    CSV_PRINTF(3, 4);

/* Record an error for the row; only the first counts, since later ones are
 * often its consequences. */
static void csv_fail(csv_reader *r, size_t cell, const char *fmt, ...) {
  if (r->bad) return;
  r->bad = true;
  r->error_cell = cell;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->msg, sizeof r->msg, fmt, ap);
  va_end(ap);
}

static void csv_fail_nul(csv_reader *r) {
  csv_fail(r, r->cellno,
           "cell %zu contains a NUL byte; the file may be UTF-16 or binary "
           "(save it as UTF-8 CSV)",
           r->cellno);
}

static void csv_fail_stray_quote(csv_reader *r) {
  csv_fail(r, r->cellno,
           "cell %zu has a stray quote: a quote may only open a cell (to put "
           "a quote inside a cell, quote the whole cell and write the quote "
           "as \"\")",
           r->cellno);
}

static void csv_fail_after_quote(csv_reader *r, int c) {
  static const char rule[] =
      "a closing quote must be followed by a comma or the end of the line";
  if (c >= 0x20 && c < 0x7F)
    csv_fail(r, r->cellno, "cell %zu has '%c' after its closing quote on line %ld; %s",
             r->cellno, c, r->line, rule);
  else
    csv_fail(r, r->cellno, "cell %zu has byte 0x%02X after its closing quote on line %ld; %s",
             r->cellno, (unsigned)c, r->line, rule);
}

/* ---- the cell buffer ---- */

/* Make room for extra more bytes in buf. */
static bool csv_reserve(csv_reader *r, size_t extra) {
  if (r->buf_cap - r->buf_len >= extra) return true;
  size_t need = r->buf_len + extra, cap = r->buf_cap;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) cap = need;
    else cap *= 2;
  }
  char *p = realloc(r->buf, cap);
  if (!p) {
    r->no_memory = r->bad = true; /* bad: stop storing anything more */
    return false;
  }
  r->buf = p;
  r->buf_cap = cap;
  return true;
}

/* Append n bytes to the current cell, unless the row is already bad. */
static void csv_put(csv_reader *r, const unsigned char *s, size_t n) {
  if (r->bad || n == 0) return;
  if (r->buf_len - r->cell_off + n > CSV_MAX_CELL) {
    csv_fail(r, r->cellno, "cell %zu is longer than %u bytes, the limit",
             r->cellno, CSV_MAX_CELL);
    return;
  }
  if (r->buf_len + n > CSV_MAX_ROW) {
    csv_fail(r, 0, "row is longer than %u bytes, the limit", CSV_MAX_ROW);
    return;
  }
  if (!csv_reserve(r, n + 1)) return; /* +1: the NUL usually fits for free */
  memcpy(r->buf + r->buf_len, s, n);
  r->buf_len += n;
}

/* Grow the cell arrays so that one more cell fits. */
static bool csv_grow_cells(csv_reader *r) {
  if (r->ncells < r->cells_cap) return true;
  size_t cap = r->cells_cap * 2;
  if (cap > CSV_MAX_CELLS) cap = CSV_MAX_CELLS;
  csv_cell *c = realloc(r->cells, cap * sizeof *c);
  if (c) r->cells = c;
  size_t *o = c ? realloc(r->offs, cap * sizeof *o) : NULL;
  if (!o) {
    r->no_memory = r->bad = true;
    return false;
  }
  r->offs = o;
  r->cells_cap = cap;
  return true;
}

/* ---- cells ---- */

static void csv_begin_cell(csv_reader *r) {
  r->cellno++;
  r->cell_off = r->buf_len;
  if (r->bad) return;
  if (r->cellno > CSV_MAX_CELLS)
    csv_fail(r, 0, "row has more than %d cells, the limit", CSV_MAX_CELLS);
  else
    csv_grow_cells(r);
}

/* Check the cell just read and keep it, unless the row is already bad. */
static void csv_finish_cell(csv_reader *r) {
  if (r->bad) return;
  const unsigned char *s = (const unsigned char *)r->buf + r->cell_off;
  size_t len = r->buf_len - r->cell_off, at;
  if (!txt_utf8_valid((const char *)s, len, &at)) {
    csv_fail(r, r->cellno,
             "cell %zu is not valid UTF-8 (byte 0x%02X at offset %zu); if the "
             "file is GBK or GB18030, save it as UTF-8 or read it with --encoding gb18030",
             r->cellno, (unsigned)s[at], at);
    return;
  }
  if (!csv_reserve(r, 1)) return;
  r->buf[r->buf_len++] = '\0';
  r->offs[r->ncells] = r->cell_off;
  r->cells[r->ncells].len = len;
  r->ncells++;
}

/* An unquoted cell: runs up to a comma, a line break or the end. */
static csv_end csv_plain_cell(csv_reader *r) {
  for (;;) {
    if (r->pos == r->end && !csv_fill(r)) return CSV_END_INPUT;
    const unsigned char *p = r->in + r->pos;
    size_t n = csv_span(p, r->end - r->pos, CSV_STOP_PLAIN);
    csv_put(r, p, n);
    r->pos += n;
    if (r->pos == r->end) continue;
    switch (r->in[r->pos]) {
    case ',': r->pos++; return CSV_END_COMMA;
    case '\r':
    case '\n': return CSV_END_LINE;
    case '\0': csv_fail_nul(r); r->pos++; break;
    default: csv_fail_stray_quote(r); return CSV_END_BROKEN; /* '"' */
    }
  }
}

/* A line break inside quotes is data, but later rows still need to know
 * their line, so it is counted (CRLF once). */
static void csv_quoted_break(csv_reader *r, unsigned char c) {
  static const unsigned char lf = '\n';
  csv_put(r, &c, 1);
  r->line++;
  if (c == '\r' && csv_peek(r) == '\n') {
    csv_put(r, &lf, 1);
    r->pos++;
  }
}

/* After a quote inside a quoted cell: either "" (a literal quote; returns
 * false) or the end of the cell (returns true and says how it ended). */
static bool csv_closing_quote(csv_reader *r, csv_end *how) {
  static const unsigned char quote = '"';
  int c = csv_peek(r);
  switch (c) {
  case '"': csv_put(r, &quote, 1); r->pos++; return false;
  case ',': r->pos++; *how = CSV_END_COMMA; return true;
  case '\r':
  case '\n': *how = CSV_END_LINE; return true;
  case -1: *how = CSV_END_INPUT; return true;
  default: csv_fail_after_quote(r, c); *how = CSV_END_BROKEN; return true;
  }
}

/* A quoted cell; in[pos] is its opening quote. */
static csv_end csv_quoted_cell(csv_reader *r) {
  long opened = r->line;
  r->text_line = r->line;
  r->pos++;
  for (;;) {
    if (r->pos == r->end && !csv_fill(r)) {
      /* the record ends where its text does, not on the empty last line */
      r->line = r->text_line;
      csv_fail(r, r->cellno,
               "cell %zu opens a quote on line %ld that is never closed, so the "
               "rest of the file (to line %ld) was read as that cell",
               r->cellno, opened, r->text_line);
      return CSV_END_INPUT;
    }
    const unsigned char *p = r->in + r->pos;
    size_t n = csv_span(p, r->end - r->pos, CSV_STOP_QUOTED);
    csv_put(r, p, n);
    r->pos += n;
    if (n) r->text_line = r->line;
    if (r->pos == r->end) continue;
    unsigned char c = r->in[r->pos++];
    csv_end how;
    if (c == '"') {
      if (csv_closing_quote(r, &how)) return how;
    } else if (c == '\0') {
      csv_fail_nul(r);
    } else {
      csv_quoted_break(r, c);
    }
  }
}

/* ---- rows ---- */

/* Consume the line break at in[pos]; nothing to do at the end of input. */
static void csv_end_line(csv_reader *r) {
  if (r->pos == r->end) return;
  r->skip_lf = r->in[r->pos++] == '\r';
  r->line++;
}

/* After a structural error: drop everything up to the next line break. */
static void csv_skip_line(csv_reader *r) {
  for (;;) {
    if (r->pos == r->end && !csv_fill(r)) return;
    r->pos += csv_span(r->in + r->pos, r->end - r->pos, CSV_STOP_LINE);
    if (r->pos < r->end) return;
  }
}

/* Skip blank lines up to the first byte of a record; false at the end. */
static bool csv_find_record(csv_reader *r) {
  for (;;) {
    int c = csv_peek(r);
    if (c == '\n' && r->skip_lf) { /* the LF of a CRLF already counted */
      r->pos++;
      r->skip_lf = false;
      continue;
    }
    r->skip_lf = false;
    if (c != '\r' && c != '\n') return c != -1;
    csv_end_line(r);
  }
}

/* Returns the line on which the record ends. */
static long csv_read_record(csv_reader *r) {
  csv_end how;
  do {
    csv_begin_cell(r);
    how = csv_peek(r) == '"' ? csv_quoted_cell(r) : csv_plain_cell(r);
    if (how != CSV_END_BROKEN) csv_finish_cell(r);
  } while (how == CSV_END_COMMA);
  if (how == CSV_END_BROKEN) csv_skip_line(r);
  long end = r->line; /* its own line break is not counted yet */
  csv_end_line(r);
  return end;
}

/* The byte order mark is looked for once, before the first row. */
static void csv_skip_bom(csv_reader *r) {
  r->started = true;
  if (csv_peek(r) == 0xEF && r->end - r->pos >= 3 &&
      memcmp(r->in + r->pos, "\xEF\xBB\xBF", 3) == 0)
    r->pos += 3;
}

static void csv_reset_row(csv_reader *r) {
  r->buf_len = r->ncells = r->cellno = r->cell_off = r->error_cell = 0;
  r->bad = false;
}

/* Hand the row over: pointers are set only now that buf no longer moves. */
static int csv_give_row(csv_reader *r, csv_row *row, long blank_before, long line, long end_line, bool found) {
  *row = (csv_row){.cells = r->cells, .line = line, .end_line = end_line, .blank_before = blank_before};
  if (r->no_memory) {
    row->error = "out of memory while reading a row";
    return CSV_IOERR;
  }
  if (r->io_error) {
    row->error = "read error on the input stream";
    return CSV_IOERR;
  }
  if (!found) return CSV_EOF;
  for (size_t i = 0; i < r->ncells; i++) r->cells[i].text = r->buf + r->offs[i];
  row->ncells = r->ncells;
  if (!r->bad) return CSV_ROW;
  row->error = r->msg;
  row->error_cell = r->error_cell;
  return CSV_BAD;
}

int csv_next(csv_reader *r, csv_row *row) {
  csv_reset_row(r);
  if (!r->started) csv_skip_bom(r);
  long before = r->line;
  bool found = !r->io_error && !r->no_memory && csv_find_record(r);
  long line = r->line, end = line;
  if (found) end = csv_read_record(r);
  return csv_give_row(r, row, line - before, line, end, found);
}

/* ---- opening and closing ---- */

static csv_reader *csv_alloc(void) {
  csv_reader *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->line = 1;
  /* Allocated up front so that buf and cells are never NULL. */
  r->buf_cap = CSV_FIRST_BUF;
  r->cells_cap = CSV_FIRST_CELLS;
  r->buf = malloc(r->buf_cap);
  r->cells = malloc(r->cells_cap * sizeof *r->cells);
  r->offs = malloc(r->cells_cap * sizeof *r->offs);
  if (!r->buf || !r->cells || !r->offs) {
    csv_close(r);
    return NULL;
  }
  return r;
}

csv_reader *csv_open_file(FILE *f) {
  csv_reader *r = csv_alloc();
  if (!r) return NULL;
  r->file = f;
  r->chunk = malloc(CSV_CHUNK);
  if (!r->chunk) {
    csv_close(r);
    return NULL;
  }
  r->in = r->chunk;
  return r;
}

csv_reader *csv_open_mem(const char *data, size_t len) {
  csv_reader *r = csv_alloc();
  if (!r) return NULL;
  r->in = (const unsigned char *)data;
  r->end = len;
  r->at_eof = true; /* the whole input is already in[0..end) */
  return r;
}

void csv_close(csv_reader *r) {
  if (!r) return;
  free(r->chunk);
  free(r->buf);
  free(r->cells);
  free(r->offs);
  free(r);
}
