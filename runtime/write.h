/* write.h — results out: CSV, JSON Lines, an aligned table, the ledger.
 *
 * Every writer prints decimals exactly (87.5, never 87.499999) and in the
 * same order every time, so the same inputs give byte-identical output.
 */
#ifndef TALLY_WRITE_H
#define TALLY_WRITE_H

#include <stdio.h>

#include "prog.h"
#include "vm.h"

typedef enum { OUT_CSV, OUT_JSONL, OUT_TABLE } out_format;

typedef struct out_writer out_writer;

/* explain: CSV and table become the text ledger; JSON Lines gain it as data. */
out_writer *out_new(FILE *f, const prog *p, out_format fmt, int explain);
/* slots: the record's values (for its category), or NULL. */
void out_result(out_writer *w, long row, const char *key, const vm_result *r, const int64_t *slots);
void out_error(out_writer *w, long row, const char *key, const char *msg);
void out_finish(out_writer *w); /* the table is printed here */
void out_free(out_writer *w);

typedef struct {
  long rows, scored, rated, vetoed, errors;
  long blank; /* rows of empty cells only, skipped (not counted in rows) */
} out_counts;

/* "26 rows: 25 scored (21 rated, 3 vetoed, 1 below every level), 1 error" */
void out_summary(FILE *f, const out_counts *c);

/* A JSON string, quoted and escaped. */
void out_json_str(FILE *f, const char *s);

/* The level name of a result, or NULL for none. */
const char *out_level_name(const prog *p, int32_t level);

#endif
