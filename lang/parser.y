/* parser.y — the grammar of a policy; builds the syntax tree.
 *
 * Pure (reentrant) parser with locations.  Syntax errors are worded by
 * yyreport_syntax_error below: what was expected, what was found, where.
 */
%define api.pure full
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {parse_state *ps}

%code requires {
#include "lang/ast.h"
typedef void *yyscan_t;
typedef struct parse_state parse_state;
#define YYLTYPE ast_loc
#define YYLTYPE_IS_DECLARED 1
#define YYLLOC_DEFAULT(Cur, Rhs, N)                          \
  do {                                                       \
    if (N) {                                                 \
      (Cur) = YYRHSLOC(Rhs, 1);                              \
      (Cur).end = YYRHSLOC(Rhs, N).end;                      \
    } else {                                                 \
      (Cur) = YYRHSLOC(Rhs, 0);                              \
      (Cur).off = (Cur).end;                                 \
    }                                                        \
  } while (0)
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
void yyerror(const YYLTYPE *lloc, yyscan_t scanner, parse_state *ps, const char *msg);
}

%code {
#include <string.h>
#include "lang/limits.h"
#include "lang/parse.h"

#define YYMAXDEPTH LIM_PARSER_DEPTH

#define A (ps->arena)

static ast_expr *mk(parse_state *ps, ast_expr_kind k, ast_loc at) {
  ast_expr *e = ast_expr_new(A, k, at);
  e->depth = 1;
  return e;
}

/* Every later stage walks expressions recursively, so their depth is
 * bounded here, where it is known: `a and a and …` is as deep as it is long. */
static ast_expr *deepen(parse_state *ps, ast_expr *e, int child_depth) {
  if (child_depth + 1 > e->depth) e->depth = child_depth + 1;
  if (e->depth > LIM_EXPR_DEPTH && !ps->too_deep) {
    ps->too_deep = 1;
    diag_report(ps->d, DIAG_ERROR, e->at, "split it into several rules or simpler conditions",
                "an expression more than %d operations deep; that is the limit", LIM_EXPR_DEPTH);
  }
  return e;
}

static ast_expr *bin(parse_state *ps, int op, ast_expr *a, ast_expr *b, ast_loc at) {
  ast_expr *e = mk(ps, EX_BINARY, at);
  e->op = op;
  e->a = a;
  e->b = b;
  return deepen(ps, e, a->depth > b->depth ? a->depth : b->depth);
}
static ast_expr *call(parse_state *ps, int fn, ast_list args, ast_loc at) {
  ast_expr *e = mk(ps, EX_CALL, at);
  e->op = fn;
  e->args = args;
  for (int i = 0; i < args.n; i++) deepen(ps, e, ((ast_expr *)args.v[i])->depth);
  return e;
}

static ast_arm *arm(parse_state *ps, ast_arm_kind k, ast_loc at, ast_expr *lo, ast_expr *hi, ast_expr *v) {
  ast_arm *a = ast_alloc(A, sizeof *a);
  a->kind = k; a->at = at; a->lo = lo; a->hi = hi; a->value = v;
  return a;
}
static ast_expr *strx(parse_state *ps, const char *s, ast_loc at) {
  ast_expr *e = mk(ps, EX_STRING, at);
  e->name = s;
  return e;
}
static void by_depth(parse_state *ps, ast_expr *e) {
  deepen(ps, e, e->a->depth);
  for (int i = 0; i < e->args.n; i++) deepen(ps, e, ((ast_arm *)e->args.v[i])->value->depth + 1);
}
/* Functions are names, not keywords, so that inputs may be called count or
 * sum; the parser knows them by name. */
static ast_expr *fcall(parse_state *ps, const char *name, ast_loc nat, ast_list args, ast_expr *where, ast_loc at) {
  static const struct { const char *name; int fn; } fns[] = {
      {"all", FN_ALL}, {"any", FN_ANY}, {"count", FN_COUNT}, {"share", FN_SHARE},
      {"sum", FN_SUM}, {"ratio", FN_RATIO}, {"year", FN_YEAR}};
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    if (!strcmp(fns[i].name, name)) {
      ast_expr *e = call(ps, fns[i].fn, args, at);
      e->where = where;
      if (where) deepen(ps, e, where->depth);
      return e;
    }
  diag_report(ps->d, DIAG_ERROR, nat, "the functions are min max floor ceil all any count share sum ratio year",
              "unknown function '%s'", name);
  return NULL;
}
static void quota(parse_state *ps, const char *level, ast_loc at, ast_loc level_at, dec share, ast_loc share_at, int enforce) {
  ast_quota *q = ast_alloc(A, sizeof *q);
  q->level = level; q->at = at; q->level_at = level_at; q->share = share; q->share_at = share_at; q->enforce = enforce;
  q->ties = ps->ties;
  ast_push(A, &ps->policy->quotas, q);
}
static void audit(parse_state *ps, const char *text, ast_loc at, dec share, ast_loc share_at, ast_expr *where) {
  ast_audit *a = ast_alloc(A, sizeof *a);
  a->text = text; a->at = at; a->share = share; a->share_at = share_at; a->where = where; a->seed = ps->seed;
  a->src_off = at.off; a->src_end = at.end;
  ast_push(A, &ps->policy->audits, a);
}
static ast_field *field(parse_state *ps, const char *name, ast_loc at, const char *arg, int fn, ast_expr *v) {
  ast_field *f = ast_alloc(A, sizeof *f);
  f->name = name; f->at = at; f->arg = arg; f->fn = fn; f->value = v;
  return f;
}
static ast_edit *edit(parse_state *ps, int replace, const char *what, const char *number, ast_loc at, ast_item *it) {
  ast_edit *e = ast_alloc(A, sizeof *e);
  e->replace = replace; e->what = what; e->number = number; e->at = at; e->item = it;
  ast_push(A, &ps->policy->edits, e);
  return e;
}
static ast_rule *rule(parse_state *ps, ast_rule_verb v, ast_loc at) {
  ast_rule *r = ast_alloc(A, sizeof *r);
  r->verb = v;
  r->at = at;
  r->unit = DEC_INT(1);
  return r;
}
}

