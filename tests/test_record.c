/* test_record.c — unit tests for header matching and cell parsing
 * (runtime/record.c).  Programs come from small policies compiled here with
 * the front end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/compile.h"
#include "runtime/csv.h"
#include "runtime/date.h"
#include "runtime/prog.h"
#include "runtime/record.h"
#include "runtime/vm.h"

/* ---- policies ---- */

/* Inputs, in slot order: id 0, ok 1, rate 2, n 3, day 4, kind 5. */
static const char MIN_POLICY[] =
    "policy t.min \"测试\" { scale 10 }\n"
    "input {\n"
    "  id    text    \"单位名称\" key\n"
    "  ok    bool    \"达标\"\n"
    "  rate  percent \"职工入会率\"\n"
    "  n     int     \"次数\" default 0\n"
    "  day   date    \"日期\"\n"
    "  kind  enum(soe \"国有企业\", private \"非公企业\") \"类别\"\n"
    "}\n"
    "section \"S\" 10 {\n"
    "  item 1 \"t\" 10 {\n"
    "    deduct 1 unless ok \"r1\"\n"
    "    deduct 1 per started 1 of 90 - rate \"r2\"\n"
    "    award 1 per n max 2 \"r3\"\n"
    "    deduct 1 if day < 2024-01-01 \"r4\"\n"
    "    deduct 1 if kind == soe \"r5\"\n"
    "  }\n"
    "}\n";

enum { I_ID, I_OK, I_RATE, I_N, I_DAY, I_KIND, MIN_NINPUTS };

/* Written ranges and defaults of every kind.  Slots: id 0, pts 1, share 2,
 * cnt 3, dated 4, begun 5, until 6, flag 7, grade 8. */
static const char RANGE_POLICY[] =
    "policy t.range \"范围\" { scale 10 }\n"
    "input {\n"
    "  id     text    \"名称\" key\n"
    "  pts    number  \"得分\" range -5..7.5\n"
    "  share  percent \"比例\" range 50..\n"
    "  cnt    int     \"人数\" range ..10\n"
    "  dated  date    \"日期\" range 2020-01-01..2024-12-31\n"
    "  begun  date    \"起始\" range 2020-01-01..\n"
    "  until  date    \"截止\" range ..2024-12-31\n"
    "  flag   bool    \"标志\" default yes\n"
    "  grade  enum(a, b \"乙\") \"等级\" default b\n"
    "}\n"
    "section \"S\" 10 {\n"
    "  item 1 \"t\" 10 {\n"
    "    deduct 1 if pts < 0 \"r1\"\n"
    "    deduct 1 if share < 60 \"r2\"\n"
    "    deduct 1 if cnt < 3 \"r3\"\n"
    "    deduct 1 if dated < 2022-01-01 \"r4\"\n"
    "    deduct 1 if begun < 2022-01-01 \"r5\"\n"
    "    deduct 1 if until < 2022-01-01 \"r6\"\n"
    "    deduct 1 unless flag \"r7\"\n"
    "    deduct 1 if grade == a \"r8\"\n"
    "  }\n"
    "}\n";

enum { R_ID, R_SCORE, R_SHARE, R_CNT, R_WHEN, R_SINCE, R_UNTIL, R_FLAG, R_GRADE, RANGE_NINPUTS };

/* No required input at all. */
static const char DEFAULTS_POLICY[] =
    "policy t.defaults \"默认\" { scale 10 }\n"
    "input {\n"
    "  a  bool \"甲\" default no\n"
    "  b  int  \"乙\" default 2\n"
    "}\n"
    "section \"S\" 10 {\n"
    "  item 1 \"t\" 10 {\n"
    "    deduct 1 if a \"r1\"\n"
    "    deduct 1 per b max 3 \"r2\"\n"
    "  }\n"
    "}\n";

static prog *compile(const char *src) {
  compile_result cr;
  memset(&cr, 0, sizeof cr);
  compile_source("test.tally", src, strlen(src), stderr, 1, &cr);
  assert_int_equal(cr.errors, 0);
  assert_non_null(cr.tbc);
  prog_error err;
  memset(&err, 0, sizeof err);
  prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
  if (!p) print_error("prog_load: %s\n", err.msg);
  assert_non_null(p);
  compile_result_free(&cr);
  return p;
}

/* ---- fixture: one program per group, compiled once ---- */

static prog *g_min, *g_range, *g_defaults;

static int setup(void **state) {
  (void)state;
  g_min = compile(MIN_POLICY);
  g_range = compile(RANGE_POLICY);
  g_defaults = compile(DEFAULTS_POLICY);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  prog_free(g_min);
  prog_free(g_range);
  prog_free(g_defaults);
  return 0;
}

/* ---- helpers ---- */

/* A CSV text of a header and at most one data row, read and matched. */
typedef struct {
  csv_reader *rd;
  rec_map map;
  char err[1024];
  int rc;       /* rec_map_init's */
  csv_row row;  /* the data row, when there is one */
  int64_t slots[16];
  const char *key;
} fixture;

/* Fixtures live on the heap and are registered, so that a failed assertion
 * (which longjmps out of the test) leaves nothing for LeakSanitizer: the
 * per-test teardown closes whatever is still open. */
#define MAX_OPEN 4
static fixture *g_open[MAX_OPEN];

static fixture *open_csv(const prog *p, const char *csv) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  size_t slot = 0;
  while (slot < MAX_OPEN && g_open[slot]) slot++;
  assert_true(slot < MAX_OPEN);
  g_open[slot] = f;
  f->rd = csv_open_mem(csv, strlen(csv));
  assert_non_null(f->rd);
  csv_row h;
  assert_int_equal(csv_next(f->rd, &h), CSV_ROW);
  f->rc = rec_map_init(&f->map, p, &h, f->err, sizeof f->err);
  return f;
}

