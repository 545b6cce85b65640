/* run.c — score every row of a CSV file: read, map, parse, evaluate, write.
 *
 * Rows in = results + error rows, always: a row that cannot be read, parsed
 * or scored is written as an error row naming the row, and counted.
 */
#include "run.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "vm.h"

/* A message about the whole file; a second pass has said it already. */
static void run_say(FILE *msgs, const char *fmt, ...) {
  if (!msgs) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(msgs, fmt, ap);
  va_end(ap);
}

/* Why the VM could not score a record, in the policy's words. */
static void run_vm_error(const prog *p, const rec_map *map, const vm_result *r, const char *where, char *err,
                         size_t errsz) {
  size_t n = (size_t)snprintf(err, errsz, "%s", where);
  if (n >= errsz) return;
  if (r->err == VM_EMISSING) {
    rec_missing(map, (uint32_t)r->err_input, err + n, errsz - n);
    return;
  }
  const char *what = r->err == VM_ENODATE ? "a blank date (none) has no year to count" : dec_strerror(r->err);
  if (r->err_item >= 0)
    snprintf(err + n, errsz - n, "cannot be scored: %s in item %s", what, p->items[r->err_item].number);
  else
    snprintf(err + n, errsz - n, "cannot be scored: %s in a check, a veto, the rating or a target", what);
}

int run_csv(const prog *p, csv_reader *rd, const char *data_path, out_writer *w, out_counts *n, FILE *msgs,
            const run_opts *o) {
  vm_ctx *vm = vm_new(p);
  int64_t *slots = calloc(p->ninputs ? p->ninputs : 1, sizeof *slots);
  rec_map map;
  memset(&map, 0, sizeof map);
  int rc = 0;
  long seq = 0; /* scored records in order: what the quota's ranking refers to */
  if (!vm || !slots) {
    run_say(msgs, "tally: out of memory\n");
    rc = 1;
    goto out;
  }
  vm_set_as_of(vm, o->as_of);
  csv_row row;
  int st = csv_next(rd, &row);
  if (st != CSV_ROW) {
    if (st == CSV_EOF)
      run_say(msgs, "tally: %s: no header row: the file is empty or holds only blank lines\n", data_path);
    else if (st == CSV_BAD)
      run_say(msgs, "tally: %s: header (line %ld): %s\n", data_path, row.line, row.error);
    else
      run_say(msgs, "tally: %s: cannot read it: %s\n", data_path, strerror(errno));
    rc = 1;
    goto out;
  }
  char err[1024];
  if (rec_map_init(&map, p, &row, err, sizeof err)) {
    run_say(msgs, "tally: %s: header (line %ld): %s\n", data_path, row.line, err);
    rc = 1;
    goto out;
  }
  /* Columns that name no input are read past; say which, since a misspelt
   * header of an input with a default would otherwise go unnoticed. */
  if (map.nignored && msgs) {
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
    run_say(msgs, "tally: %s: no column for the key '%s' (\"%s\"): results are named by their row only\n", data_path,
            p->inputs[p->key].name, p->inputs[p->key].label);
  /* Rows are numbered as a spreadsheet shows them: the header is row 1 and
   * blank lines are rows too; a record whose cell holds line breaks is one
   * row.  Where that differs from the lines of the file, messages say the
   * lines as well. */
  long record = row.blank_before + 1;
  while ((st = csv_next(rd, &row)) != CSV_EOF) {
    if (st == CSV_IOERR) {
      run_say(msgs, "tally: %s: read error after row %ld: %s\n", data_path, record, strerror(errno));
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
      if (!o->ranking) out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    if (rec_parse(&map, &row, slots, &key, err + strlen(where), sizeof err - strlen(where))) {
      memcpy(err, where, strlen(where));
      if (!o->ranking) out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    if (!o->ranking && o->pop) vm_force_level(vm, pop_forced(o->pop, seq));
    const vm_result *r = vm_eval(vm, slots);
    if (r->err) {
      run_vm_error(p, &map, r, where, err, sizeof err);
      if (!o->ranking) out_error(w, record, key, err);
      n->errors++;
      continue;
    }
    n->scored++;
    if (r->nremoving) n->vetoed++;
    else if (r->level >= 0) n->rated++;
    if (o->ranking) {
      if (pop_rank_add(o->pop, seq, r, slots, key) != 0) {
        run_say(msgs, "tally: out of memory\n");
        rc = 1;
        break;
      }
    } else {
      if (o->pop && pop_add(o->pop, record, r, slots, key) != 0) {
        run_say(msgs, "tally: out of memory\n");
        rc = 1;
        break;
      }
      out_result(w, record, key, r, slots);
    }
    seq++;
  }
  if (n->errors) rc = 1;
out:
  rec_map_free(&map);
  free(slots);
  vm_free(vm);
  return rc;
}
