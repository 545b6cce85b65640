/* csv.h — streaming CSV reader (RFC 4180 plus what spreadsheets write).
 *
 * Accepts: quoted cells with "" escapes, commas and line breaks inside quotes,
 * CRLF, LF or lone CR record ends, a UTF-8 byte order mark at the very start.
 * A line that holds nothing at all is skipped (spreadsheets leave them at the
 * end) but still counts for line numbers.
 *
 * Every row comes back with the line on which it starts, so that errors can
 * name it.  A malformed row is returned as CSV_BAD with a message and the
 * reader goes on with the next line: rows are never dropped silently.
 *
 * Memory: a fixed 64 KiB input buffer (files) or the caller's bytes (memory),
 * and one buffer for the cells of the current row that grows to the largest
 * row seen and is then reused, so reading allocates nothing per row once
 * warmed up.  Nothing here is global.
 */
#ifndef TALLY_CSV_H
#define TALLY_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Limits; each refusal names the limit that was hit. */
#define CSV_MAX_CELL   (1u << 20) /* bytes in one cell */
#define CSV_MAX_CELLS  4096       /* cells in one row */
#define CSV_MAX_ROW    (16u << 20) /* bytes in one row, all cells together */

typedef struct csv_reader csv_reader;

typedef struct {
  const char *text; /* NUL-terminated, quotes removed, valid UTF-8 */
  size_t len;       /* bytes, without the NUL */
} csv_cell;

typedef struct {
  csv_cell *cells;  /* owned by the reader; valid until the next csv_next */
  size_t ncells;
  long line;        /* 1-based line on which the row starts */
  long end_line;    /* and the line on which it ends (quoted line breaks) */
  long blank_before;/* blank lines skipped just before it */
  /* For CSV_BAD: what is wrong, and the 1-based cell it concerns (0 when the
   * problem is the whole row's, e.g. too many cells). */
  const char *error;
  size_t error_cell;
} csv_row;

enum { CSV_EOF = 0, CSV_ROW = 1, CSV_BAD = 2, CSV_IOERR = 3 };

/* Read from a stream (not closed by the reader) or from memory (not copied;
 * must outlive the reader).  Return NULL only when out of memory. */
csv_reader *csv_open_file(FILE *f);
csv_reader *csv_open_mem(const char *data, size_t len);
void csv_close(csv_reader *r);

/* Next row: CSV_ROW, CSV_BAD (row->error says why; reading can go on),
 * CSV_EOF, or CSV_IOERR (the stream failed; stop). */
int csv_next(csv_reader *r, csv_row *row);

#endif