static void close_csv(fixture *f) {
  for (size_t i = 0; i < MAX_OPEN; i++)
    if (g_open[i] == f) g_open[i] = NULL;
  rec_map_free(&f->map);
  csv_close(f->rd);
  free(f);
}

static int close_all(void **state) {
  (void)state;
  for (size_t i = 0; i < MAX_OPEN; i++)
    if (g_open[i]) close_csv(g_open[i]);
  return 0;
}

/* Reads the next row and parses it; returns rec_parse's result. */
static int next(fixture *f) {
  assert_int_equal(csv_next(f->rd, &f->row), CSV_ROW);
  for (size_t i = 0; i < 16; i++) f->slots[i] = -4242;
  f->err[0] = 0;
  f->key = "unset";
  return rec_parse(&f->map, &f->row, f->slots, &f->key, f->err, sizeof f->err);
}

static void expect_header_error(const prog *p, const char *csv, const char *msg) {
  fixture *f = open_csv(p, csv);
  assert_int_equal(f->rc, -1);
  assert_string_equal(f->err, msg);
  close_csv(f);
}

/* Header "id,ok,rate,n,day,kind" and one row holding `row`; the row must
 * parse, and slot `slot` must come out as `want`. */
#define MIN_HEADER "id,ok,rate,n,day,kind\n"

static void expect_min_slot(const char *row, int slot, int64_t want) {
  char csv[512];
  snprintf(csv, sizeof csv, MIN_HEADER "%s\n", row);
  fixture *f = open_csv(g_min, csv);
  assert_int_equal(f->rc, 0);
  int rc = next(f);
  if (rc) print_error("row %s: %s\n", row, f->err);
  assert_int_equal(rc, 0);
  assert_int_equal(f->slots[slot], want);
  close_csv(f);
}

/* The row must be refused with exactly this message. */
static void expect_min_error(const char *row, const char *msg) {
  char csv[512];
  snprintf(csv, sizeof csv, MIN_HEADER "%s\n", row);
  fixture *f = open_csv(g_min, csv);
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), -1);
  assert_string_equal(f->err, msg);
  close_csv(f);
}

/* Shorthands: a good row of the minimal policy with one cell replaced. */
static void bool_is(const char *cell, int64_t want) {
  char row[128];
  snprintf(row, sizeof row, "甲,%s,85,1,2024-06-30,soe", cell);
  expect_min_slot(row, I_OK, want);
}

static void rate_is(const char *cell, int64_t want) {
  char row[128];
  snprintf(row, sizeof row, "甲,是,%s,1,2024-06-30,soe", cell);
  expect_min_slot(row, I_RATE, want);
}

#define RANGE_HEADER "id,pts,share,cnt,dated,begun,until,flag,grade\n"
#define RANGE_GOOD   "乙,1,60,3,2022-06-01,2022-06-01,2022-06-01,是,a"

static void expect_range_error(const char *row, const char *msg) {
  char csv[512];
  snprintf(csv, sizeof csv, RANGE_HEADER "%s\n", row);
  fixture *f = open_csv(g_range, csv);
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), -1);
  assert_string_equal(f->err, msg);
  close_csv(f);
}

static void expect_range_slot(const char *row, int slot, int64_t want) {
  char csv[512];
  snprintf(csv, sizeof csv, RANGE_HEADER "%s\n", row);
  fixture *f = open_csv(g_range, csv);
  assert_int_equal(f->rc, 0);
  int rc = next(f);
  if (rc) print_error("row %s: %s\n", row, f->err);
  assert_int_equal(rc, 0);
  assert_int_equal(f->slots[slot], want);
  close_csv(f);
}

static int64_t day(int y, int m, int d) {
  int ok;
  int64_t v = date_from_ymd(y, m, d, &ok);
  assert_true(ok);
  return v;
}

/* ==== the compiled programs ==== */

static void test_program_inputs(void **state) {
  (void)state;
  assert_int_equal(g_min->ninputs, MIN_NINPUTS);
  assert_string_equal(g_min->inputs[I_OK].name, "ok");
  assert_string_equal(g_min->inputs[I_OK].label, "达标");
  assert_string_equal(g_min->inputs[I_KIND].name, "kind");
  assert_int_equal(g_min->inputs[I_KIND].nvals, 2);
  assert_int_equal(g_min->key, I_ID);
  assert_int_equal(g_range->ninputs, RANGE_NINPUTS);
  assert_int_equal(g_defaults->ninputs, 2);
}

/* ==== column letters ==== */

static void test_column_letters(void **state) {
  (void)state;
  static const struct { size_t col; const char *letters; } cases[] = {
      {0, "A"},   {1, "B"},   {25, "Z"},    {26, "AA"},   {27, "AB"},    {51, "AZ"},
      {52, "BA"}, {701, "ZZ"}, {702, "AAA"}, {703, "AAB"}, {16383, "XFD"}, /* Excel's last */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char buf[8];
    memset(buf, 'X', sizeof buf);
    rec_column_letters(cases[i].col, buf);
    assert_string_equal(buf, cases[i].letters);
  }
}

/* ==== header ==== */

static void test_header_by_name(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "id,ok,rate,n,day,kind\n");
  assert_int_equal(f->rc, 0);
  assert_ptr_equal(f->map.p, g_min);
  assert_int_equal(f->map.ncols, 6);
  assert_int_equal(f->map.nignored, 0);
  for (int i = 0; i < MIN_NINPUTS; i++) assert_int_equal(f->map.col_of_input[i], i);
  assert_string_equal(f->map.col_name[0], "id");
  assert_string_equal(f->map.col_name[5], "kind");
  close_csv(f);
}

