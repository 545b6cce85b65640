/* run.h — the whole scoring of a file, for the CLI and for embedders. */
#ifndef TALLY_RUN_H
#define TALLY_RUN_H

#include <stdio.h>

#include "csv.h"
#include "prog.h"
#include "write.h"

/* Read the header and every row of rd, score each row with p and write it
 * (or its error row) to w; count into n.  Messages about the whole file (no
 * header, a required input without a column, columns not used) go to msgs,
 * prefixed "tally: DATA_PATH:".  Returns 0 when every row was scored, 1
 * otherwise. */
#include "pop.h"

typedef struct {
  int64_t as_of; /* the date rules' as-of date (days); INT32_MIN: none given */
  pop *pop;      /* population rules: counted into, or NULL */
  int ranking;   /* the first of two passes: rank for the quotas, write nothing */
} run_opts;

/* With o->ranking, rows go to pop_rank_add and nothing is written (w may be
 * NULL); otherwise each scored row is forced to pop_forced's level (when a
 * ranking pass ran) and counted by pop_add.  msgs may be NULL (a second pass
 * says nothing twice). */
int run_csv(const prog *p, csv_reader *rd, const char *data_path, out_writer *w, out_counts *n, FILE *msgs,
            const run_opts *o);

#endif