%union {
  struct { dec v; const char *text; } num;
  const char *str;
  ast_expr *expr;
  ast_rule *rule;
  ast_item *item;
  ast_section *section;
  ast_input *input;
  ast_level *level;
  ast_rating *rating;
  ast_list list;
  ast_enum_value *ev;
  ast_arm *arm;
  ast_field *field;
  ast_index *index;
  ast_check *check;
  ast_table *table;
  struct { char *s; size_t len, cap; } txt;
  struct { int type; ast_list values; } ty;
  struct { int has; dec v; ast_loc at; } max;
  int i;
}

%token POLICY "'policy'" ISSUER "'issuer'" DOCUMENT "'document'" SCALE "'scale'"
%token EFFECTIVE "'effective'" INPUT "'input'" SECTION "'section'" ITEM "'item'"
%token DEDUCT "'deduct'" AWARD "'award'" ZERO "'zero'" IF "'if'" UNLESS "'unless'"
%token PER "'per'" WHOLE "'whole'" STARTED "'started'" OF "'of'" MAX "'max'" MIN "'min'"
%token FLOOR "'floor'" CEIL "'ceil'" MISSING "'missing'" VETO "'veto'" RATING "'rating'"
%token ELSE "'else'" NONE "'none'" AND "'and'" OR "'or'" NOT "'not'" IMPLIES "'implies'"
%token SCORE "'score'" KEY "'key'" REQUIRED "'required'" DEFAULT "'default'" RANGE "'range'"
%token T_BOOL "'bool'" T_INT "'int'" T_NUMBER "'number'" T_PERCENT "'percent'"
%token T_DATE "'date'" T_TEXT "'text'" T_ENUM "'enum'"
%token EQ "'=='" NE "'!='" LE "'<='" GE "'>='" DOTDOT "'..'"
%token AS "'as'" WITHIN "'within'" YEARS "'years'" SINCE "'since'" THIS "'this'" IN "'in'"
%token BY "'by'" WHEN "'when'" TABLE "'table'" ACKNOWLEDGE "'acknowledge'" INDEX "'index'"
%token CHECK "'check'" CUMULATIVE "'cumulative'" CATEGORY "'category'" QUOTA "'quota'"
%token AT "'at'" MOST "'most'" ENFORCE "'enforce'" REPORT "'report'" TIES "'ties'"
%token TARGET "'target'" WHERE "'where'" AUDIT "'audit'" SAMPLE "'sample'" SEED "'seed'"
%token EXAMPLE "'example'" EXPECT "'expect'" INCLUDE "'include'" EXTENDS "'extends'"
%token REMOVE "'remove'" REPLACE "'replace'" VETOED "'vetoed'"
%token START_POLICY START_INCLUDE
%token <num> NUMBER "a number" PERCENT "a percentage" DATE "a date" YES "'yes'" NO "'no'"
%token <str> STRING "a string" IDENT "a name" POLICY_ID "a policy id (like rushan.enterprise)"

%type <str> str
%type <txt> strs
%type <expr> expr primary literal bound when_opt value
%type <list> arms fields efields checks tsections
%type <arm> arm
%type <field> field efield
%type <index> index
%type <check> check
%type <str> ack_opt cap_opt item_key
%type <table> table
%type <list> args names enumvals items rules
%type <ev> enumval
%type <ty> type_of
%type <max> maxopt
%type <rule> rule per_rule
%type <item> item
%type <section> section
%type <input> input attrs
%type <level> level
%type <rating> rating levels
%type <i> rounding ifunless cumul
%type <num> points

%right IMPLIES
%left OR
%left AND
%right NOT
%nonassoc EQ NE '<' LE '>' GE IN WITHIN
%left '+' '-'
%left '*' '/'
%precedence UMINUS

%%

top
  : START_POLICY header decls
  | START_INCLUDE decls
  ;

header
  : POLICY POLICY_ID str '{' hfields '}' {
      ps->policy->id = $2;
      ps->policy->title = $3;
      ps->policy->at = @2;
    }
  | POLICY POLICY_ID str EXTENDS str {
      ps->policy->extends = $5;
      ps->policy->extends_at = @5;
      if (parse_file(ps, $5, @5, 1) != 0) YYERROR;
    } '{' hfields '}' {
      ps->policy->id = $2;
      ps->policy->title = $3;
      ps->policy->at = @2;
    }
  ;

/* Adjacent strings join, so long document texts can be split over lines.
 * The joined text grows by doubling: thousands of parts stay linear. */
str
  : strs { $$ = $1.s; }
  ;

