/* record.h — from spreadsheet cells to the VM's typed slots.
 *
 * The header row is matched to the program's inputs once per file (by the
 * input's name or by its label, as the document words it); each data row is
 * then parsed cell by cell, with no name lookups.  Values are read as
 * spreadsheets hold them: 是/否, Y/N, √/×, 1/0 for yes/no; 85% or 85 for a
 * percentage; 2024-06-30 or 2024/6/30 for a date.  A bad cell makes the whole
 * row an error that names the column, the value and what was expected.
 */
#ifndef TALLY_RECORD_H
#define TALLY_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "prog.h"

typedef struct {
  const prog *p;
  int32_t *col_of_input; /* [ninputs] 0-based column, or -1 when absent */
  size_t ncols;
  const char **col_name; /* [ncols] header cells (copied) */
  char *names;           /* storage for col_name */
  uint32_t nignored;     /* columns that match no input */
  char *keybuf;          /* the trimmed key of the current row */
  size_t keycap;
} rec_map;

/* Match a header row.  Returns 0, or -1 with a message in err: a required
 * input with no column, two columns for one input, an empty header.  Call
 * rec_map_free afterwards either way. */
int rec_map_init(rec_map *m, const prog *p, const csv_row *header, char *err, size_t errsz);
void rec_map_free(rec_map *m);

/* Parse one data row into slots[ninputs].  *key is the key cell, trimmed
 * (or NULL without a key column), also when the row is refused.  Returns 0,
 * or -1 with err filled: column "职工入会率" (C): "abc" is not valid;
 * expected a percentage from 0 to 100, like 85% or 85. */
/* The message for a blank cell of a required input that the record needed. */
void rec_missing(const rec_map *m, uint32_t input, char *err, size_t errsz);

int rec_parse(rec_map *m, const csv_row *row, int64_t *slots, const char **key, char *err,
              size_t errsz);

/* The key cell of a row, trimmed (in the map's buffer), or NULL. */
const char *rec_key(rec_map *m, const csv_row *row);

/* Whether column c (0-based) feeds an input. */
int rec_column_used(const rec_map *m, size_t c);

/* Whether every cell of the row is blank (a row of commas). */
int rec_row_blank(const csv_row *row);

/* A column name quoted for a message, with control characters and the
 * invisible ones (zero-width space, byte order mark) written as escapes. */
char *rec_quote(const char *s, char *buf, size_t n);

/* Spreadsheet column letters for a 0-based index: 0 → A, 27 → AB. */
void rec_column_letters(size_t col, char buf[8]);

#endif
