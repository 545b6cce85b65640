/* tbc.h — the Tally bytecode format (.tbc) and its opcodes, in one place.
 *
 * Everything is little-endian and fixed-width, so the file is the same on
 * every machine.  docs/bytecode.md is the prose form of this header; keep the
 * two together.
 *
 *   header   32 bytes: magic "TLYB", u16 version, u16 flags (0), u32 file
 *            length, u32 checksum (CRC-32 of the whole file with these four
 *            bytes read as zero), u64 source hash (FNV-1a of the .tally
 *            source), u32 section count, u32 reserved (0)
 *   sections in the order of enum tbc_section, each: u32 tag, u32 length,
 *            then `length` bytes of payload
 *
 * Instructions are u32: the opcode in the low 8 bits, an unsigned argument
 * in the high 24.  Code is loop-free: every jump goes forward.
 */
#ifndef TALLY_TBC_H
#define TALLY_TBC_H

#include <stdint.h>

#define TBC_MAGIC       "TLYB"
#define TBC_VERSION     3
#define TBC_HEADER_SIZE 32
#define TBC_NONE        0xFFFFFFFFu /* "no string", "no input" */
#define TBC_DATE_NONE   ((int64_t)INT32_MIN) /* a date that is not there */

/* Limits the verifier enforces (the compiler refuses earlier). */
#define TBC_MAX_STACK   256
#define TBC_MAX_PENDING 256      /* conditional jumps not yet landed */
#define TBC_MAX_ARG     0xFFFFFFu
#define TBC_MAX_COUNT   1000000u /* strings, inputs, items, rules, … */

/* Section tags: four ASCII letters read as a little-endian u32. */
#define TBC_TAG(a, b, c, d) \
  ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

enum tbc_section {
  TBC_STRS, /* u32 n; n × (u32 len, bytes): UTF-8, no NUL */
  TBC_META, /* u32 id, title, issuer, document (strings); i64 scale;
               i32 effective date (days since 1970-01-01, INT32_MIN none);
               u32 key input (TBC_NONE: records are named by row);
               i32 as-of date (INT32_MIN: none, the run must give one if
               the code needs it); u32 category input (TBC_NONE) */
  TBC_INPT, /* u32 n; n × input (below) */
  TBC_CNST, /* u32 n; n × (u8 type, 3 × u8 0, u32 aux, i64 value) */
  TBC_TABL, /* u32 n; n × (u32 title, u32 source of its `when`) */
  TBC_SECT, /* u32 n; n × (u32 title, i64 max, u32 table or TBC_NONE) */
  TBC_ITEM, /* u32 n; n × (u32 number, u32 text, u32 section, i64 points,
               u32 source of its `when` or TBC_NONE, u32 key or TBC_NONE) */
  TBC_RULE, /* u32 n; n × rule (below) */
  TBC_VETO, /* u32 n; n × (u32 reason, u32 source, u32 cap: TBC_NONE
               removes the rating, else the level it is capped at) */
  TBC_LEVL, /* u32 title (TBC_NONE: no rating); u32 else name (TBC_NONE:
               no else level: a record below every level has none);
               u32 n; n × (u32 name, u32 flags, i64 threshold, u32 source
               of its own condition) */
  TBC_INDX, /* u32 n; n × (u32 name, u32 label, u32 first check, u32 count);
               u32 m; m × check (u32 text, u32 index, u32 source) */
  TBC_POPL, /* population rules: u32 accumulators (per-record values the
               targets add up); u32 n; n × quota (u32 level, u32 flags,
               i64 share, u32 ties input or TBC_NONE for the key);
               u32 n; n × target (u32 text, u32 source, u8 kind, u8 cmp,
               u16 0, i64 goal, u32 numerator acc, u32 denominator acc or
               TBC_NONE); u32 n; n × audit (u32 text, u32 source, i64
               share, u64 seed) */
  TBC_CODE, /* u32 n; n × u32 instruction */
  TBC_NSECTIONS
};

/* input: u32 name, u32 label, u8 type, u8 flags, u16 number of enum values,
 *        i64 default, i64 min, i64 max, then per enum value (u32 name,
 *        u32 label).  min/max/default are in the type's representation. */