strs
  : STRING { $$.len = strlen($1); $$.cap = $$.len + 1; $$.s = (char *)$1; }
  | strs STRING {
      size_t add = strlen($2);
      $$ = $1;
      if ($$.len + add > LIM_STRING_BYTES) {
        diag_report(ps->d, DIAG_ERROR, @$, "shorten the text", "joined strings of %zu bytes; the limit is %u bytes",
                    $$.len + add, LIM_STRING_BYTES);
        YYERROR;
      }
      if ($$.len + add + 1 > $$.cap) {
        size_t cap = 2 * ($$.len + add + 1);
        char *s = ast_alloc(A, cap);
        memcpy(s, $$.s, $$.len);
        $$.s = s;
        $$.cap = cap;
      }
      memcpy($$.s + $$.len, $2, add + 1);
      $$.len += add;
    }
  ;

hfields
  : %empty
  | hfields hfield
  ;

hfield
  : ISSUER str      { ps->policy->issuer = $2; }
  | DOCUMENT str    { ps->policy->document = $2; }
  | SCALE NUMBER    { ps->policy->scale = $2.v; ps->policy->has_scale = 1; ps->policy->scale_at = @2; }
  | EFFECTIVE DATE  { ps->policy->effective = $2.v; }
  | AS OF DATE      { ps->policy->as_of = $3.v; }
  ;

decls
  : %empty
  | decls decl
  ;

decl
  : INPUT '{' inputs '}'
  | section { ast_push(A, &ps->policy->sections, $1); }
  | table
  | index { ast_push(A, &ps->policy->indices, $1); }
  | VETO str ifunless expr cap_opt {
      ast_veto *v = ast_alloc(A, sizeof *v);
      v->reason = $2;
      v->at = @1;
      v->unless = $3;
      v->cond = $4;
      v->cap = $5;
      v->cap_at = ps->cap_at;
      v->src_off = @1.off;
      v->src_end = @4.end;
      ast_push(A, &ps->policy->vetoes, v);
    }
  | rating {
      /* an extending policy's own rating replaces its base's; any other
       * second rating (in the same file or an include) is a mistake */
      if (ps->policy->rating && !(ps->policy->extends && @1.file == 0 && ps->policy->rating->at.file != 0)) {
        diag_report(ps->d, DIAG_ERROR, @1, "put all levels in one rating block", "a second rating");
        YYERROR;
      }
      ps->policy->rating = $1; /* an extending policy's rating replaces its base's */
    }
  | QUOTA str AT MOST PERCENT ENFORCE ties_opt { quota(ps, $2, @$, @2, $5.v, @5, 1); }
  | QUOTA str AT MOST PERCENT REPORT ties_opt { quota(ps, $2, @$, @2, $5.v, @5, 0); }
  | TARGET str expr {
      ast_target *t = ast_alloc(A, sizeof *t);
      t->text = $2; t->at = @1; t->cond = $3; t->src_off = @3.off; t->src_end = @3.end;
      ast_push(A, &ps->policy->targets, t);
    }
  | AUDIT str SAMPLE PERCENT seed_opt { audit(ps, $2, @$, $4.v, @4, NULL); }
  | AUDIT str SAMPLE PERCENT WHERE expr seed_opt { audit(ps, $2, @$, $4.v, @4, $6); }
  | EXAMPLE str '{' INPUT '{' fields '}' EXPECT '{' efields '}' '}' {
      ast_example *x = ast_alloc(A, sizeof *x);
      x->name = $2; x->at = @1; x->inputs = $6; x->expects = $10;
      ast_push(A, &ps->policy->examples, x);
    }
  | INCLUDE str { if (parse_file(ps, $2, @2, 0) != 0) YYERROR; }
  | ACKNOWLEDGE str {
      if (ps->policy->ack && ps->policy->ack_at.file == @1.file) {
        diag_report(ps->d, DIAG_ERROR, @1, "say it once, with everything the document gets wrong",
                    "a second acknowledge");
        YYERROR;
      }
      ps->policy->ack = $2;
      ps->policy->ack_at = @1;
    }
  | REMOVE ITEM points { edit(ps, 0, "item", $3.text, @$, NULL); }
  | REMOVE VETO str    { edit(ps, 0, "veto", $3, @$, NULL); }
  | REPLACE item       { edit(ps, 1, "item", $2->number, @$, $2); }
  ;
ties_opt
  : %empty { ps->ties = NULL; }
  | TIES BY IDENT { ps->ties = mk(ps, EX_NAME, @3); ps->ties->name = $3; }
  ;
seed_opt
  : %empty { ps->seed = 0; }
  | SEED NUMBER {
      if (!dec_is_whole($2.v) || $2.v < 0) {
        diag_report(ps->d, DIAG_ERROR, @2, NULL, "a seed is a whole number");
        YYERROR;
      }
      ps->seed = $2.v / DEC_SCALE;
    }
  ;
cap_opt
  : %empty { $$ = NULL; ps->cap_at = @$; }
  | AT MOST str { $$ = $3; ps->cap_at = @3; }
  ;
table
  : TABLE str WHEN expr '{' {
      ast_table *t = ast_alloc(A, sizeof *t);
      t->title = $2; t->at = @1; t->when = $4;
      t->first_section = ps->policy->sections.n;
      ps->table = t;
      ast_push(A, &ps->policy->tables, t);
    } ack_opt tsections '}' {
      ast_table *t = ps->table;
      t->ack = $7; t->ack_at = @7;
      for (int i = 0; i < $8.n; i++) {
        ast_section *sec = $8.v[i];
        sec->table = t;
        for (int k = 0; k < sec->items.n; k++) ((ast_item *)sec->items.v[k])->table = t;
        ast_push(A, &ps->policy->sections, sec);
      }
      t->nsections = $8.n;
      ps->table = NULL;
      $$ = t;
    }
  ;
