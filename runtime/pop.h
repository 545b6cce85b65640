/* pop.h — the population rules: quotas, targets, audits, the summary.
 *
 * Applied after every record is scored.  Memory grows with the records
 * only as far as the rules need: a quota keeps a score, a tie value and a
 * key per record of its level; an audit keeps the keys of its pool; targets
 * and the level counts are running sums.
 */
#ifndef TALLY_POP_H
#define TALLY_POP_H

#include <stdint.h>
#include <stdio.h>

#include "prog.h"
#include "vm.h"

typedef struct pop pop;

pop *pop_new(const prog *p); /* NULL when out of memory */
void pop_free(pop *s);

/* Whether the policy has an enforced quota: the records must then be read
 * twice, once to rank them and once to score them with the quota applied. */
int pop_needs_ranking(const prog *p);

/* First pass: note the seq-th scored record (0, 1, …) for the quotas. */
int pop_rank_add(pop *s, long seq, const vm_result *r, const int64_t *slots, const char *key);
/* Decide the enforced quotas; afterwards pop_forced gives each record's
 * level (-2: as scored). */
int pop_rank_finish(pop *s);
int32_t pop_forced(const pop *s, long seq);
/* How many records enforced quota q moved down a level. */
long pop_demoted(const pop *s, uint32_t q);

/* Second (or only) pass: count the record into levels, targets, audits. */
int pop_add(pop *s, long row, const vm_result *r, const int64_t *slots, const char *key);

/* Target t's value (a percentage rounded half up to three decimals, a
 * count or a sum) and whether its goal is met (decided exactly).  0 when
 * it has no value (a share over no records). */
int pop_target(const pop *s, uint32_t t, dec *value, int *met);

/* The summary: levels overall and by category, quotas, targets with their
 * value, goal and whether met, and the audit samples. */
void pop_summary(FILE *f, const pop *s, long errors);
/* The same as one JSON object on one line, for other tools. */
void pop_summary_json(FILE *f, const pop *s, long errors);

#endif
