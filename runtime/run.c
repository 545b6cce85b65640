/* run.c — score every row of a CSV file: read, map, parse, evaluate, write.
 *
 * Rows in = results + error rows, always: a row that cannot be read, parsed
 * or scored is written as an error row naming the row, and counted.
 */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "vm.h"

int run_csv(const prog *p, csv_reader *rd, const char *data_path, out_writer *w, out_counts *n, FILE *msgs) {
  vm_ctx *vm = vm_new(p);
  int64_t *slots = calloc(p->ninputs ? p->ninputs : 1, sizeof *slots);
  rec_map map;
  memset(&map, 0, sizeof map);
  int rc = 0;
  if (!vm || !slots) {
    fputs("tally: out of memory\n", msgs);
    rc = 1;
    goto out;
  }
  csv_row row;
  int st = csv_next(rd, &row);
  if (st != CSV_ROW) {
    fprintf(msgs, "tally: %s: %s\n", data_path,
            st == CSV_EOF ? "empty file: expected a header row naming the inputs"
            : st == CSV_BAD ? row.error : "read error");
    rc = 1;
    goto out;
  }
  char err[1024];
  if (rec_map_init(&map, p, &row, err, sizeof err)) {
    fprintf(msgs, "tally: %s: header (line %ld): %s\n", data_path, row.line, err);
    rc = 1;
    goto out;
  }
  /* Columns that name no input are read past; say which, since a misspelt
   * header of an input with a default would otherwise go unnoticed. */
  if (map.nignored) {
    fprintf(msgs, "tally: %s: %u column%s not used by the policy:", data_path, map.nignored,
            map.nignored == 1 ? "" : "s");
    for (size_t c = 0; c < map.ncols; c++)
      if (!rec_column_used(&map, c)) fprintf(msgs, " \"%s\"", map.col_name[c]);
    fputc('\n', msgs);
  }
  long record = 1; /* records counted from the header as row 1; blank lines are skipped */
  while ((st = csv_next(rd, &row)) != CSV_EOF) {
    if (st == CSV_IOERR) {
      fprintf(msgs, "tally: %s: read error after row %ld\n", data_path, record);
      rc = 1;
      break;
    }
    record++;
    n->rows++;
    const char *key = NULL;
    if (st == CSV_BAD) {
      key = rec_key(&map, &row);
      snprintf(err, sizeof err, "line %ld: %s", row.line, row.error);
      out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    if (rec_parse(&map, &row, slots, &key, err, sizeof err)) {
      out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    const vm_result *r = vm_eval(vm, slots);
    if (r->err) {
      if (r->err_item >= 0)
        snprintf(err, sizeof err, "cannot be scored: %s in item %s", dec_strerror(r->err), p->items[r->err_item].number);
      else
        snprintf(err, sizeof err, "cannot be scored: %s in a veto or the rating", dec_strerror(r->err));
      out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    n->scored++;
    if (r->nvetoed) n->vetoed++;
    else if (r->level >= 0) n->rated++;
    out_result(w, record, key, r);
  }
  if (n->errors) rc = 1;
out:
  rec_map_free(&map);
  free(slots);
  vm_free(vm);
  return rc;
}