tsections
  : %empty { $$ = (ast_list){0}; }
  | tsections section { $$ = $1; ast_push(A, &$$, $2); }
  /* in an extending policy's table: edits of the base's table of that title */
  | tsections REMOVE ITEM points { $$ = $1; edit(ps, 0, "item", $4.text, @2, NULL)->table = ps->table->title; }
  | tsections REPLACE item       { $$ = $1; edit(ps, 1, "item", $3->number, @2, $3)->table = ps->table->title; }
  ;
ack_opt
  : %empty { $$ = NULL; }
  | ACKNOWLEDGE str { $$ = $2; }
  ;
index
  : INDEX IDENT str when_opt '{' checks '}' {
      $$ = ast_alloc(A, sizeof *$$);
      $$->name = $2; $$->label = $3; $$->at = @2; $$->when = $4; $$->checks = $6;
    }
  ;
checks
  : %empty { $$ = (ast_list){0}; }
  | checks check { $$ = $1; ast_push(A, &$$, $2); }
  ;
check
  : CHECK str expr when_opt {
      $$ = ast_alloc(A, sizeof *$$);
      $$->text = $2; $$->at = @1; $$->cond = $3; $$->when = $4;
    }
  ;
when_opt
  : %empty { $$ = NULL; }
  | WHEN expr { $$ = $2; }
  ;
fields
  : %empty { $$ = (ast_list){0}; }
  | fields field { $$ = $1; ast_push(A, &$$, $2); }
  | fields ',' field { $$ = $1; ast_push(A, &$$, $3); }
  ;
field
  : IDENT ':' value { $$ = field(ps, $1, @1, NULL, -1, $3); }
  ;
efields
  : %empty { $$ = (ast_list){0}; }
  | efields efield { $$ = $1; ast_push(A, &$$, $2); }
  | efields ',' efield { $$ = $1; ast_push(A, &$$, $3); }
  ;
efield
  : SCORE ':' value   { $$ = field(ps, "score", @1, NULL, -1, $3); }
  | RATING ':' value  { $$ = field(ps, "rating", @1, NULL, -1, $3); }
  | VETOED ':' value  { $$ = field(ps, "vetoed", @1, NULL, -1, $3); }
  | ITEM points ':' value { $$ = field(ps, "item", @2, $2.text, -1, $4); }
  | IDENT ':' value   { $$ = field(ps, $1, @1, NULL, -1, $3); }
  | IDENT '(' IDENT ')' ':' value { $$ = field(ps, $1, @1, $3, 0, $6); }
  ;
value
  : literal
  | STRING { $$ = mk(ps, EX_STRING, @1); $$->name = $1; }
  | NONE   { $$ = mk(ps, EX_NONE, @1); }
  ;

inputs
  : %empty
  | inputs input { ast_push(A, &ps->policy->inputs, $2); }
  ;

input
  : attrs
  ;

/* An input's attributes may come in any order after its label. */
attrs
  : IDENT type_of str {
      $$ = ast_alloc(A, sizeof *$$);
      $$->name = $1;
      $$->at = @1;
      $$->type = $2.type;
      $$->values = $2.values;
      $$->label = $3;
      $$->label_at = @3;
    }
  | attrs KEY             { $$ = $1; $$->key = 1; }
  | attrs REQUIRED        { $$ = $1; $$->required = 1; }
  | attrs DEFAULT literal { $$ = $1; $$->def = $3; }
  | attrs DEFAULT NONE    { $$ = $1; $$->def = mk(ps, EX_NONE, @3); }
  | attrs CATEGORY        { $$ = $1; $$->category = 1; }
  | attrs RANGE bound DOTDOT bound { $$ = $1; $$->min = $3; $$->max = $5; $$->range_at = @2; $$->range_at.end = @5.end; }
  | attrs RANGE bound DOTDOT       { $$ = $1; $$->min = $3; $$->range_at = @2; $$->range_at.end = @4.end; }
  | attrs RANGE DOTDOT bound       { $$ = $1; $$->max = $4; $$->range_at = @2; $$->range_at.end = @4.end; }
  ;

type_of
  : T_BOOL    { $$.type = TY_BOOL; $$.values = (ast_list){0}; }
  | T_INT     { $$.type = TY_INT; $$.values = (ast_list){0}; }
  | T_NUMBER  { $$.type = TY_NUMBER; $$.values = (ast_list){0}; }
  | T_PERCENT { $$.type = TY_PERCENT; $$.values = (ast_list){0}; }
  | T_DATE    { $$.type = TY_DATE; $$.values = (ast_list){0}; }
  | T_TEXT    { $$.type = TY_TEXT; $$.values = (ast_list){0}; }
  | T_ENUM '(' enumvals ')' { $$.type = TY_ENUM; $$.values = $3; }
  ;

enumvals
  : enumval { $$ = (ast_list){0}; ast_push(A, &$$, $1); }
  | enumvals ',' enumval { $$ = $1; ast_push(A, &$$, $3); }
  ;

enumval
  : IDENT     { $$ = ast_alloc(A, sizeof *$$); $$->name = $1; $$->at = @1; }
  | IDENT str { $$ = ast_alloc(A, sizeof *$$); $$->name = $1; $$->label = $2; $$->at = @1; }
  ;