static void test_header_by_label_any_order(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "类别,日期,达标,单位名称,职工入会率,次数\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->map.nignored, 0);
  assert_int_equal(f->map.col_of_input[I_KIND], 0);
  assert_int_equal(f->map.col_of_input[I_DAY], 1);
  assert_int_equal(f->map.col_of_input[I_OK], 2);
  assert_int_equal(f->map.col_of_input[I_ID], 3);
  assert_int_equal(f->map.col_of_input[I_RATE], 4);
  assert_int_equal(f->map.col_of_input[I_N], 5);
  assert_string_equal(f->map.col_name[2], "达标");
  close_csv(f);
}

static void test_header_names_and_labels_mixed(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "单位名称,ok,职工入会率,n,日期,kind\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->map.nignored, 0);
  for (int i = 0; i < MIN_NINPUTS; i++) assert_int_equal(f->map.col_of_input[i], i);
  close_csv(f);
}

static void test_header_ignored_columns(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "序号,ok,备注,rate,day,kind,OK,\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->map.ncols, 8);
  assert_int_equal(f->map.nignored, 4); /* 序号, 备注, OK (case matters), blank */
  assert_int_equal(f->map.col_of_input[I_ID], -1); /* the key may be absent */
  assert_int_equal(f->map.col_of_input[I_OK], 1);
  assert_int_equal(f->map.col_of_input[I_RATE], 3);
  assert_int_equal(f->map.col_of_input[I_N], -1); /* has a default */
  assert_int_equal(f->map.col_of_input[I_DAY], 4);
  assert_int_equal(f->map.col_of_input[I_KIND], 5);
  assert_string_equal(f->map.col_name[0], "序号");
  assert_string_equal(f->map.col_name[6], "OK");
  assert_string_equal(f->map.col_name[7], "");
  close_csv(f);
}

static void test_header_cells_trimmed(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, " id ,\t达标\t,\xe3\x80\x80职工入会率\xe3\x80\x80, n,day\xe3\x80\x80 ,\" kind\"\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->map.nignored, 0);
  for (int i = 0; i < MIN_NINPUTS; i++) assert_int_equal(f->map.col_of_input[i], i);
  assert_string_equal(f->map.col_name[0], "id");
  assert_string_equal(f->map.col_name[1], "达标");
  assert_string_equal(f->map.col_name[2], "职工入会率");
  assert_string_equal(f->map.col_name[4], "day");
  assert_string_equal(f->map.col_name[5], "kind");
  close_csv(f);
}

static void test_header_missing_required(void **state) {
  (void)state;
  expect_header_error(g_min, "id,ok,n,day,kind\n",
                      "no column for the required input 'rate' (\"职工入会率\"): "
                      "name a column \"职工入会率\" or \"rate\"");
  /* The first missing one, in declaration order. */
  expect_header_error(g_min, "id,rate\n",
                      "no column for the required input 'ok' (\"达标\"): "
                      "name a column \"达标\" or \"ok\"");
  /* the columns that matched nothing are named: the likely misspellings */
  expect_header_error(g_min, "备注\n",
                      "no column for the required input 'ok' (\"达标\"): "
                      "name a column \"达标\" or \"ok\"; columns that match no input: A \"备注\"");
  /* a single column that holds separators is another kind of file */
  expect_header_error(g_min, "id;ok;rate\n",
                      "no column for the required input 'ok' (\"达标\"): "
                      "name a column \"达标\" or \"ok\"; the header is a single column: Tally reads "
                      "comma-separated files, and this one looks separated by semicolons");
}

static void test_header_duplicate_input(void **state) {
  (void)state;
  expect_header_error(g_min, "ok,达标,rate,day,kind\n",
                      "columns A and B are both input 'ok' (\"达标\"); keep one");
  expect_header_error(g_min, "id,ok,rate,n,day,kind,备注,次数\n",
                      "columns D and H are both input 'n' (\"次数\"); keep one");
  expect_header_error(g_min, "kind,ok,rate,day,kind\n",
                      "columns A and E are both input 'kind' (\"类别\"); keep one");
}