enum tbc_type {
  TBC_T_BOOL = 1,
  TBC_T_INT,     /* decimal with no fraction */
  TBC_T_NUMBER,  /* decimal */
  TBC_T_PERCENT, /* decimal, in percentage points: 85% is 85 */
  TBC_T_DATE,    /* days since 1970-01-01 */
  TBC_T_ENUM,    /* index of the value */
  TBC_T_TEXT     /* the record's key only; never loaded by code */
};
enum {
  TBC_IN_DEFAULT = 1, /* blank cell takes the default */
  TBC_IN_MIN = 2,
  TBC_IN_MAX = 4,
  TBC_IN_KEY = 8
};

/* rule: u8 kind, u8 flags, u16 0, u32 item, u32 reason, u32 source,
 *       i64 points, i64 unit, i64 max */
enum tbc_rule_kind {
  TBC_R_DEDUCT = 1, /* points off when the condition holds */
  TBC_R_DEDUCT_PER, /* points off per unit of a quantity */
  TBC_R_AWARD,      /* points on when the condition holds */
  TBC_R_AWARD_PER,  /* points on per unit of a quantity, up to max */
  TBC_R_ZERO        /* the item scores nothing when the condition holds */
};
enum {
  TBC_RF_UNLESS = 1,  /* written with `unless` (the code negates) */
  TBC_RF_STARTED = 2, /* per started: every begun unit counts (ceil) */
  TBC_RF_MAX = 4,     /* max applies */
  TBC_RF_MISSING = 8, /* per missing(…): the quantity counts false bools */
  TBC_RF_WHOLE = 16   /* per whole, written so (floor is also the default) */
};

/* level flags */
enum {
  TBC_LV_THRESHOLD = 1, /* the whole condition is `score >= threshold` */
  TBC_LV_CUMULATIVE = 2 /* the rating is cumulative: the level also needs
                           every lower level's condition (its code has them) */
};

/* quota flags; target kinds and comparisons */
enum { TBC_Q_ENFORCE = 1 };
enum tbc_target_kind {
  TBC_TG_SHARE = 1, /* numerator / denominator counts, as a percentage */
  TBC_TG_COUNT,     /* numerator */
  TBC_TG_SUM,       /* numerator */
  TBC_TG_RATIO      /* numerator / denominator sums, as a percentage */
};
enum { TBC_CMP_EQ, TBC_CMP_NE, TBC_CMP_LT, TBC_CMP_LE, TBC_CMP_GT, TBC_CMP_GE };

/* Stack value types the verifier tracks. */
enum { TBC_V_BOOL = 1, TBC_V_DEC, TBC_V_DATE, TBC_V_ENUM0 = 16 };
/* An enum value of input i has type TBC_V_ENUM0 + i. */

/* The opcodes: name, argument (what it indexes), pops, pushes.  Types are
 * checked by the verifier per opcode (load.c); ANDJ, ORJ and NFALSE move
 * the stack as their comments say, and the verifier handles them so. */