literal
  : NUMBER    { $$ = mk(ps, EX_NUM, @1); $$->num = $1.v; }
  | '-' NUMBER { $$ = mk(ps, EX_NUM, @1); $$->at.end = @2.end; $$->num = -$2.v; }
  | PERCENT   { $$ = mk(ps, EX_PERCENT, @1); $$->num = $1.v; }
  | YES       { $$ = mk(ps, EX_BOOL, @1); $$->num = 1; }
  | NO        { $$ = mk(ps, EX_BOOL, @1); $$->num = 0; }
  | DATE      { $$ = mk(ps, EX_DATE, @1); $$->num = $1.v; }
  | IDENT     { $$ = mk(ps, EX_NAME, @1); $$->name = $1; }
  ;

bound
  : NUMBER    { $$ = mk(ps, EX_NUM, @1); $$->num = $1.v; }
  | '-' NUMBER { $$ = mk(ps, EX_NUM, @1); $$->at.end = @2.end; $$->num = -$2.v; }
  | PERCENT   { $$ = mk(ps, EX_PERCENT, @1); $$->num = $1.v; }
  | DATE      { $$ = mk(ps, EX_DATE, @1); $$->num = $1.v; }
  ;

section
  : SECTION str NUMBER '{' ack_opt items '}' {
      $$ = ast_alloc(A, sizeof *$$);
      $$->items = $6;
      $$->ack = $5;
      $$->ack_at = @5;
      $$->title = $2;
      $$->at = @1;
      $$->max = $3.v;
      $$->max_at = @3;
    }
  ;

items
  : %empty { $$ = (ast_list){0}; }
  | items item { $$ = $1; ast_push(A, &$$, $2); }
  ;

item
  : ITEM points str NUMBER item_key when_opt '{' rules '}' {
      $$ = ast_alloc(A, sizeof *$$);
      $$->rules = $8;
      $$->when = $6;
      $$->key = $5;
      $$->key_at = @5;
      $$->number = $2.text;
      $$->number_at = @2;
      $$->at = @1;
      $$->text = $3;
      $$->points = $4.v;
      $$->points_at = @4;
    }
  ;

points
  : NUMBER
  ;

item_key
  : %empty  { $$ = NULL; }
  | KEY str { $$ = $2; }
  ;

rules
  : %empty { $$ = (ast_list){0}; }
  | rules rule when_opt {
      $2->src_off = @2.off;
      $2->src_end = @2.end;
      $2->when = $3;
      $$ = $1;
      ast_push(A, &$$, $2);
    }
  ;

rule
  : DEDUCT NUMBER ifunless expr str {
      $$ = rule(ps, RU_DEDUCT, @1);
      $$->points = $2.v; $$->points_at = @2; $$->unless = $3; $$->expr = $4;
      $$->reason = $5; $$->reason_at = @5;
    }
  | AWARD NUMBER ifunless expr str {
      $$ = rule(ps, RU_AWARD, @1);
      $$->points = $2.v; $$->points_at = @2; $$->unless = $3; $$->expr = $4;
      $$->reason = $5; $$->reason_at = @5;
    }
  | ZERO ifunless expr str {
      $$ = rule(ps, RU_ZERO, @1);
      $$->unless = $2; $$->expr = $3;
      $$->reason = $4; $$->reason_at = @4;
    }
  | DEDUCT NUMBER per_rule str { $$ = $3; $$->verb = RU_DEDUCT; $$->at = @1; $$->points = $2.v; $$->points_at = @2; $$->reason = $4; $$->reason_at = @4; }
  | AWARD NUMBER per_rule str  { $$ = $3; $$->verb = RU_AWARD; $$->at = @1; $$->points = $2.v; $$->points_at = @2; $$->reason = $4; $$->reason_at = @4; }
  ;

ifunless
  : IF     { $$ = 0; }
  | UNLESS { $$ = 1; }
  ;

/* `per [whole|started] [U of] quantity [max M]`, or `per missing(a, b…)` */
per_rule
  : PER rounding expr maxopt {
      $$ = rule(ps, RU_DEDUCT, @1); $$->per = $2; $$->expr = $3;
      $$->has_max = $4.has; $$->max = $4.v; $$->max_at = $4.at;
    }
  | PER rounding NUMBER OF expr maxopt {
      $$ = rule(ps, RU_DEDUCT, @1); $$->per = $2; $$->expr = $5;
      $$->unit = $3.v; $$->has_unit = 1;
      $$->has_max = $6.has; $$->max = $6.v; $$->max_at = $6.at;
    }
  | PER rounding MISSING '(' names ')' maxopt {
      $$ = rule(ps, RU_DEDUCT, @1); $$->per = $2; $$->missing = $5;
      $$->has_max = $7.has; $$->max = $7.v; $$->max_at = $7.at;
    }
  ;

rounding
  : %empty  { $$ = PER_DEFAULT; }
  | WHOLE   { $$ = PER_WHOLE; }
  | STARTED { $$ = PER_STARTED; }
  ;

maxopt
  : %empty     { $$.has = 0; $$.v = 0; $$.at = @$; }
  | MAX NUMBER { $$.has = 1; $$.v = $2.v; $$.at = @2; }
  ;

names
  : IDENT { $$ = (ast_list){0}; ast_expr *e = mk(ps, EX_NAME, @1); e->name = $1; ast_push(A, &$$, e); }
  | names ',' IDENT { $$ = $1; ast_expr *e = mk(ps, EX_NAME, @3); e->name = $3; ast_push(A, &$$, e); }
  ;

