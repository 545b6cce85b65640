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
int run_csv(const prog *p, csv_reader *rd, const char *data_path, out_writer *w, out_counts *n, FILE *msgs);

#endif
