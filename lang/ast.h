/* ast.h — the syntax tree of a policy, as the parser builds it.
 *
 * Every node lives in the tree's arena and dies with it.  The checker
 * (compiler/) annotates expressions with their types and resolved inputs;
 * nothing here knows about bytecode.
 */
#ifndef TALLY_AST_H
#define TALLY_AST_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/dec.h"

/* A place in the source: 1-based line and column (in characters), and the
 * byte span [off, end) for carets. */
typedef struct {
  int line, col;
  size_t off, end;
  int file; /* index into the policy's files: 0 is the main file */
} ast_loc;

typedef struct ast_arena ast_arena;

/* Growable array of pointers, allocated in the arena. */
typedef struct {
  void **v;
  int n, cap;
} ast_list;

/* Types of values, as the checker infers them. */
typedef enum {
  TY_ERROR = 0, /* already reported: stay quiet */
  TY_BOOL,
  TY_INT,
  TY_NUMBER,
  TY_PERCENT,
  TY_DATE,
  TY_ENUM,
  TY_TEXT,
  TY_LITERAL /* a plain number literal: fits int, number or percent */
} ast_type;

typedef enum {
  EX_NUM,     /* 5, 0.5 */
  EX_PERCENT, /* 80% */
  EX_BOOL,    /* yes, no */
  EX_DATE,    /* 2024-06-30 */
  EX_NAME,    /* an input, or an enum value */
  EX_SCORE,   /* the total, in rating conditions */
  EX_NEG,
  EX_NOT,
  EX_BINARY,  /* op below */
  EX_CALL,    /* min, max, floor, ceil; all any count share sum ratio year */
  EX_IN,      /* a in (names), op = 1 for `not in` */
  EX_BY,      /* by a { arms } */
  EX_ASOF,    /* as of */
  EX_WITHIN,  /* a within num years */
  EX_YEARS,   /* years since a */
  EX_THISYEAR,/* a in this year */
  EX_NONE,    /* none: a date that is not there, or no rating */
  EX_RATING,  /* rating, in targets and audits */
  EX_STRING   /* "text": a level name, or an example's text value */
} ast_expr_kind;

typedef enum {
  OPX_ADD, OPX_SUB, OPX_MUL, OPX_DIV,
  OPX_EQ, OPX_NE, OPX_LT, OPX_LE, OPX_GT, OPX_GE,
  OPX_AND, OPX_OR, OPX_IMPLIES
} ast_binop;

typedef enum {
  FN_MIN, FN_MAX, FN_FLOOR, FN_CEIL,
  FN_ALL, FN_ANY, FN_COUNT, FN_SHARE, FN_SUM, FN_RATIO, FN_YEAR
} ast_fn;

/* One arm of `by x { … }`. */
typedef enum { ARM_VALUE, ARM_LT, ARM_LE, ARM_GT, ARM_GE, ARM_RANGE, ARM_ELSE } ast_arm_kind;
typedef struct {
  ast_arm_kind kind;
  ast_loc at;
  const char *name;      /* ARM_VALUE: the enum value */
  struct ast_expr *lo, *hi; /* bounds (ARM_RANGE both; ARM_LT… lo) */
  struct ast_expr *value;
  int enum_value;        /* set by the checker */
} ast_arm;

typedef struct ast_expr {
  ast_expr_kind kind;
  int op; /* ast_binop or ast_fn */
  ast_loc at;
  dec num;        /* EX_NUM, EX_PERCENT; EX_BOOL 0/1; EX_DATE days */
  const char *name;
  struct ast_expr *a, *b;
  ast_list args;  /* EX_CALL; EX_IN: the names; EX_BY: ast_arm* */
  struct ast_expr *where; /* EX_CALL in a target: `where` filter, or NULL */
  int depth;      /* 1 for a leaf; bounded by LIM_EXPR_DEPTH */
  /* set by the checker */
  ast_type type;
  int input;      /* EX_NAME: input index, or -1 */
  int enum_input; /* EX_NAME naming an enum value: the enum's input */
  int enum_value;
  int index;      /* EX_CALL over an index: its number; EX_STRING as a level: its rank */
  int optional;   /* a date input that may be none */
} ast_expr;

typedef struct {
  const char *name, *label;
  ast_loc at;
} ast_enum_value;

typedef struct {
  const char *name, *label;
  ast_loc at, label_at;
  ast_type type;
  ast_list values; /* ast_enum_value*, for enums */
  int key, required, category;
  ast_expr *def;   /* default, or NULL; EX_NONE for `default none` */
  ast_expr *min, *max;
  ast_loc range_at;
  int uses;        /* set by the checker */
} ast_input;

typedef enum { RU_DEDUCT, RU_AWARD, RU_ZERO } ast_rule_verb;
typedef enum { PER_NONE, PER_DEFAULT, PER_WHOLE, PER_STARTED } ast_per;

typedef struct {
  ast_rule_verb verb;
  ast_loc at;
  dec points;      /* not for zero */
  ast_loc points_at;
  int unless;      /* `unless` rather than `if` */
  ast_per per;     /* PER_NONE: a conditional rule */
  dec unit;        /* 1 unless `U of` was written */
  int has_unit;
  int has_max;
  dec max;
  ast_loc max_at;
  ast_expr *expr;  /* condition or quantity; NULL for per missing */
  ast_list missing;/* ast_expr* names, for `per missing(…)` */
  const char *reason;
  ast_loc reason_at;
  ast_expr *when;  /* the rule applies only when this holds, or NULL */
  size_t src_off, src_end; /* the rule's text in the source */
} ast_rule;