rating
  : RATING str cumul '{' levels '}' { $$ = $5; $$->title = $2; $$->at = @1; $$->cumulative = $3; }
  | RATING str cumul '{' levels ELSE str '}' { $$ = $5; $$->title = $2; $$->at = @1; $$->cumulative = $3; $$->has_else = 1; $$->else_name = $7; $$->else_at = @7; }
  | RATING str cumul '{' levels ELSE NONE '}' { $$ = $5; $$->title = $2; $$->at = @1; $$->cumulative = $3; $$->has_else = 1; $$->else_at = @7; }
  ;
cumul
  : %empty     { $$ = 0; }
  | CUMULATIVE { $$ = 1; }
  ;

levels
  : %empty { $$ = ast_alloc(A, sizeof(ast_rating)); }
  | levels level { $$ = $1; ast_push(A, &$$->levels, $2); }
  ;

level
  : str IF expr { $$ = ast_alloc(A, sizeof *$$); $$->name = $1; $$->at = @1; $$->cond = $3; }
  ;

expr
  : expr IMPLIES expr { $$ = bin(ps, OPX_IMPLIES, $1, $3, @$); }
  | expr OR expr      { $$ = bin(ps, OPX_OR, $1, $3, @$); }
  | expr AND expr     { $$ = bin(ps, OPX_AND, $1, $3, @$); }
  | NOT expr          { $$ = mk(ps, EX_NOT, @$); $$->a = $2; deepen(ps, $$, $2->depth); }
  | expr EQ expr      { $$ = bin(ps, OPX_EQ, $1, $3, @$); }
  | expr NE expr      { $$ = bin(ps, OPX_NE, $1, $3, @$); }
  | expr '<' expr     { $$ = bin(ps, OPX_LT, $1, $3, @$); }
  | expr LE expr      { $$ = bin(ps, OPX_LE, $1, $3, @$); }
  | expr '>' expr     { $$ = bin(ps, OPX_GT, $1, $3, @$); }
  | expr GE expr      { $$ = bin(ps, OPX_GE, $1, $3, @$); }
  | expr EQ STRING    { $$ = bin(ps, OPX_EQ, $1, strx(ps, $3, @3), @$); }
  | expr NE STRING    { $$ = bin(ps, OPX_NE, $1, strx(ps, $3, @3), @$); }
  | expr '<' STRING   { $$ = bin(ps, OPX_LT, $1, strx(ps, $3, @3), @$); }
  | expr LE STRING    { $$ = bin(ps, OPX_LE, $1, strx(ps, $3, @3), @$); }
  | expr '>' STRING   { $$ = bin(ps, OPX_GT, $1, strx(ps, $3, @3), @$); }
  | expr GE STRING    { $$ = bin(ps, OPX_GE, $1, strx(ps, $3, @3), @$); }
  | expr IN '(' names ')'     { $$ = mk(ps, EX_IN, @$); $$->a = $1; $$->args = $4; deepen(ps, $$, $1->depth); }
  | expr NOT IN '(' names ')' { $$ = mk(ps, EX_IN, @$); $$->a = $1; $$->args = $5; $$->op = 1; deepen(ps, $$, $1->depth); }
  | expr IN THIS IDENT {
      if (strcmp($4, "year")) {
        diag_report(ps->d, DIAG_ERROR, @4, "write: in this year", "expected 'year', found '%s'", $4);
        YYERROR;
      }
      $$ = mk(ps, EX_THISYEAR, @$); $$->a = $1; deepen(ps, $$, $1->depth);
    }
  | expr WITHIN NUMBER IDENT {
      if (strcmp($4, "year") || $3.v != DEC_INT(1)) {
        diag_report(ps->d, DIAG_ERROR, @4, "write: within 1 year, within 3 years", "expected 'years', found '%s'", $4);
        YYERROR;
      }
      $$ = mk(ps, EX_WITHIN, @$); $$->a = $1; $$->num = $3.v; deepen(ps, $$, $1->depth);
    }
  | expr WITHIN NUMBER YEARS {
      if (!dec_is_whole($3.v) || $3.v <= 0 || $3.v > DEC_INT(1000)) {
        diag_report(ps->d, DIAG_ERROR, @3, NULL, "a whole number of years from 1 to 1000");
        YYERROR;
      }
      $$ = mk(ps, EX_WITHIN, @$); $$->a = $1; $$->num = $3.v; deepen(ps, $$, $1->depth);
    }
  | expr '+' expr     { $$ = bin(ps, OPX_ADD, $1, $3, @$); }
  | expr '-' expr     { $$ = bin(ps, OPX_SUB, $1, $3, @$); }
  | expr '*' expr     { $$ = bin(ps, OPX_MUL, $1, $3, @$); }
  | expr '/' expr     { $$ = bin(ps, OPX_DIV, $1, $3, @$); }
  | '-' expr %prec UMINUS { $$ = mk(ps, EX_NEG, @$); $$->a = $2; deepen(ps, $$, $2->depth); }
  | primary
  ;