static void test_header_defaults_only_policy(void **state) {
  (void)state;
  fixture *f = open_csv(g_defaults, "乙\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->map.col_of_input[0], -1);
  assert_int_equal(f->map.col_of_input[1], 0);
  close_csv(f);
}

/* record.h promises an error for "an empty header"; a header row whose
 * cells are all blank matches nothing and should be refused even when every
 * input has a default. */
static void test_empty_header_refused(void **state) {
  (void)state;
  fixture *f = open_csv(g_defaults, ",,\n");
  assert_int_equal(f->map.nignored, 3);
  assert_int_equal(f->rc, -1);
  assert_string_equal(f->err, "the header row is empty: it must name the columns (by input name or label)");
  close_csv(f);
}

/* ==== a whole row ==== */

static void test_row_all_slots(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, MIN_HEADER "某某公司,是,87.5%,2,2024-06-30,非公企业\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_string_equal(f->key, "某某公司");
  assert_int_equal(f->slots[I_ID], 0);
  assert_int_equal(f->slots[I_OK], 1);
  assert_int_equal(f->slots[I_RATE], 87500);
  assert_int_equal(f->slots[I_N], 2000);
  assert_int_equal(f->slots[I_DAY], 19904);
  assert_int_equal(f->slots[I_KIND], 1);
  assert_int_equal(f->slots[MIN_NINPUTS], -4242); /* nothing past ninputs */
  close_csv(f);
}

static void test_row_labels_header_many_rows(void **state) {
  (void)state;
  fixture *f = open_csv(g_min,
           "类别,备注,达标,单位名称,职工入会率,日期\n"
           "国有企业,x,否,一厂,90,2023/1/5\n"
           "private,,√,二厂,100%,2024-02-29\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->map.nignored, 1);
  assert_int_equal(next(f), 0);
  assert_string_equal(f->key, "一厂");
  assert_int_equal(f->slots[I_OK], 0);
  assert_int_equal(f->slots[I_RATE], 90000);
  assert_int_equal(f->slots[I_N], 0); /* no column: the default */
  assert_int_equal(f->slots[I_DAY], day(2023, 1, 5));
  assert_int_equal(f->slots[I_KIND], 0);
  assert_int_equal(next(f), 0);
  assert_string_equal(f->key, "二厂");
  assert_int_equal(f->slots[I_OK], 1);
  assert_int_equal(f->slots[I_RATE], 100000);
  assert_int_equal(f->slots[I_DAY], day(2024, 2, 29));
  assert_int_equal(f->slots[I_KIND], 1);
  close_csv(f);
}

static void test_row_no_key_column(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "ok,rate,day,kind\n是,85,2024-06-30,soe\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_null(f->key);
  assert_int_equal(f->slots[I_ID], 0);
  close_csv(f);
}

static void test_row_blank_key_allowed(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, MIN_HEADER ",是,85,1,2024-06-30,soe\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_non_null(f->key);
  assert_string_equal(f->key, "");
  close_csv(f);
}

static void test_row_cell_count(void **state) {
  (void)state;
  expect_min_error("甲,是,85,1,2024-06-30", "5 cells, but the header has 6 columns");
  expect_min_error("甲,是,85,1,2024-06-30,soe,extra", "7 cells, but the header has 6 columns");
  expect_min_error("甲", "1 cell, but the header has 6 columns");
}

/* A refused row still names its key when the key's cell is there, so that
 * the error can say which unit it is; otherwise the key is NULL. */
static void test_row_cell_count_key(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, MIN_HEADER "甲,是\n" "乙,是,85,1,2024-06-30,soe,多\n");
  assert_int_equal(next(f), -1);
  assert_non_null(f->key);
  assert_string_equal(f->key, "甲");
  assert_int_equal(next(f), -1);
  assert_non_null(f->key);
  assert_string_equal(f->key, "乙");
  close_csv(f);
  f = open_csv(g_min, "ok,rate,day,kind,id\n是\n");
  assert_int_equal(next(f), -1);
  assert_string_equal(f->err, "1 cell, but the header has 5 columns");
  assert_null(f->key);
  close_csv(f);
}

/* A bad cell: the key is still returned. */
static void test_row_bad_cell_key(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "ok,rate,day,kind,id\nmaybe,85,2024-06-30,soe,丙厂\n");
  assert_int_equal(next(f), -1);
  assert_non_null(f->key);
  assert_string_equal(f->key, "丙厂");
  close_csv(f);
}

/* ==== bool ==== */

static void test_bool_yes_forms(void **state) {
  (void)state;
  static const char *const yes[] = {"是", "有", "√", "✓", "✔", "对", "Y", "y", "yes",
                                    "YES", "Yes", "true", "TRUE", "True", "t", "T", "1"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) bool_is(yes[i], 1);
}

static void test_bool_no_forms(void **state) {
  (void)state;
  static const char *const no[] = {"否", "无", "×", "✗", "✘", "错", "N", "n", "no", "NO",
                                   "false", "FALSE", "False", "f", "F", "0", "x", "X"};
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) bool_is(no[i], 0);
}

