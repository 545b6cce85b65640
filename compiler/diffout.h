/* diffout.h — a comparison printed: for a terminal, a circular, a program.
 *
 *   text      grouped by place (policy, inputs, table › section, vetoes,
 *             rating, indices, population); each change in words, then
 *             the old and new in the language (- and +) and changed wording
 *             with the changed characters marked: [-removed-]{+added+}, or
 *             in colour on a terminal
 *   markdown  the same as headed lists, wording marked <del>removed</del><ins>added</ins>,
 *             the language in ```diff blocks; the impact as tables
 *   json      one object: both sides, the counts, every change with its
 *             place and the wording's spans, and the impact
 */
#ifndef TALLY_DIFFOUT_H
#define TALLY_DIFFOUT_H

#include <stdio.h>

#include "diff.h"
#include "impact.h"

typedef enum { DF_TEXT, DF_MARKDOWN, DF_JSON } df_format;

typedef struct {
  const char *path;  /* as given on the command line */
  const prog *p;
  const char *table; /* the table compared, or NULL for the whole policy */
} df_side;

/* im may be NULL (no --data); data names its file. */
void df_print(FILE *f, df_format fmt, int colour, const df_side *a, const df_side *b, const df_list *l,
              const im_report *im, const char *data);

#endif