primary
  : NUMBER   { $$ = mk(ps, EX_NUM, @1); $$->num = $1.v; }
  | PERCENT  { $$ = mk(ps, EX_PERCENT, @1); $$->num = $1.v; }
  | YES      { $$ = mk(ps, EX_BOOL, @1); $$->num = 1; }
  | NO       { $$ = mk(ps, EX_BOOL, @1); $$->num = 0; }
  | DATE     { $$ = mk(ps, EX_DATE, @1); $$->num = $1.v; }
  | IDENT    { $$ = mk(ps, EX_NAME, @1); $$->name = $1; }
  | SCORE    { $$ = mk(ps, EX_SCORE, @1); }
  | RATING   { $$ = mk(ps, EX_RATING, @1); }
  | NONE     { $$ = mk(ps, EX_NONE, @1); }
  | AS OF    { $$ = mk(ps, EX_ASOF, @$); }
  | YEARS SINCE primary { $$ = mk(ps, EX_YEARS, @$); $$->a = $3; deepen(ps, $$, $3->depth); }
  | BY primary '{' arms '}' { $$ = mk(ps, EX_BY, @$); $$->a = $2; $$->args = $4; by_depth(ps, $$); }
  | IDENT '(' args ')' { $$ = fcall(ps, $1, @1, $3, NULL, @$); if (!$$) YYERROR; }
  | IDENT '(' expr WHERE expr ')' {
      ast_list l = {0};
      ast_push(A, &l, $3);
      $$ = fcall(ps, $1, @1, l, $5, @$);
      if (!$$) YYERROR;
    }
  | '(' expr ')' { $$ = $2; }
  | MIN '(' args ')'   { $$ = call(ps, FN_MIN, $3, @$); }
  | MAX '(' args ')'   { $$ = call(ps, FN_MAX, $3, @$); }
  | FLOOR '(' args ')' { $$ = call(ps, FN_FLOOR, $3, @$); }
  | CEIL '(' args ')'  { $$ = call(ps, FN_CEIL, $3, @$); }
  ;

arms
  : arm { $$ = (ast_list){0}; ast_push(A, &$$, $1); }
  | arms ',' arm { $$ = $1; ast_push(A, &$$, $3); }
  ;
arm
  : IDENT ':' expr          { $$ = arm(ps, ARM_VALUE, @$, NULL, NULL, $3); $$->name = $1; }
  | '<' bound ':' expr      { $$ = arm(ps, ARM_LT, @$, $2, NULL, $4); }
  | LE bound ':' expr       { $$ = arm(ps, ARM_LE, @$, $2, NULL, $4); }
  | '>' bound ':' expr      { $$ = arm(ps, ARM_GT, @$, $2, NULL, $4); }
  | GE bound ':' expr       { $$ = arm(ps, ARM_GE, @$, $2, NULL, $4); }
  | bound DOTDOT bound ':' expr { $$ = arm(ps, ARM_RANGE, @$, $1, $3, $5); }
  | ELSE ':' expr           { $$ = arm(ps, ARM_ELSE, @$, NULL, NULL, $3); }
  ;
args
  : expr { $$ = (ast_list){0}; ast_push(A, &$$, $1); }
  | args ',' expr { $$ = $1; ast_push(A, &$$, $3); }
  ;

%%

/* Only for the parser's own failures (its stack exhausted by nesting). */
void yyerror(const YYLTYPE *lloc, yyscan_t scanner, parse_state *ps, const char *msg) {
  (void)scanner;
  if (!strcmp(msg, "memory exhausted"))
    diag_report(ps->d, DIAG_ERROR, *lloc, "split it into simpler conditions",
                "expressions are nested too deeply (the parser's limit is %d open constructs)", LIM_PARSER_DEPTH);
  else
    diag_report(ps->d, DIAG_ERROR, *lloc, NULL, "%s", msg);
}

/* "expected a string or an operator, found '}'": operators are folded into
 * one word, and the found token is quoted from the source so the message
 * shows what the officer actually wrote. */
static int is_operator(yysymbol_kind_t k) {
  static const char *const ops[] = {"'=='", "'!='", "'<='", "'>='", "'and'", "'or'", "'implies'",
                                    "'<'",  "'>'",  "'+'",  "'-'",  "'*'",   "'/'", "'in'", "'within'", "'not'"};
  const char *name = yysymbol_name(k);
  size_t nl = strlen(name);
  if (nl >= 2 && name[0] == '"') { name++; nl -= 2; }
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (strlen(ops[i]) == nl && !strncmp(ops[i], name, nl)) return 1;
  return 0;
}

/* Tokens that start a value; folded into "a value" when a value may come. */
static int starts_value(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_NUMBER: case YYSYMBOL_PERCENT: case YYSYMBOL_DATE: case YYSYMBOL_YES:
  case YYSYMBOL_NO: case YYSYMBOL_IDENT: case YYSYMBOL_SCORE: case YYSYMBOL_MIN: case YYSYMBOL_MAX:
  case YYSYMBOL_FLOOR: case YYSYMBOL_CEIL: case YYSYMBOL_NOT: case YYSYMBOL_RATING: case YYSYMBOL_NONE:
  case YYSYMBOL_AS: case YYSYMBOL_YEARS: case YYSYMBOL_BY: case YYSYMBOL_STRING:
    return 1;
  default:
    return 0;
  }
}

/* Tokens that start a declaration: folded into one phrase. */
static int is_decl(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_INPUT: case YYSYMBOL_SECTION: case YYSYMBOL_TABLE: case YYSYMBOL_INDEX: case YYSYMBOL_VETO:
  case YYSYMBOL_RATING: case YYSYMBOL_QUOTA: case YYSYMBOL_TARGET: case YYSYMBOL_AUDIT: case YYSYMBOL_EXAMPLE:
  case YYSYMBOL_INCLUDE: case YYSYMBOL_ACKNOWLEDGE: case YYSYMBOL_REMOVE: case YYSYMBOL_REPLACE:
    return 1;
  default:
    return 0;
  }
}

