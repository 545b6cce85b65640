/* fuzz_csv.c — the CSV reader on arbitrary bytes.  Every cell it returns
 * must be valid UTF-8 of the length it claims, and reading must end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/csv.h"
#include "runtime/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  csv_reader *r = csv_open_mem((const char *)data, size);
  if (!r) return 0;
  csv_row row;
  int st;
  size_t rows = 0;
  while ((st = csv_next(r, &row)) != CSV_EOF && st != CSV_IOERR) {
    for (size_t c = 0; c < row.ncells; c++) {
      size_t bad;
      if (strlen(row.cells[c].text) != row.cells[c].len) abort();
      if (!txt_utf8_valid(row.cells[c].text, row.cells[c].len, &bad)) abort();
    }
    if (st == CSV_BAD && !row.error) abort();
    if (++rows > size + 1) abort(); /* more rows than bytes: it does not advance */
  }
  csv_close(r);
  return 0;
}