typedef struct {
  const char *number;
  ast_loc at, number_at;
  const char *key;   /* `key "…"`: what the item is, across versions and
                        cities (tally diff pairs items by it), or NULL */
  ast_loc key_at;
  const char *text;
  dec points;
  ast_loc points_at;
  ast_list rules; /* ast_rule* */
  ast_expr *when;
  struct ast_table *table; /* NULL: the policy's own sections */
} ast_item;

typedef struct {
  const char *title;
  ast_loc at;
  dec max;
  ast_loc max_at;
  ast_list items; /* ast_item* */
  const char *ack; /* acknowledge "…": the document's own sum is off */
  ast_loc ack_at;
  struct ast_table *table;
} ast_section;

/* table "…" when C { sections }: the sections of one category of union. */
typedef struct ast_table {
  const char *title;
  ast_loc at;
  ast_expr *when;
  int first_section, nsections; /* in the policy's sections */
  const char *ack;
  ast_loc ack_at;
} ast_table;

typedef struct {
  const char *text;
  ast_loc at;
  ast_expr *cond, *when;
  int index; /* the index it belongs to */
} ast_check;

typedef struct {
  const char *name, *label;
  ast_loc at;
  ast_expr *when;
  ast_list checks; /* ast_check* */
  int uses;
} ast_index;

typedef struct {
  const char *reason;
  ast_loc at;
  int unless;
  ast_expr *cond;
  const char *cap;  /* at most "LEVEL", or NULL: no rating at all */
  ast_loc cap_at;
  int cap_level;    /* set by the checker */
  size_t src_off, src_end;
} ast_veto;

typedef struct {
  const char *name;
  ast_loc at;
  ast_expr *cond;
} ast_level;

typedef struct {
  const char *title;
  ast_loc at;
  ast_list levels; /* ast_level*, highest first */
  int cumulative;  /* a level needs every lower level's condition too */
  int has_else;
  const char *else_name; /* NULL with has_else: `else none` */
  ast_loc else_at;
} ast_rating;

/* quota "LEVEL" at most P% enforce|report [ties by NAME] */
typedef struct {
  const char *level;
  ast_loc at, level_at;
  dec share;
  ast_loc share_at;
  int enforce;
  ast_expr *ties; /* EX_NAME, or NULL: the key */
  int level_index;
} ast_quota;

/* target "text" AGGREGATE op GOAL */
typedef struct {
  const char *text;
  ast_loc at;
  ast_expr *cond;
  size_t src_off, src_end;
} ast_target;

typedef struct {
  const char *text;
  ast_loc at;
  dec share;
  ast_loc share_at;
  ast_expr *where;
  int64_t seed;
  size_t src_off, src_end;
} ast_audit;

/* example "name" { input { … } expect { … } } */
typedef struct {
  const char *name; /* input name, or for expect: score rating vetoed item … */
  ast_loc at;
  const char *arg;  /* expect item N: N; share(idx): idx */
  int fn;           /* expect share/all/count: FN_*, else -1 */
  ast_expr *value;
} ast_field;

typedef struct {
  const char *name;
  ast_loc at;
  ast_list inputs;  /* ast_field* */
  ast_list expects; /* ast_field* */
} ast_example;

/* remove item N / replace item N …, in a policy that extends another */
typedef struct {
  int replace;
  const char *number;
  ast_loc at;
  ast_item *item; /* replace: the new item */
  const char *what; /* "item", "veto" */
  const char *table; /* written inside a table: the title of the base's table it edits */
} ast_edit;

/* A file that went into the policy (the main file, includes, the base). */
typedef struct {
  const char *name;
  const char *text;
  size_t len;
} ast_file;

typedef struct {
  const char *id, *title, *issuer, *document;
  ast_loc at, scale_at;
  dec scale;
  int has_scale;
  int64_t effective; /* days; INT64_MIN when not given */
  int64_t as_of;     /* days; INT64_MIN when not given */
  ast_list inputs;   /* ast_input* */
  ast_list sections; /* ast_section*, the tables' ones included, in order */
  ast_list tables;   /* ast_table* */
  ast_list indices;  /* ast_index* */
  ast_list vetoes;   /* ast_veto* */
  ast_rating *rating;
  ast_list quotas;   /* ast_quota* */
  ast_list targets;  /* ast_target* */
  ast_list audits;   /* ast_audit* */
  ast_list examples; /* ast_example* */
  ast_list edits;    /* ast_edit*: what an extending policy changes */
  const char *extends; /* the base policy's path as written, or NULL */
  ast_loc extends_at;
  const char *ack;   /* acknowledge at the top: the sections' total */
  ast_loc ack_at;
  ast_list files;    /* ast_file*: [0] is the main file */
  ast_arena *arena;
  const char *source; /* the text it was parsed from (not owned) */
  size_t source_len;
} ast_policy;

ast_arena *ast_arena_new(void);
void ast_arena_free(ast_arena *a);
void *ast_alloc(ast_arena *a, size_t n); /* zeroed; aborts when out of memory */
char *ast_strndup(ast_arena *a, const char *s, size_t n);
void ast_push(ast_arena *a, ast_list *l, void *p);

ast_expr *ast_expr_new(ast_arena *a, ast_expr_kind k, ast_loc at);

const char *ast_type_name(ast_type t);
const char *ast_binop_text(ast_binop op);

/* Print the tree in a stable indented form (for tests and `tally parse`). */
#include <stdio.h>
void ast_print(FILE *f, const ast_policy *p);
void ast_print_expr(FILE *f, const ast_expr *e);
/* Apply an extending policy's remove/replace and merge its sections into
 * its base's of the same title; errors go to d (diag.h).  0 or -1. */
struct diag;
int ast_apply_edits(ast_policy *p, struct diag *d);
/* A rule as written, without its reason: "deduct 2 unless officers_qualified". */
void ast_print_rule(FILE *f, const ast_rule *r);

#endif
