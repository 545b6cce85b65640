/* run.c — score every row of a CSV file: read, map, parse, evaluate, write.
 *
 * Rows in = results + error rows, always: a row that cannot be read, parsed
 * or scored is written as an error row naming the row, and counted.
 */
#include "run.h"

#include <errno.h>
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
    if (st == CSV_EOF)
      fprintf(msgs, "tally: %s: no header row: the file is empty or holds only blank lines\n", data_path);
    else if (st == CSV_BAD)
      fprintf(msgs, "tally: %s: header (line %ld): %s\n", data_path, row.line, row.error);
    else
      fprintf(msgs, "tally: %s: cannot read it: %s\n", data_path, strerror(errno));
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
      if (!rec_column_used(&map, c)) {
        char q[128], letters[8];
        rec_column_letters(c, letters);
        fprintf(msgs, " %s %s", letters, rec_quote(map.col_name[c], q, sizeof q));
      }
    fputc('\n', msgs);
  }
  if (p->key != TBC_NONE && map.col_of_input[p->key] < 0)
    fprintf(msgs, "tally: %s: no column for the key '%s' (\"%s\"): results are named by their row only\n", data_path,
            p->inputs[p->key].name, p->inputs[p->key].label);
  /* Rows are numbered as a spreadsheet shows them: the header is row 1 and
   * blank lines are rows too; a record whose cell holds line breaks is one
   * row.  Where that differs from the lines of the file, messages say the
   * lines as well. */
  long record = row.blank_before + 1;
  while ((st = csv_next(rd, &row)) != CSV_EOF) {
    if (st == CSV_IOERR) {
      fprintf(msgs, "tally: %s: read error after row %ld: %s\n", data_path, record, strerror(errno));
      rc = 1;
      break;
    }
    record += 1 + row.blank_before;
    char where[48] = "";
    if (row.end_line != row.line) snprintf(where, sizeof where, "lines %ld–%ld: ", row.line, row.end_line);
    else if (row.line != record || st == CSV_BAD) snprintf(where, sizeof where, "line %ld: ", row.line);
    if (st == CSV_ROW && rec_row_blank(&row)) { /* ,,,,, as spreadsheets leave them */
      n->blank++;
      continue;
    }
    n->rows++;
    const char *key = NULL;
    if (st == CSV_BAD) {
      key = rec_key(&map, &row);
      snprintf(err, sizeof err, "%s%s", where, row.error);
      out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    if (rec_parse(&map, &row, slots, &key, err + strlen(where), sizeof err - strlen(where))) {
      memcpy(err, where, strlen(where));
      out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    const vm_result *r = vm_eval(vm, slots);
    if (r->err) {
      if (r->err_item >= 0)
        snprintf(err, sizeof err, "%scannot be scored: %s in item %s", where, dec_strerror(r->err),
                 p->items[r->err_item].number);
      else
        snprintf(err, sizeof err, "%scannot be scored: %s in a veto or the rating", where, dec_strerror(r->err));
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

