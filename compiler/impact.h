/* impact.h — what a change of standard does to real unions.
 *
 * Both programs score the same records, side by side, one row at a time
 * (twice when a quota is enforced: once to rank, once to score).  Kept per
 * record: its score under each (for the distribution); kept in full only
 * for the unions whose level moves, with the items, vetoes and checks that
 * moved it.
 */
#ifndef TALLY_IMPACT_H
#define TALLY_IMPACT_H

#include <stdint.h>
#include <stdio.h>

#include "runtime/dec.h"
#include "runtime/prog.h"

/* Where a record ends up on one side: a level (0 the top), then these. */
enum { IM_ELSE = -1, IM_NONE = -2, IM_VETOED = -3, IM_ERROR = -4 };

typedef struct {
  long row;
  char *key;           /* or NULL */
  dec old_score, new_score;
  int old_ok, new_ok;  /* scored (not an error row) */
  int32_t old_level, new_level; /* a level index or IM_* */
  char *why;           /* "item 21 +2; item 3 −1": what moved it */
} im_mover;

typedef struct {
  const char *text;    /* the new target's text (the old one's if removed) */
  int in_old, in_new;  /* the target exists on that side */
  int has_old, has_new;/* it has a value (a share over no records has none) */
  dec old_value, new_value;
  int old_met, new_met;
  int percent;         /* a share or a ratio: values are percentages */
  dec new_goal;
  uint8_t new_cmp;
} im_target;

typedef struct {
  long rows;           /* records read (blank rows of commas not counted) */
  long old_errors, new_errors, both;
  /* the level matrix: rows are the old side's places, columns the new's;
   * places are the levels top first, then else, none, vetoed, error */
  uint32_t nold, nnew;
  const char **old_names, **new_names; /* point into the programs or are static */
  int32_t *old_place, *new_place;      /* the level index or IM_* of each place */
  long *matrix;                        /* [nold × nnew] */
  im_mover *movers;
  size_t nmovers;
  im_target *targets;
  size_t ntargets;
  /* scores of the records scored by both, sorted, for the distribution */
  dec *old_scores, *new_scores;
  long nscores;
  dec scale;
  int has_items;       /* either standard scores items: scores mean something */
} im_report;

/* Score the records of f (UTF-8 CSV; read twice, so a file, when either
 * side enforces a quota) with both programs, their date rules counting from
 * as_of, or (INT32_MIN) from each policy's own `as of`.  0, or -1 with a message in
 * err (no header, a column one side needs is missing, a read error).  The
 * caller closes f. */
int im_run(const prog *a, const prog *b, FILE *f, int64_t as_of, im_report *r, char *err, size_t errsz);
void im_free(im_report *r);

#endif