#define TBC_OPCODES(X)                                                        \
  X(HALT,     NONE,  0, 0) /* end; stack empty, every item closed          */ \
  X(CONST,    CONST, 0, 1) /* push constant[arg]                           */ \
  X(LOAD,     INPUT, 0, 1) /* push the record's value of input[arg]        */ \
  X(LOADNOT,  INPUT, 0, 1) /* push not input[arg] (a bool): `unless x`     */ \
  X(SCORE,    NONE,  0, 1) /* push the total (only after the last item)    */ \
  X(ADD,      NONE,  2, 1) /* dec + dec                                    */ \
  X(SUB,      NONE,  2, 1) /* dec - dec                                    */ \
  X(DAYS,     NONE,  2, 1) /* date - date: the days between, as a dec      */ \
  X(MUL,      NONE,  2, 1) /* dec × dec                                    */ \
  X(DIV,      NONE,  2, 1) /* dec ÷ dec; division by zero: record error    */ \
  X(NEG,      NONE,  1, 1) /* -dec                                         */ \
  X(MIN,      NONE,  2, 1) /* smaller of two decs                          */ \
  X(MAX,      NONE,  2, 1) /* larger of two decs                           */ \
  X(FLOOR,    NONE,  1, 1) /* dec to whole, down                           */ \
  X(CEIL,     NONE,  1, 1) /* dec to whole, up                             */ \
  X(EQ,       NONE,  2, 1) /* same-type equality                           */ \
  X(NE,       NONE,  2, 1)                                                    \
  X(LT,       NONE,  2, 1) /* dec or date                                  */ \
  X(LE,       NONE,  2, 1)                                                    \
  X(GT,       NONE,  2, 1)                                                    \
  X(GE,       NONE,  2, 1)                                                    \
  X(NOT,      NONE,  1, 1) /* bool                                         */ \
  X(ANDJ,     JUMP,  1, 1) /* false: jump, keeping it; true: pop, go on     */ \
  X(ORJ,      JUMP,  1, 1) /* true: jump, keeping it; false: pop, go on     */ \
  X(NFALSE,   COUNT, 0, 1) /* pop arg bools, push how many were false       */ \
  X(ITEM,     ITEM,  0, 0) /* open item[arg]: start from its base          */ \
  X(DEDUCT,   RULE,  1, 0) /* pop bool: deduct rule's points               */ \
  X(DEDUCTPER,RULE,  1, 0) /* pop dec: deduct points per unit              */ \
  X(AWARD,    RULE,  1, 0) /* pop bool: award rule's points                */ \
  X(AWARDPER, RULE,  1, 0) /* pop dec: award points per unit, up to max    */ \
  X(ZERO,     RULE,  1, 0) /* pop bool: the item scores nothing            */ \
  X(ENDITEM,  NONE,  0, 0) /* clamp the open item into [0, points], add     */ \
  X(VETO,     VETO,  1, 0) /* pop bool: veto[arg] fires                    */ \
  X(LEVEL,    LEVEL, 1, 0) /* pop bool: first true level wins              */ \
  X(SKIPF,    JUMP,  1, 0) /* pop bool: false skips what does not apply     */ \
  X(PICK,     NONE,  3, 1) /* [else, then, cond] → cond ? then : else       */ \
  X(ASOF,     NONE,  0, 1) /* push the as-of date                           */ \
  X(WITHIN,   COUNT, 1, 1) /* date within the last arg years up to as-of    */ \
  X(THISYEAR, NONE,  1, 1) /* date in the as-of date's year                 */ \
  X(YEARSTO,  NONE,  1, 1) /* whole years from the date to as-of            */ \
  X(YEAR,     NONE,  1, 1) /* the date's year                               */ \
  X(CHECK,    CHECK, 1, 0) /* pop bool: check[arg] passes or fails          */ \
  X(IALL,     INDEX, 0, 1) /* every check of index[arg] that applies passed */ \
  X(IANY,     INDEX, 0, 1) /* some check of index[arg] passed               */ \
  X(ICOUNT,   INDEX, 0, 1) /* how many passed                               */ \
  X(ISHARE,   INDEX, 0, 1) /* passed / applied, as a percentage             */ \
  X(RATE,     NONE,  0, 0) /* settle the rating: vetoes, caps, quota        */ \
  X(RATING,   NONE,  0, 1) /* push the settled level's rank (none is 0)     */ \
  X(TCOUNT,   ACC,   1, 0) /* pop bool: accumulator[arg] gets 1 or 0        */ \
  X(TSUM,     ACC,   1, 0) /* pop dec: accumulator[arg] gets it             */ \
  X(SAMPLE,   AUDIT, 1, 0) /* pop bool: the record may be drawn by audit[arg] */

enum tbc_opcode {
#define TBC_OP_ENUM(name, arg, pops, pushes) OP_##name,
  TBC_OPCODES(TBC_OP_ENUM)
#undef TBC_OP_ENUM
  OP_COUNT_
};

enum tbc_arg {
  TBC_A_NONE, TBC_A_CONST, TBC_A_INPUT, TBC_A_JUMP, TBC_A_COUNT,
  TBC_A_ITEM, TBC_A_RULE, TBC_A_VETO, TBC_A_LEVEL,
  TBC_A_CHECK, TBC_A_INDEX, TBC_A_ACC, TBC_A_AUDIT
};

#define TBC_OP(ins)   ((ins) & 0xFFu)
#define TBC_ARG(ins)  ((ins) >> 8)
#define TBC_INS(op, arg) ((uint32_t)(op) | (uint32_t)(arg) << 8)

/* Static facts about each opcode (defined in tbc.c). */
typedef struct {
  const char *name;
  uint8_t arg, pops, pushes;
} tbc_opinfo;
extern const tbc_opinfo tbc_ops[OP_COUNT_];

/* Checksums used in the header (tbc.c). */
/* CRC-32 as zlib computes it; pass 0 to start, the result to go on. */
uint32_t tbc_crc32(uint32_t crc, const uint8_t *p, uint64_t n);
uint64_t tbc_fnv1a(const uint8_t *p, uint64_t n);

#endif
