/* prog.h — a loaded and verified program: what the VM runs and what the
 * writers use to explain a score without the source.
 *
 * A prog is immutable once prog_load returns it, so any number of VM
 * contexts (one per thread) can share it.
 */
#ifndef TALLY_PROG_H
#define TALLY_PROG_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"
#include "tbc.h"

typedef struct {
  const char *name, *label;
  uint8_t type, flags;       /* tbc_type, TBC_IN_* */
  int64_t def, min, max;     /* in the type's representation */
  uint32_t nvals;            /* enum values */
  const char **val_name, **val_label;
} prog_input;

typedef struct {
  uint8_t type; /* TBC_V_* of the value it pushes */
  uint32_t aux;
  int64_t value;
} prog_const;

typedef struct {
  const char *title, *source; /* source: its `when`, as written */
} prog_table;

typedef struct {
  const char *title;
  dec max;
  uint32_t table; /* TBC_NONE: the policy's own sections */
  uint32_t first_item, nitems;
} prog_section;

typedef struct {
  const char *number, *text;
  uint32_t section;
  dec points;
  dec base; /* points − Σ award maxima: where the item starts */
  const char *when; /* its `when` as written, or NULL */
  const char *key;  /* its `key`, or NULL: what tally diff pairs it by */
  uint32_t first_rule, nrules;
} prog_item;

typedef struct {
  uint8_t kind, flags; /* tbc_rule_kind, TBC_RF_* */
  uint32_t item;
  const char *reason, *source;
  dec points, unit, max;
} prog_rule;

typedef struct {
  const char *reason, *source;
  uint32_t cap; /* TBC_NONE: no rating; else the level it caps at */
} prog_veto;

typedef struct {
  const char *name, *label;
  uint32_t first_check, nchecks;
} prog_index;

typedef struct {
  const char *text, *source;
  uint32_t index;
} prog_check;

typedef struct {
  uint32_t level, flags; /* TBC_Q_* */
  dec share;
  uint32_t ties; /* input, or TBC_NONE: the key */
} prog_quota;

typedef struct {
  const char *text, *source;
  uint8_t kind, cmp; /* tbc_target_kind, TBC_CMP_* */
  dec goal;
  uint32_t num, den; /* accumulators; den TBC_NONE for count and sum */
} prog_target;

typedef struct {
  const char *text, *source;
  dec share;
  uint64_t seed;
} prog_audit;

typedef struct {
  const char *name;
  uint32_t flags; /* TBC_LV_* */
  dec threshold;
  const char *source; /* its own condition, as written */
} prog_level;

typedef struct {
  const char *id, *title, *issuer, *document;
  dec scale;
  int32_t effective; /* INT32_MIN: none */
  uint32_t key;      /* TBC_NONE: no key input */
  int32_t as_of;     /* INT32_MIN: none in the policy */
  uint32_t category; /* TBC_NONE: none */
  int uses_as_of;    /* the code reads the as-of date */
  int has_skips;     /* the code has a `when` (SKIPF): some rules, items or
                        checks may not run for a record */
  uint64_t source_hash;

  uint32_t ninputs, nconsts, ntables, nsections, nitems, nrules, nvetoes, nlevels;
  uint32_t nindices, nchecks, nquotas, ntargets, naudits, naccs;
  prog_input *inputs;
  prog_const *consts;
  prog_table *tables;
  prog_section *sections;
  prog_item *items;
  prog_rule *rules;
  prog_veto *vetoes;
  const char *rating_title, *else_name; /* else_name NULL: no rating */
  prog_level *levels;
  prog_index *indices;
  prog_check *checks;
  prog_quota *quotas;
  prog_target *targets;
  prog_audit *audits;

  uint32_t ncode, max_stack;
  uint32_t *code;

  char *strbuf;       /* every string above, NUL-terminated */
  const char **strs;  /* the string table, pointing into strbuf */
  uint32_t nstrs;
} prog;

typedef struct {
  char msg[200];
  uint64_t offset; /* byte offset in the file where the problem is */
} prog_error;

/* Verify the whole file, then build the program.  Returns NULL and fills
 * err when the file is refused; nothing of a refused file ever runs. */
prog *prog_load(const uint8_t *data, size_t len, prog_error *err);
void prog_free(prog *p);

/* The type name of an input type, for messages and docs. */
const char *prog_type_name(uint8_t tbc_type);

#endif