static void test_bool_invalid(void **state) {
  (void)state;
  expect_min_error("甲,maybe,85,1,2024-06-30,soe",
                   "column \"ok\" (B): \"maybe\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
  expect_min_error("甲,2,85,1,2024-06-30,soe",
                   "column \"ok\" (B): \"2\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
  expect_min_error("甲,是的,85,1,2024-06-30,soe",
                   "column \"ok\" (B): \"是的\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
  expect_min_error("甲,yes please,85,1,2024-06-30,soe",
                   "column \"ok\" (B): \"yes please\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
}

static void test_bool_under_label_header(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "达标,rate,day,kind\n不知道,85,2024-06-30,soe\n");
  assert_int_equal(next(f), -1);
  assert_string_equal(f->err,
                      "column \"达标\" (A): \"不知道\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
  close_csv(f);
}

/* ==== percent ==== */

static void test_percent_forms(void **state) {
  (void)state;
  rate_is("85", 85000);
  rate_is("85%", 85000);
  rate_is("85 %", 85000);
  rate_is("85％", 85000);  /* fullwidth percent sign */
  rate_is("85 ％", 85000);
  rate_is("87.5%", 87500);
  rate_is("0", 0);
  rate_is("0%", 0);
  rate_is("100", 100000);
  rate_is("100.000%", 100000);
  rate_is("0.001", 1);
}

static void test_percent_out_of_range(void **state) {
  (void)state;
  expect_min_error("甲,是,100.5,1,2024-06-30,soe",
                   "column \"rate\" (C): \"100.5\" is out of range; expected a percentage from 0 to 100, like 85% or 85");
  expect_min_error("甲,是,-1%,1,2024-06-30,soe",
                   "column \"rate\" (C): \"-1%\" is out of range; expected a percentage from 0 to 100, like 85% or 85");
  expect_min_error("甲,是,100.001,1,2024-06-30,soe",
                   "column \"rate\" (C): \"100.001\" is out of range; expected a percentage from 0 to 100, like 85% or 85");
}

static void test_percent_invalid(void **state) {
  (void)state;
  expect_min_error("甲,是,abc,1,2024-06-30,soe",
                   "column \"rate\" (C): \"abc\" is not valid; expected a percentage from 0 to 100, like 85% or 85");
  expect_min_error("甲,是,%,1,2024-06-30,soe",
                   "column \"rate\" (C): \"%\" is not valid; expected a percentage from 0 to 100, like 85% or 85");
  expect_min_error("甲,是,85%%,1,2024-06-30,soe",
                   "column \"rate\" (C): \"85%%\" is not valid; expected a percentage from 0 to 100, like 85% or 85");
  expect_min_error("甲,是,0.85e2,1,2024-06-30,soe",
                   "column \"rate\" (C): \"0.85e2\" is not valid; expected a percentage from 0 to 100, like 85% or 85");
  expect_min_error("甲,是,85.1234%,1,2024-06-30,soe",
                   "column \"rate\" (C): \"85.1234%\" has more than 3 decimal places; expected a percentage from 0 to 100, like 85% or 85");
}

/* ==== int ==== */

static void test_int_values(void **state) {
  (void)state;
  expect_min_slot("甲,是,85,0,2024-06-30,soe", I_N, 0);
  expect_min_slot("甲,是,85,3,2024-06-30,soe", I_N, 3000);
  expect_min_slot("甲,是,85,3.0,2024-06-30,soe", I_N, 3000);
  expect_min_slot("甲,是,85,+12,2024-06-30,soe", I_N, 12000);
  expect_min_slot("甲,是,85,1000000,2024-06-30,soe", I_N, DEC_INT(1000000));
}

static void test_int_not_whole(void **state) {
  (void)state;
  expect_min_error("甲,是,85,3.5,2024-06-30,soe",
                   "column \"n\" (D): \"3.5\" is not a whole number; expected a whole number of 0 or more");
  expect_min_error("甲,是,85,0.001,2024-06-30,soe",
                   "column \"n\" (D): \"0.001\" is not a whole number; expected a whole number of 0 or more");
}

static void test_int_out_of_range(void **state) {
  (void)state;
  expect_min_error("甲,是,85,-1,2024-06-30,soe",
                   "column \"n\" (D): \"-1\" is out of range; expected a whole number of 0 or more");
}

static void test_int_invalid(void **state) {
  (void)state;
  expect_min_error("甲,是,85,三,2024-06-30,soe",
                   "column \"n\" (D): \"三\" is not valid; expected a whole number of 0 or more");
  expect_min_error("甲,是,85,1e3,2024-06-30,soe",
                   "column \"n\" (D): \"1e3\" is not valid; expected a whole number of 0 or more");
  expect_min_error("甲,是,85,3%,2024-06-30,soe",
                   "column \"n\" (D): \"3%\" is not valid; expected a whole number of 0 or more");
  /* Too large for a decimal: reported as not valid (there is no "too large"). */
  expect_min_error("甲,是,85,99999999999999999999,2024-06-30,soe",
                   "column \"n\" (D): \"99999999999999999999\" is too large (at most 1000000000000000); expected a whole number of 0 or more");
  /* Lenient forms dec_parse admits. */
  expect_min_slot("甲,是,85,2.,2024-06-30,soe", I_N, 2000);
}

/* ==== date ==== */

static void test_date_values(void **state) {
  (void)state;
  expect_min_slot("甲,是,85,1,2024-06-30,soe", I_DAY, 19904);
  expect_min_slot("甲,是,85,1,2024/6/30,soe", I_DAY, 19904);
  expect_min_slot("甲,是,85,1,1970-01-01,soe", I_DAY, 0);
  expect_min_slot("甲,是,85,1,1969-12-31,soe", I_DAY, -1);
}

static void test_date_no_such_day(void **state) {
  (void)state;
  expect_min_error("甲,是,85,1,2023-02-30,soe",
                   "column \"day\" (E): \"2023-02-30\" is not a day of the calendar; expected a date, like 2024-06-30");
  expect_min_error("甲,是,85,1,2023/13/1,soe",
                   "column \"day\" (E): \"2023/13/1\" is not a day of the calendar; expected a date, like 2024-06-30");
}

static void test_date_not_a_date(void **state) {
  (void)state;
  expect_min_error("甲,是,85,1,2024-6,soe",
                   "column \"day\" (E): \"2024-6\" is not valid; expected a date, like 2024-06-30");
  expect_min_error("甲,是,85,1,2024年6月30日,soe",
                   "column \"day\" (E): \"2024年6月30日\" is not valid; expected a date, like 2024-06-30");
  expect_min_error("甲,是,85,1,45473,soe",
                   "column \"day\" (E): \"45473\" is not valid; expected a date, like 2024-06-30");
}

/* ==== enum ==== */

static void test_enum_by_name_and_label(void **state) {
  (void)state;
  expect_min_slot("甲,是,85,1,2024-06-30,soe", I_KIND, 0);
  expect_min_slot("甲,是,85,1,2024-06-30,private", I_KIND, 1);
  expect_min_slot("甲,是,85,1,2024-06-30,国有企业", I_KIND, 0);
  expect_min_slot("甲,是,85,1,2024-06-30,非公企业", I_KIND, 1);
  expect_min_slot("甲,是,85,1,2024-06-30,\xe3\x80\x80非公企业 ", I_KIND, 1);
}

static void test_enum_invalid(void **state) {
  (void)state;
  expect_min_error("甲,是,85,1,2024-06-30,外资企业",
                   "column \"kind\" (F): \"外资企业\" is not valid; expected one of 国有企业 (soe), 非公企业 (private)");
  expect_min_error("甲,是,85,1,2024-06-30,SOE",
                   "column \"kind\" (F): \"SOE\" is not valid; expected one of 国有企业 (soe), 非公企业 (private)");
  expect_min_error("甲,是,85,1,2024-06-30,国有",
                   "column \"kind\" (F): \"国有\" is not valid; expected one of 国有企业 (soe), 非公企业 (private)");
  expect_min_error("甲,是,85,1,2024-06-30,0",
                   "column \"kind\" (F): \"0\" is not valid; expected one of 国有企业 (soe), 非公企业 (private)");
}

/* ==== blanks and defaults ==== */

static void test_blank_takes_default(void **state) {
  (void)state;
  expect_min_slot("甲,是,85,,2024-06-30,soe", I_N, 0);
  expect_min_slot("甲,是,85,   ,2024-06-30,soe", I_N, 0);
  expect_min_slot("甲,是,85,\xe3\x80\x80,2024-06-30,soe", I_N, 0);
}

/* A blank required cell reads as VM_MISSING: an error only if the record
 * needs the value (the VM stops on it), worded by rec_missing. */
static void expect_min_missing(const char *row, uint32_t input, const char *msg) {
  char csv[512];
  snprintf(csv, sizeof csv, MIN_HEADER "%s\n", row);
  fixture *f = open_csv(g_min, csv);
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_true(f->slots[input] == VM_MISSING);
  rec_missing(&f->map, input, f->err, sizeof f->err);
  assert_string_equal(f->err, msg);
  close_csv(f);
}

static void test_blank_required(void **state) {
  (void)state;
  expect_min_missing("甲,,85,1,2024-06-30,soe", I_OK, "column \"ok\" (B): blank, but 'ok' is required (达标)");
  expect_min_missing("甲,是, ,1,2024-06-30,soe", I_RATE,
                     "column \"rate\" (C): blank, but 'rate' is required (职工入会率)");
  expect_min_missing("甲,是,85,1,\xe3\x80\x80\t,soe", I_DAY, "column \"day\" (E): blank, but 'day' is required (日期)");
  expect_min_missing("甲,是,85,1,2024-06-30,\"\"", I_KIND, "column \"kind\" (F): blank, but 'kind' is required (类别)");
}

static void test_blank_required_label_header(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, "备注,类别,达标,职工入会率,日期\n,soe,是,,2024-06-30\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_true(f->slots[I_RATE] == VM_MISSING);
  rec_missing(&f->map, I_RATE, f->err, sizeof f->err);
  assert_string_equal(f->err, "column \"职工入会率\" (D): blank, but 'rate' is required (职工入会率)");
  close_csv(f);
}

static void test_range_policy_defaults(void **state) {
  (void)state;
  expect_range_slot("乙,1,60,3,2022-06-01,2022-06-01,2022-06-01,,a", R_FLAG, 1);
  expect_range_slot("乙,1,60,3,2022-06-01,2022-06-01,2022-06-01,否,", R_GRADE, 1);
  expect_range_slot("乙,1,60,3,2022-06-01,2022-06-01,2022-06-01,否,乙", R_GRADE, 1);
  expect_range_slot(RANGE_GOOD, R_GRADE, 0);
}

/* ==== trimming ==== */

static void test_values_trimmed(void **state) {
  (void)state;
  bool_is("  是  ", 1);
  bool_is("\t否\t", 0);
  bool_is("\xe3\x80\x80是\xe3\x80\x80", 1);
  bool_is("\xe3\x80\x80 \xe3\x80\x80Y\xe3\x80\x80\t ", 1);
  rate_is(" 85% ", 85000);
  rate_is("\xe3\x80\x80" "85\xe3\x80\x80", 85000);
  expect_min_slot("甲,是,85,  7 ,2024-06-30,soe", I_N, 7000);
  expect_min_slot("甲,是,85,1,\xe3\x80\x80 2024-06-30 \xe3\x80\x80,soe", I_DAY, 19904);
  /* the no-break space of cells copied from a web page */
  bool_is("\xc2\xa0是\xc2\xa0", 1);
  rate_is("\xc2\xa0" "87.5%\xc2\xa0", 87500);
}

/* Only the ends are trimmed: a space inside a value is kept. */
static void test_inner_space_kept(void **state) {
  (void)state;
  expect_min_error("甲,是,8 5,1,2024-06-30,soe",
                   "column \"rate\" (C): \"8 5\" is not valid; expected a percentage from 0 to 100, like 85% or 85");
  /* The message shows the trimmed value. */
  expect_min_error("甲,\xe3\x80\x80 no way \xe3\x80\x80,85,1,2024-06-30,soe",
                   "column \"ok\" (B): \"no way\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
}

/* The key cell's text should be trimmed like every other cell: "  一厂　"
 * names the same unit as "一厂". */
static void test_key_trimmed(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, MIN_HEADER "  一厂\xe3\x80\x80,是,85,1,2024-06-30,soe\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_non_null(f->key);
  assert_string_equal(f->key, "一厂");
  close_csv(f);
}

/* ==== written ranges ==== */

static void test_range_good_row(void **state) {
  (void)state;
  fixture *f = open_csv(g_range, RANGE_HEADER RANGE_GOOD "\n");
  assert_int_equal(f->rc, 0);
  assert_int_equal(next(f), 0);
  assert_string_equal(f->key, "乙");
  assert_int_equal(f->slots[R_SCORE], 1000);
  assert_int_equal(f->slots[R_SHARE], 60000);
  assert_int_equal(f->slots[R_CNT], 3000);
  assert_int_equal(f->slots[R_WHEN], day(2022, 6, 1));
  assert_int_equal(f->slots[R_SINCE], day(2022, 6, 1));
  assert_int_equal(f->slots[R_UNTIL], day(2022, 6, 1));
  assert_int_equal(f->slots[R_FLAG], 1);
  assert_int_equal(f->slots[R_GRADE], 0);
  close_csv(f);
}

static void test_range_bounds_inclusive(void **state) {
  (void)state;
  expect_range_slot("乙,-5,60,3,2022-06-01,2022-06-01,2022-06-01,是,a", R_SCORE, -5000);
  expect_range_slot("乙,7.5,60,3,2022-06-01,2022-06-01,2022-06-01,是,a", R_SCORE, 7500);
  expect_range_slot("乙,1,50%,3,2022-06-01,2022-06-01,2022-06-01,是,a", R_SHARE, 50000);
  /* A written lower bound replaces 0..100: no upper bound is left. */
  expect_range_slot("乙,1,150%,3,2022-06-01,2022-06-01,2022-06-01,是,a", R_SHARE, 150000);
  /* A written upper bound replaces "0 or more". */
  expect_range_slot("乙,1,60,-7,2022-06-01,2022-06-01,2022-06-01,是,a", R_CNT, -7000);
  expect_range_slot("乙,1,60,10,2022-06-01,2022-06-01,2022-06-01,是,a", R_CNT, 10000);
  expect_range_slot("乙,1,60,3,2020-01-01,2022-06-01,2022-06-01,是,a", R_WHEN, day(2020, 1, 1));
  expect_range_slot("乙,1,60,3,2024-12-31,2022-06-01,2022-06-01,是,a", R_WHEN, day(2024, 12, 31));
  expect_range_slot("乙,1,60,3,2022-06-01,9999-12-31,2022-06-01,是,a", R_SINCE, DATE_MAX);
  expect_range_slot("乙,1,60,3,2022-06-01,2022-06-01,0001-01-01,是,a", R_UNTIL, DATE_MIN);
}

static void test_range_messages_numbers(void **state) {
  (void)state;
  expect_range_error("乙,7.501,60,3,2022-06-01,2022-06-01,2022-06-01,是,a",
                     "column \"pts\" (B): \"7.501\" is out of range; expected a number from -5 to 7.5");
  expect_range_error("乙,-5.5,60,3,2022-06-01,2022-06-01,2022-06-01,是,a",
                     "column \"pts\" (B): \"-5.5\" is out of range; expected a number from -5 to 7.5");
  expect_range_error("乙,1,49.999%,3,2022-06-01,2022-06-01,2022-06-01,是,a",
                     "column \"share\" (C): \"49.999%\" is out of range; expected a percentage of 50 or more, like 85% or 85");
  expect_range_error("乙,1,60,11,2022-06-01,2022-06-01,2022-06-01,是,a",
                     "column \"cnt\" (D): \"11\" is out of range; expected a whole number of 10 or less");
  expect_range_error("乙,1,60,2.5,2022-06-01,2022-06-01,2022-06-01,是,a",
                     "column \"cnt\" (D): \"2.5\" is not a whole number; expected a whole number of 10 or less");
  expect_range_error("乙,abc,60,3,2022-06-01,2022-06-01,2022-06-01,是,a",
                     "column \"pts\" (B): \"abc\" is not valid; expected a number from -5 to 7.5");
}

static void test_range_messages_dates(void **state) {
  (void)state;
  expect_range_error("乙,1,60,3,2019-12-31,2022-06-01,2022-06-01,是,a",
                     "column \"dated\" (E): \"2019-12-31\" is out of range; expected a date from 2020-01-01 to 2024-12-31, like 2024-06-30");
  expect_range_error("乙,1,60,3,2025-01-01,2022-06-01,2022-06-01,是,a",
                     "column \"dated\" (E): \"2025-01-01\" is out of range; expected a date from 2020-01-01 to 2024-12-31, like 2024-06-30");
  expect_range_error("乙,1,60,3,2022-06-01,2019-12-31,2022-06-01,是,a",
                     "column \"begun\" (F): \"2019-12-31\" is out of range; expected a date on or after 2020-01-01, like 2024-06-30");
  expect_range_error("乙,1,60,3,2022-06-01,2022-06-01,2025/1/1,是,a",
                     "column \"until\" (G): \"2025/1/1\" is out of range; expected a date on or before 2024-12-31, like 2024-06-30");
  expect_range_error("乙,1,60,3,2022-06-01,2022-06-01,2023-02-29,是,a",
                     "column \"until\" (G): \"2023-02-29\" is not a day of the calendar; expected a date on or before 2024-12-31, like 2024-06-30");
}

static void test_range_enum_without_labels(void **state) {
  (void)state;
  /* A value with no label is shown (and matched) by its name. */
  expect_range_error("乙,1,60,3,2022-06-01,2022-06-01,2022-06-01,是,c",
                     "column \"grade\" (I): \"c\" is not valid; expected one of a, 乙 (b)");
  expect_range_slot("乙,1,60,3,2022-06-01,2022-06-01,2022-06-01,是,b", R_GRADE, 1);
}

/* ==== long values in messages ==== */

static void test_long_value_cut_in_message(void **state) {
  (void)state;
  /* 70 ASCII letters: shown as the first 60 and an ellipsis. */
  char row[256], want[512], cell[80];
  memset(cell, 'z', 70);
  cell[70] = 0;
  snprintf(row, sizeof row, "甲,%s,85,1,2024-06-30,soe", cell);
  snprintf(want, sizeof want,
           "column \"ok\" (B): \"%.60s…\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)", cell);
  expect_min_error(row, want);
}

static void test_long_value_cut_at_char_boundary(void **state) {
  (void)state;
  /* "a" then 25 three-byte characters (76 bytes): byte 60 falls inside the
   * 20th character (bytes 58..60), so the cut is at 58: "a" + 19 chars. */
  char cell[128] = "a";
  for (int i = 0; i < 25; i++) strcat(cell, "否");
  char row[256], want[512], shown[64] = "a";
  for (int i = 0; i < 19; i++) strcat(shown, "否");
  snprintf(row, sizeof row, "甲,%s,85,1,2024-06-30,soe", cell);
  snprintf(want, sizeof want,
           "column \"ok\" (B): \"%s…\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)", shown);
  expect_min_error(row, want);
}

static void test_value_of_exactly_60_bytes_not_cut(void **state) {
  (void)state;
  char cell[64];
  memset(cell, 'q', 60);
  cell[60] = 0;
  char row[256], want[512];
  snprintf(row, sizeof row, "甲,%s,85,1,2024-06-30,soe", cell);
  snprintf(want, sizeof want,
           "column \"ok\" (B): \"%s\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)", cell);
  expect_min_error(row, want);
}

/* ==== the first bad cell wins, in input order ==== */

static void test_first_bad_input_reported(void **state) {
  (void)state;
  expect_min_error("甲,maybe,abc,x,bad,none",
                   "column \"ok\" (B): \"maybe\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
  /* Input order, not column order: 'ok' (input 1) is checked before 'kind'
   * even though kind's column comes first. */
  fixture *f = open_csv(g_min, "kind,ok,rate,day\nnone,maybe,85,2024-06-30\n");
  assert_int_equal(next(f), -1);
  assert_string_equal(f->err,
                      "column \"ok\" (B): \"maybe\" is not valid; expected yes or no (是/否, Y/N, √/×, 1/0)");
  close_csv(f);
}

static void test_error_truncated_to_errsz(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, MIN_HEADER "甲,maybe,85,1,2024-06-30,soe\n");
  assert_int_equal(csv_next(f->rd, &f->row), CSV_ROW);
  char small[20];
  memset(small, 'X', sizeof small);
  const char *key;
  assert_int_equal(rec_parse(&f->map, &f->row, f->slots, &key, small, sizeof small), -1);
  assert_string_equal(small, "column \"ok\" (B):…"); /* cut, and said to be */
  close_csv(f);
}

/* A message cut inside a Chinese character keeps the whole character out. */
static void test_error_truncated_at_a_character(void **state) {
  (void)state;
  fixture *f = open_csv(g_min, MIN_HEADER "甲,是,85,1,2024-06-30,外资企业\n");
  assert_int_equal(csv_next(f->rd, &f->row), CSV_ROW);
  char small[30]; /* "column \"kind\" (F): \"外" would cut 资 */
  const char *key;
  assert_int_equal(rec_parse(&f->map, &f->row, f->slots, &key, small, sizeof small), -1);
  assert_string_equal(small, "column \"kind\" (F): \"外资…");
  close_csv(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(test_program_inputs, close_all),
      cmocka_unit_test_teardown(test_column_letters, close_all),
      cmocka_unit_test_teardown(test_header_by_name, close_all),
      cmocka_unit_test_teardown(test_header_by_label_any_order, close_all),
      cmocka_unit_test_teardown(test_header_names_and_labels_mixed, close_all),
      cmocka_unit_test_teardown(test_header_ignored_columns, close_all),
      cmocka_unit_test_teardown(test_header_cells_trimmed, close_all),
      cmocka_unit_test_teardown(test_header_missing_required, close_all),
      cmocka_unit_test_teardown(test_header_duplicate_input, close_all),
      cmocka_unit_test_teardown(test_header_defaults_only_policy, close_all),
      cmocka_unit_test_teardown(test_empty_header_refused, close_all),
      cmocka_unit_test_teardown(test_row_all_slots, close_all),
      cmocka_unit_test_teardown(test_row_labels_header_many_rows, close_all),
      cmocka_unit_test_teardown(test_row_no_key_column, close_all),
      cmocka_unit_test_teardown(test_row_blank_key_allowed, close_all),
      cmocka_unit_test_teardown(test_row_cell_count, close_all),
      cmocka_unit_test_teardown(test_row_cell_count_key, close_all),
      cmocka_unit_test_teardown(test_row_bad_cell_key, close_all),
      cmocka_unit_test_teardown(test_bool_yes_forms, close_all),
      cmocka_unit_test_teardown(test_bool_no_forms, close_all),
      cmocka_unit_test_teardown(test_bool_invalid, close_all),
      cmocka_unit_test_teardown(test_bool_under_label_header, close_all),
      cmocka_unit_test_teardown(test_percent_forms, close_all),
      cmocka_unit_test_teardown(test_percent_out_of_range, close_all),
      cmocka_unit_test_teardown(test_percent_invalid, close_all),
      cmocka_unit_test_teardown(test_int_values, close_all),
      cmocka_unit_test_teardown(test_int_not_whole, close_all),
      cmocka_unit_test_teardown(test_int_out_of_range, close_all),
      cmocka_unit_test_teardown(test_int_invalid, close_all),
      cmocka_unit_test_teardown(test_date_values, close_all),
      cmocka_unit_test_teardown(test_date_no_such_day, close_all),
      cmocka_unit_test_teardown(test_date_not_a_date, close_all),
      cmocka_unit_test_teardown(test_enum_by_name_and_label, close_all),
      cmocka_unit_test_teardown(test_enum_invalid, close_all),
      cmocka_unit_test_teardown(test_blank_takes_default, close_all),
      cmocka_unit_test_teardown(test_blank_required, close_all),
      cmocka_unit_test_teardown(test_blank_required_label_header, close_all),
      cmocka_unit_test_teardown(test_range_policy_defaults, close_all),
      cmocka_unit_test_teardown(test_values_trimmed, close_all),
      cmocka_unit_test_teardown(test_inner_space_kept, close_all),
      cmocka_unit_test_teardown(test_key_trimmed, close_all),
      cmocka_unit_test_teardown(test_range_good_row, close_all),
      cmocka_unit_test_teardown(test_range_bounds_inclusive, close_all),
      cmocka_unit_test_teardown(test_range_messages_numbers, close_all),
      cmocka_unit_test_teardown(test_range_messages_dates, close_all),
      cmocka_unit_test_teardown(test_range_enum_without_labels, close_all),
      cmocka_unit_test_teardown(test_long_value_cut_in_message, close_all),
      cmocka_unit_test_teardown(test_long_value_cut_at_char_boundary, close_all),
      cmocka_unit_test_teardown(test_value_of_exactly_60_bytes_not_cut, close_all),
      cmocka_unit_test_teardown(test_first_bad_input_reported, close_all),
      cmocka_unit_test_teardown(test_error_truncated_to_errsz, close_all),
      cmocka_unit_test_teardown(test_error_truncated_at_a_character, close_all),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