static int is_type(yysymbol_kind_t k) {
  return k == YYSYMBOL_T_BOOL || k == YYSYMBOL_T_INT || k == YYSYMBOL_T_NUMBER || k == YYSYMBOL_T_PERCENT ||
         k == YYSYMBOL_T_DATE || k == YYSYMBOL_T_TEXT || k == YYSYMBOL_T_ENUM;
}

static int is_comparison(yysymbol_kind_t k) {
  return k == YYSYMBOL_EQ || k == YYSYMBOL_NE || k == YYSYMBOL_LE || k == YYSYMBOL_GE ||
         !strcmp(yysymbol_name(k), "'<'") || !strcmp(yysymbol_name(k), "'>'");
}

/* A token's name for messages: without bison's quotes. */
static const char *token_words(yysymbol_kind_t k, size_t *len) {
  const char *name = k == YYSYMBOL_YYEOF ? "the end of the file" : yysymbol_name(k);
  *len = strlen(name);
  if (*len >= 2 && name[0] == '"') { name++; *len -= 2; }
  return name;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, parse_state *ps) {
  (void)scanner;
  yysymbol_kind_t exp[YYNTOKENS];
  int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
  const ast_loc *at = yypcontext_location(ctx);
  yysymbol_kind_t found = yypcontext_token(ctx);

  /* `a == b == c`: say what is wrong, not what could come instead */
  int ops = 0, names = 0, numbers = 0, plus = 0, types = 0, brace = 0, decls = 0;
  for (int i = 0; i < n; i++) {
    decls += is_decl(exp[i]);
    brace |= !strcmp(yysymbol_name(exp[i]), "'}'");
    ops |= is_operator(exp[i]);
    names |= exp[i] == YYSYMBOL_IDENT;
    numbers |= exp[i] == YYSYMBOL_NUMBER;
    plus |= !strcmp(yysymbol_name(exp[i]), "'+'");
    types |= is_type(exp[i]);
  }
  if (is_comparison(found) && ops) {
    diag_report(ps->d, DIAG_ERROR, *at, "join two comparisons with 'and': a == b and b == c",
                "comparisons do not chain");
    return 0;
  }
  /* Fold families of tokens into one word each: operators, the tokens
   * that start a value, the types. */
  int value = names && numbers;
  const char *words[8];
  size_t lens[8];
  int nn = 0, want_string = 0, too_many = 0;
  for (int i = 0; i < n; i++) {
    yysymbol_kind_t k = exp[i];
    if (value && (starts_value(k) || !strcmp(yysymbol_name(k), "'('"))) continue;
    if (is_operator(k)) continue; /* folded below; '-' alone is a sign */
    if (decls >= 3 && is_decl(k)) continue;
    if (ops && plus && !value && !strcmp(yysymbol_name(k), "'('")) continue; /* a call after a name: rare */
    if (k == YYSYMBOL_YYEOF) continue; /* named last */
    if (is_type(k)) continue;
    if (k == YYSYMBOL_STRING) want_string = 1;
    if (k == YYSYMBOL_AS) { words[nn] = "'as of'"; lens[nn] = 7; nn++; continue; }
    if (nn < 6) { words[nn] = token_words(k, &lens[nn]); nn++; }
    else too_many = 1;
  }
  if (decls >= 3 && nn < 8) {
    words[nn] = "a declaration (input, section, table, index, veto, rating, target, example…)";
    lens[nn] = strlen(words[nn]);
    nn++;
  }
  if (types && nn < 8) { words[nn] = "a type (bool, int, number, percent, date, text or enum)"; lens[nn] = strlen(words[nn]); nn++; }
  if (ops && plus && nn < 8) { words[nn] = "an operator"; lens[nn] = strlen(words[nn]); nn++; }
  if (value && nn < 8) { words[nn] = "a value"; lens[nn] = strlen(words[nn]); nn++; }
  for (int i = 0; i < n; i++)
    if (exp[i] == YYSYMBOL_YYEOF && nn < 8) { words[nn] = token_words(exp[i], &lens[nn]); nn++; }
  char msg[512];
  size_t len = 0;
  if (nn > 0 && !too_many) {
    len += (size_t)snprintf(msg, sizeof msg, "expected ");
    for (int i = 0; i < nn && len < sizeof msg; i++)
      len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%.*s", i == 0 ? "" : i == nn - 1 ? " or " : ", ",
                              (int)lens[i], words[i]);
  } else {
    len += (size_t)snprintf(msg, sizeof msg, "unexpected text");
  }
  if (len < sizeof msg) {
    if (found == YYSYMBOL_YYEOF)
      snprintf(msg + len, sizeof msg - len, ", found the end of the file");
    else {
      size_t tl = at->end - at->off;
      if (tl > 40) tl = 40;
      snprintf(msg + len, sizeof msg - len, ", found '%.*s'", (int)tl, ps->text + at->off);
    }
  }
  const char *hint = NULL;
  char kwhint[160];
  if (want_string && ops && !brace) hint = "a rule ends with its reason in quotes: deduct 1 unless x \"reason\"";
  /* a keyword where a name may stand: the officer chose a reserved word */
  size_t fl;
  const char *fw = token_words(found, &fl);
  if (!hint && names && found != YYSYMBOL_YYEOF && fl > 2 && fw[0] == '\'' && fw[1] >= 'a' && fw[1] <= 'z') {
    snprintf(kwhint, sizeof kwhint, "%.*s is a reserved word of the language; choose another name", (int)fl, fw);
    hint = kwhint;
  }
  diag_report(ps->d, DIAG_ERROR, *at, hint, "%s", msg);
  return 0;
}
