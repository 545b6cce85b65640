/* diff.h — what changed between two policies, in the policy's own terms.
 *
 * Both sides are loaded programs (a .tally compiled, or a verified .tbc),
 * so spacing, comments and the order things are written in cannot show:
 * items are matched by their number and their text, rules by what they say,
 * levels, inputs, indices and quotas by name, vetoes, checks, targets and
 * audits by their wording.  The result is a flat list of changes, each with
 * its place (table, section, item) and the change in words; diffout.c
 * prints it for a terminal, a circular (Markdown) or other tools (JSON).
 */
#ifndef TALLY_DIFF_H
#define TALLY_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/prog.h"

/* What a change is about. */
enum df_what {
  DF_POLICY, DF_INPUT, DF_TABLE, DF_SECTION, DF_ITEM, DF_RULE, DF_VETO, DF_RATING, DF_LEVEL,
  DF_INDEX, DF_CHECK, DF_QUOTA, DF_TARGET, DF_AUDIT
};
enum df_op { DF_ADDED, DF_REMOVED, DF_CHANGED };

typedef struct {
  uint8_t what, op;    /* df_what, df_op */
  uint8_t implied;     /* follows from the changes listed with it (a section's
                          maximum that its items' points explain): shown, not
                          counted */
  char *table, *section; /* where it is (the new side's names; the old
                          side's for what was removed); NULL when outside */
  char *item;          /* the item's number (the new one), or NULL */
  char *name;          /* the thing itself: an input's name, a level's,
                          a rule's reason, a check's text, … */
  char *field;         /* what of it changed ("points", "text", …), or NULL */
  char *words;         /* the change in one line of words */
  char *old, *new_;    /* before and after in the language, or NULL */
  char *text_old, *text_new; /* document wording that changed: shown with
                          the changed characters marked, or NULL */
} df_change;

typedef struct {
  df_change *v;
  size_t n, cap;
} df_list;

/* Which part of each program to compare: the whole policy (both tables
 * NULL), or one table of it against one table of the other (two categories
 * of one standard, or two cities'), found by title, by its category value
 * (`soe` in `when kind == soe`) or by its number (1 for the first).  When
 * only one side names a table, the other side's own sections (outside any
 * table) are compared with it: a city whose standard has one table for
 * every union against one table of another city's. */
typedef struct {
  const char *table;
} df_scope;

/* Compare a (old) with b (new) into out (which starts empty).  Returns 0,
 * or -1 with a message in err when a scope's table does not exist. */
int df_compare(const prog *a, const prog *b, const df_scope *sa, const df_scope *sb, df_list *out, char *err,
               size_t errsz);
void df_list_free(df_list *l);

/* Changes that count (implied ones do not). */
size_t df_count(const df_list *l);

/* A character-level comparison of two texts: runs of characters that are
 * the same, only in a (removed) or only in b (added), in order.  Chinese
 * text has no spaces, so the unit is the character, not the word. */
typedef struct {
  char op;         /* '=', '-', '+' */
  const char *s;   /* into a or b */
  size_t len;      /* bytes */
} df_span;
/* Fills *out (free()) and returns the number of spans. */
size_t df_spans(const char *a, const char *b, df_span **out);

/* How alike two texts are, from 0 to 1000 (characters in common, twice,
 * over the characters of both). */
int df_similarity(const char *a, const char *b);

/* Which item of a each item of b is (the pairing the comparison uses),
 * as an array of b->nitems indices into a's items, -1 for a new item
 * (free()). */
long *df_item_map(const prog *a, const prog *b);

/* Which check of a each check of b is (within the index of the same
 * name), and which veto: as the comparison pairs them; -1 for a new one. */
long *df_check_map(const prog *a, const prog *b);
long *df_veto_map(const prog *a, const prog *b);

/* Which target of a each target of b is, paired as the comparison pairs
 * them (b->ntargets entries, -1 for a new target; free()). */
long *df_target_map(const prog *a, const prog *b);

/* The index of the table of p that `name` means (title, category value or
 * 1-based number), or -1. */
long df_find_table(const prog *p, const char *name);

#endif
