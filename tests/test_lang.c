/* test_lang.c — the front end of the issue-3 constructs (tables, when,
 * acknowledge, indices and checks, in/by, dates, veto caps, cumulative
 * ratings, quotas, targets, audits, examples, category, default none,
 * include and extends), through compile_source: error and warning counts,
 * and every diagnostic compared in full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "lang/ast.h"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct {
  int errors, warnings;
  int has_tree, has_tbc;
  char *diags; /* malloc'd */
} checked;

static checked compile_named(const char *path, const char *src) {
  checked c = {0};
  size_t n = 0;
  FILE *f = open_memstream(&c.diags, &n);
  assert_non_null(f);
  compile_result r;
  compile_source(path, src, strlen(src), f, 1, &r);
  fclose(f);
  c.errors = r.errors;
  c.warnings = r.warnings;
  c.has_tree = r.tree != NULL;
  c.has_tbc = r.tbc != NULL && r.tbc_len > 0;
  compile_result_free(&r);
  return c;
}

/* Compare a malloc'd text with the expected one, freeing it first so that
 * a failing test leaks nothing. */
static void check_text(char *got, const char *want) {
  int same = got && strcmp(got, want) == 0;
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", got ? got : "(null)", want);
  free(got);
  if (!same) fail();
}

/* Exactly these counts and this text; the bytecode exists exactly when
 * there is no error. */
static void expect_checked(checked c, int errors, int warnings, const char *text) {
  check_text(c.diags, text);
  assert_int_equal(c.errors, errors);
  assert_int_equal(c.warnings, warnings);
  assert_true(c.has_tree);
  assert_int_equal(c.has_tbc, errors == 0);
}

static void expect_diags(const char *src, int errors, int warnings, const char *text) {
  expect_checked(compile_named("t.tally", src), errors, warnings, text);
}
#define EXPECT_CLEAN(src) expect_diags((src), 0, 0, "")

/* A syntax error: no tree, exactly one error printing `text`. */
static void expect_syntax(const char *src, const char *text) {
  checked c = compile_named("t.tally", src);
  check_text(c.diags, text);
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
  assert_false(c.has_tbc);
}

/* A policy of scale 10 with one section and one item worth 10, the given
 * inputs (from line 3) and rules, and what comes after (a rating…). */
static char *policy(const char *inputs, const char *rules, const char *after) {
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  assert_non_null(f);
  fprintf(f,
          "policy t.c \"c\" { scale 10 }\n"
          "input {\n"
          "%s\n"
          "}\n"
          "section \"S\" 10 {\n"
          "  item 1 \"t\" 10 {\n"
          "%s\n"
          "  }\n"
          "}\n"
          "%s",
          inputs, rules, after);
  fclose(f);
  return s;
}

static void expect_p(char *src, int errors, int warnings, const char *text) {
  checked c = compile_named("t.tally", src);
  free(src);
  expect_checked(c, errors, warnings, text);
}
#define EXPECT_P(inputs, rules, after, errors, warnings, text) \
  expect_p(policy((inputs), (rules), (after)), (errors), (warnings), (text))
#define EXPECT_P_CLEAN(inputs, rules, after) EXPECT_P((inputs), (rules), (after), 0, 0, "")

/* A rating by score, for the policies of the template. */
#define RATING "rating \"星级\" { \"优秀\" if score >= 9  \"良好\" if score >= 6  else none }\n"

/* ---- files on disk, for include and extends ----------------------------------- */

/* Each test of includes gets a fresh directory from mkdtemp(); the
 * teardown removes whatever was written there. */
static int dir_setup(void **state) {
  char *dir = strdup("/tmp/tally-lang-XXXXXX");
  if (!dir || !mkdtemp(dir)) {
    free(dir);
    return -1;
  }
  *state = dir;
  return 0;
}

static int dir_teardown(void **state) {
  char *dir = *state;
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  int rc = rmdir(dir);
  free(dir);
  return rc;
}

static void put_file(const char *dir, const char *name, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* The text with every '@' replaced by the directory (no '@' is otherwise
 * used in these policies). */
static char *in_dir(const char *text, const char *dir) {
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  assert_non_null(f);
  for (const char *p = text; *p; p++) {
    if (*p == '@') fputs(dir, f);
    else fputc(*p, f);
  }
  fclose(f);
  return s;
}

/* Compile dir/name as the CLI would: read from disk, named by its path. */
static checked compile_in_dir(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  char *text = compile_read_file(path, &len);
  assert_non_null(text);
  checked c = compile_named(path, text);
  free(text);
  return c;
}

static void expect_in_dir(const char *dir, const char *name, int errors, int warnings, const char *text) {
  checked c = compile_in_dir(dir, name);
  char *want = in_dir(text, dir);
  int same = c.diags && strcmp(c.diags, want) == 0;
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", c.diags ? c.diags : "(null)", want);
  free(want);
  free(c.diags);
  if (!same) fail();
  assert_int_equal(c.errors, errors);
  assert_int_equal(c.warnings, warnings);
  assert_int_equal(c.has_tbc, errors == 0);
}

/* ---- tables, when, acknowledge: clean --------------------------------------- */

/* One table per value of the category (== and in), items numbered anew in
 * each table, `when` on an item and on a rule. */
static void test_tables_when_clean(void **state) {
  (void)state;
  EXPECT_CLEAN("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "  is_company bool \"公司制企业\"\n"
               "}\n"
               "table \"附件1 国有企业工会\" when kind == soe {\n"
               "  section \"组织建设\" 6 {\n"
               "    item 1 \"召开会员大会\" 4 { zero unless held \"未召开\" }\n"
               "    item 2 \"职工董事制度\" 2 when is_company { zero unless held \"未建立\" }\n"
               "  }\n"
               "  section \"民主管理\" 4 {\n"
               "    item 3 \"厂务公开\" 4 { deduct 2 unless held \"未公开\" when is_company }\n"
               "  }\n"
               "}\n"
               "table \"附件2 其他工会\" when kind in (private, agency) {\n"
               "  section \"组织建设\" 10 {\n"
               "    item 1 \"召开会员大会\" 10 { zero unless held \"未召开\" }\n"
               "  }\n"
               "}\n"
               RATING);
}

/* A table whose sections do not reach the scale is an error… */
static void test_table_total_without_acknowledge(void **state) {
  (void)state;
  expect_diags("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "}\n"
               "table \"附件1\" when kind == soe {\n"
               "  section \"一\" 4 { item 1 \"召开大会\" 4 { zero unless held \"未召开\" } }\n"
               "  section \"二\" 5 { item 2 \"开展活动\" 5 { zero unless held \"未开展\" } }\n"
               "}\n"
               "table \"附件2\" when kind == private {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n",
               1, 0,
               "t.tally:6:1: error: the sections of table \"附件1\" add up to 9, but the scale is 10\n"
               " 6 | table \"附件1\" when kind == soe {\n"
               "   | ^~~~~\n");
}

/* …and with acknowledge inside the table, a warning that names the
 * acknowledgement; the policy still compiles. */
static void test_table_total_acknowledged(void **state) {
  (void)state;
  expect_diags("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "}\n"
               "table \"附件1\" when kind == soe {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n"
               "table \"附件2\" when kind == private {\n"
               "  acknowledge \"原表各项分值合计为9分\"\n"
               "  section \"一\" 9 { item 1 \"召开大会\" 9 { zero unless held \"未召开\" } }\n"
               "}\n",
               0, 1,
               "t.tally:9:1: warning: the sections of table \"附件2\" add up to 9, but the scale is 10\n"
               " 9 | table \"附件2\" when kind == private {\n"
               "   | ^~~~~\n"
               "hint: acknowledged: 原表各项分值合计为9分\n");
}

/* A section of a table whose items do not add up: an error… */
static void test_table_section_without_acknowledge(void **state) {
  (void)state;
  expect_diags("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "}\n"
               "table \"附件1\" when kind == soe {\n"
               "  section \"一\" 10 {\n"
               "    item 1 \"召开大会\" 4 { zero unless held \"未召开\" }\n"
               "    item 2 \"开展活动\" 5 { zero unless held \"未开展\" }\n"
               "  }\n"
               "}\n"
               "table \"附件2\" when kind == private {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n",
               1, 0,
               "t.tally:7:15: error: section \"一\" does not add up: items 9, section 10\n"
               " 7 |   section \"一\" 10 {\n"
               "   |                ^~\n"
               "hint: the items are worth 9 in all; the section says 10\n");
}

/* …acknowledged inside the section: a warning. */
static void test_table_section_acknowledged(void **state) {
  (void)state;
  expect_diags("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "}\n"
               "table \"附件1\" when kind == soe {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n"
               "table \"附件2\" when kind == private {\n"
               "  section \"一\" 10 {\n"
               "    acknowledge \"原表本节合计9分\"\n"
               "    item 1 \"召开大会\" 9 { zero unless held \"未召开\" }\n"
               "  }\n"
               "}\n",
               0, 1,
               "t.tally:10:15: warning: section \"一\" does not add up: items 9, section 10\n"
               " 10 |   section \"一\" 10 {\n"
               "    |                ^~\n"
               "hint: acknowledged: 原表本节合计9分\n");
}

/* acknowledge at the top level covers the policy's own sections. */
static void test_top_level_acknowledge(void **state) {
  (void)state;
  expect_diags("policy t.a \"致谢\" { scale 10 }\n"
               "input { a bool \"甲\" }\n"
               "acknowledge \"原文各部分合计9分\"\n"
               "section \"一\" 9 { item 1 \"甲\" 9 { zero unless a \"未达标\" } }\n",
               0, 1,
               "t.tally:1:25: warning: the sections add up to 9, but the scale is 10\n"
               " 1 | policy t.a \"致谢\" { scale 10 }\n"
               "   |                           ^~\n"
               "hint: acknowledged: 原文各部分合计9分\n");
}

/* ---- tables: errors ------------------------------------------------------------ */

static void test_table_missing_for_a_value(void **state) {
  (void)state;
  expect_diags("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "}\n"
               "table \"附件1\" when kind == soe {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n"
               "table \"附件2\" when kind == private {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n",
               1, 0,
               "t.tally:9:1: error: no table for kind = agency (机关)\n"
               " 9 | table \"附件2\" when kind == private {\n"
               "   | ^~~~~\n"
               "hint: add a table for it\n");
}

static void test_two_tables_for_one_value(void **state) {
  (void)state;
  expect_diags("policy t.t \"表\" { scale 10 }\n"
               "input {\n"
               "  kind enum(soe \"国有\", private \"非公\") \"类别\"\n"
               "  held bool \"召开大会\"\n"
               "}\n"
               "table \"附件1\" when kind == soe {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n"
               "table \"附件2\" when kind in (private, soe) {\n"
               "  section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n"
               "}\n",
               1, 0,
               "t.tally:9:36: error: two tables for kind = soe\n"
               " 9 | table \"附件2\" when kind in (private, soe) {\n"
               "   |                                      ^~~\n"
               "hint: table \"附件1\" already scores it\n");
}

/* ---- in, not in ------------------------------------------------------------------ */

static void test_in_and_not_in_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  k enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n  a bool \"a\"",
                 "    deduct 1 if k in (soe, private) and not a \"r\"\n"
                 "    deduct 1 if k not in (agency) \"s\"",
                 "");
}

static void test_in_value_not_of_the_enum(void **state) {
  (void)state;
  EXPECT_P("  k enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"", "    deduct 1 if k in (soe, privat) \"a\"", "",
           1, 0,
           "t.tally:7:28: error: 'privat' is not a value of 'k'\n"
           " 7 |     deduct 1 if k in (soe, privat) \"a\"\n"
           "   |                            ^~~~~~\n"
           "hint: the values of 'k' are soe, private, agency\n");
}

static void test_in_needs_a_category(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    deduct 1 if n in (soe) \"a\"", "", 1, 0,
           "t.tally:7:17: error: 'in' needs a category, but this is a count\n"
           " 7 |     deduct 1 if n in (soe) \"a\"\n"
           "   |                 ^\n");
}

static void test_in_value_listed_twice(void **state) {
  (void)state;
  EXPECT_P("  k enum(soe \"国有\", private \"非公\") \"类别\"", "    deduct 1 if k not in (soe, soe) \"a\"", "", 0, 1,
           "t.tally:7:32: warning: 'soe' listed twice\n"
           " 7 |     deduct 1 if k not in (soe, soe) \"a\"\n"
           "   |                                ^~~\n");
}

/* ---- by ------------------------------------------------------------------------------ */

static void test_by_kind_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  k enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n  r percent \"入会率\"",
                 "    deduct 1 if r < by k { soe: 90%, private: 85%, agency: 80% } \"a\"", "");
}

static void test_by_kind_else_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  k enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n  r percent \"入会率\"",
                 "    deduct 1 if r < by k { soe: 90%, else: 85% } \"a\"", "");
}

static void test_by_kind_missing_value(void **state) {
  (void)state;
  EXPECT_P("  k enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n  r percent \"r\"",
           "    deduct 1 if r < by k { soe: 90%, private: 85% } \"a\"", "", 1, 0,
           "t.tally:8:21: error: no value for k = agency (机关)\n"
           " 8 |     deduct 1 if r < by k { soe: 90%, private: 85% } \"a\"\n"
           "   |                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
           "hint: add agency: …, or else: …\n");
}

static void test_by_kind_bracket(void **state) {
  (void)state;
  EXPECT_P("  k enum(x, y) \"k\"", "    deduct 1 if by k { < 1: 1, else: 2 } > 1 \"r\"", "", 1, 0,
           "t.tally:7:24: error: a category is not a number\n"
           " 7 |     deduct 1 if by k { < 1: 1, else: 2 } > 1 \"r\"\n"
           "   |                        ^~~~~~\n"
           "hint: list the values: soe: 90%, private: 85%\n");
}

/* The brackets of the brief: < 50, 50..100, > 100 over a count. */
static void test_by_staff_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  staff int \"职工人数\" range 0..\n  r percent \"互助参加率\"\n  x number \"x\"",
                 "    deduct 1 if r < by staff { < 50: 90%, 50..100: 80%, > 100: 70% } \"a\"\n"
                 "    deduct 1 if r < by x { < 1.5: 90%, >= 1.5: 80% } \"b\"\n"
                 "    deduct 1 if r < by staff { <= 10: 95%, else: 80% } \"c\"",
                 "");
}

static void test_by_bracket_gap(void **state) {
  (void)state;
  EXPECT_P("  x number \"x\"\n  r percent \"r\"", "    deduct 1 if r < by x { < 50: 90%, 60..100: 80%, > 100: 70% } \"a\"",
           "", 1, 0,
           "t.tally:8:39: error: values between 50 and 60 fall in no bracket\n"
           " 8 |     deduct 1 if r < by x { < 50: 90%, 60..100: 80%, > 100: 70% } \"a\"\n"
           "   |                                       ^~~~~~~~~~~~\n"
           "hint: make the brackets meet, or add else: …\n");
}

static void test_by_bracket_overlap(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"\n  r percent \"r\"", "    deduct 1 if r < by n { < 50: 90%, 50..100: 80%, >= 100: 70% } \"a\"",
           "", 1, 0,
           "t.tally:8:53: error: this bracket overlaps another\n"
           " 8 |     deduct 1 if r < by n { < 50: 90%, 50..100: 80%, >= 100: 70% } \"a\"\n"
           "   |                                                     ^~~~~~~~~~~\n");
}

static void test_by_values_below_first_bracket(void **state) {
  (void)state;
  EXPECT_P("  x number \"x\"\n  r percent \"r\"", "    deduct 1 if r < by x { 10..50: 90%, > 50: 80% } \"a\"", "", 1, 0,
           "t.tally:8:28: error: values below 10 fall in no bracket\n"
           " 8 |     deduct 1 if r < by x { 10..50: 90%, > 50: 80% } \"a\"\n"
           "   |                            ^~~~~~~~~~~\n"
           "hint: add a bracket below it, or else: …\n");
}

static void test_by_values_above_last_bracket(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"\n  r percent \"r\"", "    deduct 1 if r < by n { < 50: 90%, 50..100: 80% } \"a\"", "", 1, 0,
           "t.tally:8:39: error: values above 100 fall in no bracket\n"
           " 8 |     deduct 1 if r < by n { < 50: 90%, 50..100: 80% } \"a\"\n"
           "   |                                       ^~~~~~~~~~~~\n"
           "hint: add a bracket above it, or else: …\n");
}

static void test_by_value_not_constant(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"\n  r percent \"r\"", "    deduct 1 if r < by n { < 50: r, >= 50: 80% } \"a\"", "", 1, 0,
           "t.tally:8:34: error: the values of 'by' must be constants\n"
           " 8 |     deduct 1 if r < by n { < 50: r, >= 50: 80% } \"a\"\n"
           "   |                                  ^\n"
           "hint: write a number, a percentage, yes/no or a date\n");
}

static void test_by_empty_bracket(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    deduct 1 if by n { < 10: 1, 20..10: 2, else: 3 } > 1 \"r\"", "", 1, 0,
           "t.tally:7:33: error: empty bracket: 20 is above 10\n"
           " 7 |     deduct 1 if by n { < 10: 1, 20..10: 2, else: 3 } > 1 \"r\"\n"
           "   |                                 ^~~~~~~~~\n");
}

/* ---- dates --------------------------------------------------------------------------- */

/* as of in the header; within N years, within 1 year, years since, in this
 * year, year(d), == none and != none; an optional date with within. */
static void test_dates_clean(void **state) {
  (void)state;
  EXPECT_CLEAN("policy t.d \"日期\" { scale 10  effective 2025-03-01  as of 2025-12-31 }\n"
               "input {\n"
               "  acc     date \"最近一次事故日期\" default none\n"
               "  founded date \"成立日期\"\n"
               "  elected date \"换届日期\"\n"
               "}\n"
               "section \"S\" 10 {\n"
               "  item 1 \"按期换届\" 10 {\n"
               "    zero if years since elected > 5 \"超过五年未换届\"\n"
               "    deduct 2 if acc within 1 year \"一年内发生事故\"\n"
               "    deduct 1 if acc in this year or acc != none \"发生过事故\"\n"
               "    deduct 1 if year(founded) == 2025 and founded < as of \"当年成立\"\n"
               "  }\n"
               "}\n"
               "veto \"近三年内发生人员死亡的生产安全事故\" if acc within 3 years\n"
               "rating \"星级\" { \"达标\" if score >= 9 and acc == none else none }\n");
}

static void test_within_year_needs_years(void **state) {
  (void)state;
  expect_syntax("policy t.c \"c\" { }\ninput { acc date \"事故\" default none }\nveto \"v\" if acc within 2 year\n",
                "t.tally:3:26: error: expected 'years', found 'year'\n"
                " 3 | veto \"v\" if acc within 2 year\n"
                "   |                          ^~~~\n"
                "hint: write: within 1 year, within 3 years\n");
}

static void test_within_zero_years(void **state) {
  (void)state;
  expect_syntax("policy t.c \"c\" { }\ninput { acc date \"事故\" default none }\nveto \"v\" if acc within 0 years\n",
                "t.tally:3:24: error: a whole number of years from 1 to 1000\n"
                " 3 | veto \"v\" if acc within 0 years\n"
                "   |                        ^\n");
}

static void test_in_this_needs_year(void **state) {
  (void)state;
  expect_syntax("policy t.c \"c\" { }\ninput { acc date \"事故\" default none }\nveto \"v\" if acc in this month\n",
                "t.tally:3:25: error: expected 'year', found 'month'\n"
                " 3 | veto \"v\" if acc in this month\n"
                "   |                         ^~~~~\n"
                "hint: write: in this year\n");
}

static void test_as_needs_of(void **state) {
  (void)state;
  expect_syntax("policy t.c \"c\" { as 2025-01-01 }\n",
                "t.tally:1:21: error: expected 'of', found '2025-01-01'\n"
                " 1 | policy t.c \"c\" { as 2025-01-01 }\n"
                "   |                     ^~~~~~~~~~\n");
}

static void test_default_none_on_a_count(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\" default none", "    deduct 1 per n max 3 \"r\"", "", 1, 0,
           "t.tally:3:21: error: 'n' is a count: it cannot default to none\n"
           " 3 |   n int \"n\" default none\n"
           "   |                     ^~~~\n"
           "hint: only a date may be none (no such event)\n");
}

/* ---- category ------------------------------------------------------------------------ */

static void test_category_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  id text \"名称\" key\n  k enum(soe \"国有\", private \"非公\") \"类别\" category\n  a bool \"a\"",
                 "    deduct 1 unless a \"r\"", "");
}

static void test_second_category(void **state) {
  (void)state;
  EXPECT_P("  k enum(a, b) \"k\" category\n  j enum(c, d) \"j\" category", "    deduct 1 if k == a and j == c \"r\"", "", 1,
           0,
           "t.tally:4:3: error: a second category ('k' is the category)\n"
           " 4 |   j enum(c, d) \"j\" category\n"
           "   |   ^\n");
}

static void test_category_not_an_enum(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\" category", "    deduct 1 per n max 3 \"r\"", "", 1, 0,
           "t.tally:3:3: error: the category must be an enum; 'n' is a count\n"
           " 3 |   n int \"n\" category\n"
           "   |   ^\n");
}

/* ---- indices and checks -------------------------------------------------------------- */

/* A check-only policy: indices with when, checks with when, by inside a
 * check, and all / any / count / share in a cumulative rating. */
static void test_indices_and_cumulative_rating_clean(void **state) {
  (void)state;
  EXPECT_CLEAN("policy t.i \"指数\" { }\n"
               "input {\n"
               "  kind  enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\" category\n"
               "  staff int \"职工人数\" range 0..\n"
               "  rate  percent \"医疗互助参加率\"\n"
               "  a     bool \"依法建立工会\"\n"
               "  b     bool \"开展劳动法律监督\"\n"
               "  c     bool \"创新项目\"\n"
               "}\n"
               "index basic \"基本指数\" {\n"
               "  check \"依法建立工会委员会\" a\n"
               "  check \"医疗互助参加率达标\" rate >= by staff { < 50: 90%, 50..100: 80%, > 100: 70% }\n"
               "  check \"开展劳动法律监督\" b when kind != agency\n"
               "}\n"
               "index innovation \"创新指数\" when kind in (soe, private) {\n"
               "  check \"创新项目\" c\n"
               "}\n"
               "rating \"星级\" cumulative {\n"
               "  \"三星级\" if share(basic) >= 95% and any(innovation)\n"
               "  \"二星级\" if count(basic) >= 2\n"
               "  \"一星级\" if all(basic)\n"
               "  else none\n"
               "}\n");
}

static void test_index_without_checks(void **state) {
  (void)state;
  expect_diags("policy t.i \"指数\" { }\n"
               "input { a bool \"甲\" }\n"
               "index basic \"基本指数\" { check \"建立工会\" a }\n"
               "index empty \"空指数\" { }\n"
               "rating \"达标情况\" { \"达标\" if all(basic) and all(empty) else \"未达标\" }\n",
               1, 0,
               "t.tally:4:7: error: index 'empty' has no checks\n"
               " 4 | index empty \"空指数\" { }\n"
               "   |       ^~~~~\n"
               "hint: add its checks: check \"…\" condition\n");
}

static void test_index_never_used(void **state) {
  (void)state;
  expect_diags("policy t.i \"指数\" { }\n"
               "input { a bool \"甲\" }\n"
               "index basic \"基本指数\" { check \"建立工会\" a }\n"
               "index extra \"多余指数\" { check \"甲\" a }\n"
               "rating \"达标情况\" { \"达标\" if all(basic) else \"未达标\" }\n",
               0, 1,
               "t.tally:4:7: warning: index 'extra' is never used\n"
               " 4 | index extra \"多余指数\" { check \"甲\" a }\n"
               "   |       ^~~~~\n"
               "hint: use it in the rating: all(…), share(…) >= 80%\n");
}

static void test_check_constant(void **state) {
  (void)state;
  expect_diags("policy t.i \"指数\" { }\n"
               "input { a bool \"甲\" }\n"
               "index basic \"基本指数\" {\n"
               "  check \"建立工会\" a\n"
               "  check \"恒比\" 1 < 2\n"
               "}\n"
               "rating \"达标情况\" { \"达标\" if all(basic) else \"未达标\" }\n",
               0, 1,
               "t.tally:5:14: warning: this check is the same for every record\n"
               " 5 |   check \"恒比\" 1 < 2\n"
               "   |                ^~~~~\n"
               "hint: a check should read the record\n");
}

static void test_veto_constant(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", "veto \"恒否决\" if no\n" RATING, 0, 1,
           "t.tally:10:15: warning: this veto is the same for every record\n"
           " 10 | veto \"恒否决\" if no\n"
           "    |                  ^~\n"
           "hint: a veto should read the record\n");
}

/* all(basic) is used by the rating too, so the only finding is the check's. */
static void test_check_cannot_use_an_index(void **state) {
  (void)state;
  expect_diags("policy t.i \"指数\" { }\n"
               "input { a bool \"甲\" }\n"
               "index basic \"基本\" { check \"甲\" a }\n"
               "index more \"更多\" { check \"基本达标\" all(basic) }\n"
               "rating \"星级\" { \"优\" if all(more) and all(basic) else none }\n",
               1, 0,
               "t.tally:4:32: error: a check cannot use an index\n"
               " 4 | index more \"更多\" { check \"基本达标\" all(basic) }\n"
               "   |                                      ^~~~~~~~~~\n"
               "hint: checks are pass/fail facts of the record\n");
}

static void test_all_of_an_input(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", "rating \"星级\" { \"优\" if all(a) else none }\n", 1, 0,
           "t.tally:10:26: error: all needs an index\n"
           " 10 | rating \"星级\" { \"优\" if all(a) else none }\n"
           "    |                             ^\n"
           "hint: all(…) and any(…) take the name of an index\n");
}

/* ---- vetoes and ratings --------------------------------------------------------------- */

static void test_veto_at_most_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  a bool \"a\"\n  inspected bool \"年检合格\"\n  incident bool \"群体性事件\"", "    deduct 1 unless a \"r\"",
                 "veto \"年检不合格的最高评为三星级\" if not inspected at most \"三星级\"\n"
                 "veto \"发生群体性事件\" if incident\n"
                 "rating \"星级\" {\n"
                 "  \"五星级\" if score >= 9\n"
                 "  \"四星级\" if score >= 8\n"
                 "  \"三星级\" if score >= 7\n"
                 "  else none\n"
                 "}\n");
}

static void test_level_same_condition_unreachable(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  b bool \"b\"", "    deduct 1 unless a \"r\"",
           "rating \"星级\" {\n"
           "  \"优\" if score >= 9 and b\n"
           "  \"良\" if score >= 9 and b\n"
           "  else none\n"
           "}\n",
           0, 1,
           "t.tally:13:3: warning: level \"良\" can never be reached: \"优\" above it has the same condition\n"
           " 13 |   \"良\" if score >= 9 and b\n"
           "    |   ^~~~\n");
}

static void test_rating_outside_targets_and_audits(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"",
           "veto \"v\" if rating == \"优秀\"\n" RATING, 1, 0,
           "t.tally:10:13: error: 'rating' is known only in targets and audits\n"
           " 10 | veto \"v\" if rating == \"优秀\"\n"
           "    |             ^~~~~~\n");
}

static void test_rating_inside_a_level(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"",
           "rating \"星级\" { \"优秀\" if score >= 9 and rating == none else none }\n", 1, 0,
           "t.tally:10:38: error: 'rating' is known only in targets and audits\n"
           " 10 | rating \"星级\" { \"优秀\" if score >= 9 and rating == none else none }\n"
           "    |                                          ^~~~~~\n");
}

/* ---- population rules: quotas, targets, audits -------------------------------------- */

static void test_quotas_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  id text \"名称\" key\n  a bool \"a\"\n  founded date \"成立日期\"", "    deduct 1 unless a \"r\"",
                 RATING
                 "quota \"优秀\" at most 20% enforce ties by founded\n"
                 "quota \"良好\" at most 50% report\n");
}

static void test_quota_unknown_level(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", RATING "quota \"优\" at most 20% enforce\n", 1, 0,
           "t.tally:11:7: error: no level \"优\"\n"
           " 11 | quota \"优\" at most 20% enforce\n"
           "    |       ^~~~\n"
           "hint: the levels are \"优秀\", \"良好\"\n");
}

static void test_quota_ties_by_a_yes_no(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", RATING "quota \"优秀\" at most 20% enforce ties by a\n", 1, 0,
           "t.tally:11:40: error: 'a' cannot rank records\n"
           " 11 | quota \"优秀\" at most 20% enforce ties by a\n"
           "    |                                          ^\n"
           "hint: ties are broken by a number, a date or the key\n");
}

static void test_quota_needs_enforce_or_report(void **state) {
  (void)state;
  expect_syntax("policy t.c \"c\" { }\ninput { x bool \"x\" }\nquota \"A\" at most 20%\n",
                "t.tally:3:22: error: expected 'enforce' or 'report', found the end of the file\n"
                " 3 | quota \"A\" at most 20%\n"
                "   |                      ^\n");
}

static void test_targets_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  k enum(soe \"国有\", private \"非公\") \"类别\"\n"
                 "  staff int \"职工人数\" range 0..\n"
                 "  members int \"会员人数\" range 0..\n"
                 "  has_union bool \"已建会\"",
                 "    deduct 1 unless has_union \"r\"",
                 RATING
                 "target \"良好及以上的基层工会占比不低于95%\" share(rating >= \"良好\") >= 95%\n"
                 "target \"优秀基层工会1000家\" count(rating == \"优秀\") >= 1000\n"
                 "target \"25人以上非公企业全部建会\" share(has_union where k == private and staff >= 25) >= 100%\n"
                 "target \"新增会员\" sum(members) >= 50000\n"
                 "target \"入会率\" ratio(sum(members where k == soe), sum(staff where k == soe)) >= 95%\n"
                 "target \"未评级的不多于10家\" count(rating == none) <= 10\n");
}

static void test_target_unknown_level(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", RATING "target \"占比\" share(rating >= \"三星级\") >= 95%\n", 1,
           0,
           "t.tally:11:29: error: no level \"三星级\"\n"
           " 11 | target \"占比\" share(rating >= \"三星级\") >= 95%\n"
           "    |                               ^~~~~~~~\n"
           "hint: the levels are \"优秀\", \"良好\"\n");
}

static void test_share_of_records_outside_a_target(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", "rating \"星级\" { \"优\" if share(a) >= 90% else none }\n", 1,
           0,
           "t.tally:10:22: error: share(…) here is not an index\n"
           " 10 | rating \"星级\" { \"优\" if share(a) >= 90% else none }\n"
           "    |                         ^~~~~~~~\n"
           "hint: over an index: share(index_name); over the records: only in a target\n");
}

static void test_sum_of_a_percentage(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  r percent \"入会率\"", "    deduct 1 unless a \"r\"\n    deduct 1 if r < 80% \"s\"",
           RATING "target \"入会率\" sum(r) >= 50\n", 1, 0,
           "t.tally:13:18: error: percentages do not add up\n"
           " 13 | target \"入会率\" sum(r) >= 50\n"
           "    |                     ^\n"
           "hint: sum the counts and take ratio(sum(a), sum(b))\n");
}

/* The inputs are used by the item, so that the refused target is the only
 * finding. */
static void test_target_not_aggregate_against_goal(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  n int \"n\"", "    deduct 1 unless a \"r\"\n    award 1 per n max 2 \"s\"",
           RATING "target \"会员\" sum(n) >= 50 and count(a) >= 3\n", 1, 0,
           "t.tally:13:13: error: a target is a share, count, sum or ratio over the records, compared with a goal\n"
           " 13 | target \"会员\" sum(n) >= 50 and count(a) >= 3\n"
           "    |               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
           "hint: write: share(cond where filter) >= 95%, count(…) >= 1000, sum(x) >= N, "
           "ratio(sum(a), sum(b)) >= 85%\n");
}

static void test_target_percent_goal_for_a_count(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", RATING "target \"优秀数量\" count(rating == \"优秀\") >= 20%\n",
           1, 0,
           "t.tally:11:40: error: the goal of a count is a whole number\n"
           " 11 | target \"优秀数量\" count(rating == \"优秀\") >= 20%\n"
           "    |                                              ^~~\n");
}

static void test_target_share_goal_not_a_percentage(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"", RATING "target \"优秀占比\" share(rating == \"优秀\") >= 20\n",
           1, 0,
           "t.tally:11:40: error: a share or a ratio is a percentage\n"
           " 11 | target \"优秀占比\" share(rating == \"优秀\") >= 20\n"
           "    |                                              ^~\n"
           "hint: write the goal as a percentage: 95%\n");
}

static void test_audits_clean(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  a bool \"a\"", "    deduct 1 unless a \"r\"",
                 RATING
                 "audit \"优秀工会抽查不少于5%\" sample 5% where rating >= \"优秀\" seed 42\n"
                 "audit \"未评级工会抽查\" sample 10% where rating == none and a\n"
                 "audit \"全部抽查1%\" sample 1%\n");
}

/* ---- examples ---------------------------------------------------------------------- */

static void test_examples_clean(void **state) {
  (void)state;
  EXPECT_CLEAN("policy t.x \"示例\" { scale 10  as of 2025-12-31 }\n"
               "input {\n"
               "  id   text \"名称\" key\n"
               "  held bool \"召开大会\"\n"
               "  n    int  \"活动次数\" range 0..\n"
               "  acc  date \"事故日期\" default none\n"
               "  kind enum(soe \"国有\", private \"非公\") \"类别\" category\n"
               "}\n"
               "section \"一\" 10 {\n"
               "  item 1 \"召开大会\" 4 { zero unless held \"未召开大会\" }\n"
               "  item 2 \"开展活动\" 6 when kind == soe { award 2 per n max 6 \"每开展一次计2分\" }\n"
               "}\n"
               "index basic \"基本指数\" { check \"召开大会\" held }\n"
               "veto \"近三年内发生事故\" if acc within 3 years\n"
               "rating \"星级\" { \"优秀\" if score >= 9 and all(basic)  \"良好\" if score >= 6  else none }\n"
               "example \"两次活动\" {\n"
               "  input  { id: \"甲工会\", held: yes, n: 2, acc: none, kind: soe }\n"
               "  expect { score: 8, rating: \"良好\", vetoed: no, item 1: 4, item 2: 4,\n"
               "           share(basic): 100%, all(basic): yes, count(basic): 1 }\n"
               "}\n"
               "example \"非公企业\" {\n"
               "  input  { id: \"乙工会\", held: yes, n: 1, kind: private, acc: 2024-05-01 }\n"
               "  expect { vetoed: yes, rating: none, item 2: none }\n"
               "}\n"
               "example \"缺少必填项\" { input { id: \"丙工会\", n: 1 } expect { error: \"held\" } }\n");
}

static void test_example_unknown_input_and_wrong_type(void **state) {
  (void)state;
  EXPECT_P("  id text \"名称\" key\n  a bool \"a\"\n  n int \"n\"",
           "    deduct 1 unless a \"r\"\n    deduct 1 per n max 3 \"s\"",
           RATING "example \"错\" { input { id: \"甲\", b: yes, n: yes } expect { score: 10 } }\n", 2, 0,
           "t.tally:14:32: error: unknown name 'b'\n"
           " 14 | example \"错\" { input { id: \"甲\", b: yes, n: yes } expect { score: 10 } }\n"
           "    |                                  ^\n"
           "hint: declare it in an input block: b bool \"…\"\n"
           "t.tally:14:43: error: the value of 'n' must be a count\n"
           " 14 | example \"错\" { input { id: \"甲\", b: yes, n: yes } expect { score: 10 } }\n"
           "    |                                             ^~~\n");
}

static void test_example_unknown_expect_key(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"",
           RATING "example \"错\" { input { a: yes } expect { score: 10, stars: 3 } }\n", 1, 0,
           "t.tally:11:52: error: cannot expect 'stars'\n"
           " 11 | example \"错\" { input { a: yes } expect { score: 10, stars: 3 } }\n"
           "    |                                                     ^~~~~\n"
           "hint: expect score, rating, vetoed, error, item N, share(index), all(index), count(index)\n");
}

static void test_example_no_such_item(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"",
           RATING "example \"错\" { input { a: yes } expect { item 7: 1 } }\n", 1, 0,
           "t.tally:11:46: error: no item 7\n"
           " 11 | example \"错\" { input { a: yes } expect { item 7: 1 } }\n"
           "    |                                               ^\n");
}

static void test_example_unknown_rating(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"",
           RATING "example \"错\" { input { a: yes } expect { rating: \"优\" } }\n", 1, 0,
           "t.tally:11:49: error: no level \"优\"\n"
           " 11 | example \"错\" { input { a: yes } expect { rating: \"优\" } }\n"
           "    |                                                  ^~~~\n"
           "hint: the levels are \"优秀\", \"良好\"\n");
}

static void test_example_named_twice(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 unless a \"r\"",
           RATING
           "example \"达标\" { input { a: yes } expect { score: 10 } }\n"
           "example \"达标\" { input { a: no } expect { score: 9 } }\n",
           1, 0,
           "t.tally:12:1: error: a second example \"达标\"\n"
           " 12 | example \"达标\" { input { a: no } expect { score: 9 } }\n"
           "    | ^~~~~~~\n");
}

/* ---- include ------------------------------------------------------------------------- */

static void test_include_inputs(void **state) {
  const char *dir = *state;
  put_file(dir, "common.tally",
           "# the inputs every table of the city uses\n"
           "input {\n"
           "  id   text \"名称\" key\n"
           "  held bool \"召开大会\"\n"
           "}\n");
  put_file(dir, "main.tally",
           "policy t.inc \"包含\" { scale 10 }\n"
           "include \"common.tally\"\n"
           "section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开\" } }\n");
  expect_in_dir(dir, "main.tally", 0, 0, "");
}

static void test_include_missing_file(void **state) {
  const char *dir = *state;
  put_file(dir, "main.tally", "policy t.inc \"包含\" { scale 10 }\ninclude \"nowhere.tally\"\n");
  checked c = compile_in_dir(dir, "main.tally");
  char *want = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&want, &n);
  assert_non_null(f);
  fprintf(f,
          "%s/main.tally:2:9: error: cannot read 'nowhere.tally' (include): %s\n"
          " 2 | include \"nowhere.tally\"\n"
          "   |         ^~~~~~~~~~~~~~~\n",
          dir, strerror(ENOENT));
  fclose(f);
  int same = c.diags && !strcmp(c.diags, want);
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", c.diags ? c.diags : "(null)", want);
  free(want);
  free(c.diags);
  if (!same) fail();
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
}

/* a.tally includes b.tally, which includes a.tally: said once, where the
 * circle closes, with the chain of files. */
static void test_include_cycle_of_two_files(void **state) {
  const char *dir = *state;
  put_file(dir, "a.tally", "policy t.cycle \"循环\" { scale 10 }\ninclude \"b.tally\"\n");
  put_file(dir, "b.tally", "input { x bool \"甲\" }\ninclude \"a.tally\"\n");
  checked c = compile_in_dir(dir, "a.tally");
  char *want = in_dir("@/b.tally:2:9: error: 'a.tally' includes itself: the files go round in a circle\n"
                      " 2 | include \"a.tally\"\n"
                      "   |         ^~~~~~~~~\n"
                      "hint: @/a.tally → @/b.tally → @/a.tally\n",
                      dir);
  int same = c.diags && !strcmp(c.diags, want);
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", c.diags ? c.diags : "(null)", want);
  free(want);
  free(c.diags);
  if (!same) fail();
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
}

static void test_include_itself(void **state) {
  const char *dir = *state;
  put_file(dir, "common.tally", "input { x bool \"甲\" }\ninclude \"common.tally\"\n");
  put_file(dir, "main.tally",
           "policy t.inc \"包含\" { scale 10 }\n"
           "include \"common.tally\"\n"
           "section \"一\" 10 { item 1 \"甲\" 10 { zero if x \"r\" } }\n");
  checked c = compile_in_dir(dir, "main.tally");
  char *want = in_dir("@/common.tally:2:9: error: 'common.tally' includes itself: the files go round in a circle\n"
                      " 2 | include \"common.tally\"\n"
                      "   |         ^~~~~~~~~~~~~~\n"
                      "hint: @/common.tally → @/common.tally\n",
                      dir);
  int same = c.diags && !strcmp(c.diags, want);
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", c.diags ? c.diags : "(null)", want);
  free(want);
  free(c.diags);
  if (!same) fail();
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
}

/* A finding inside an included file names that file and quotes its line. */
static void test_include_diagnostic_names_the_included_file(void **state) {
  const char *dir = *state;
  put_file(dir, "rules.tally",
           "input {\n"
           "  n int \"次数\"\n"
           "  x bool \"甲\"\n"
           "}\n"
           "veto \"v\" if x and n\n");
  put_file(dir, "main.tally",
           "policy t.inc \"包含\" { scale 10 }\n"
           "include \"rules.tally\"\n"
           "section \"一\" 10 { item 1 \"甲\" 10 { award 2 per n max 10 \"r\" } }\n");
  expect_in_dir(dir, "main.tally", 1, 0,
                "@/rules.tally:5:19: error: each side of 'and' must be a yes/no value, but this is a count\n"
                " 5 | veto \"v\" if x and n\n"
                "   |                   ^\n");
}

/* ---- extends --------------------------------------------------------------------- */

#define BASE_POLICY                                                              \
  "policy t.base \"基础标准\" { scale 10 }\n"                                    \
  "input {\n"                                                                    \
  "  id   text \"名称\" key\n"                                                   \
  "  held bool \"召开大会\"\n"                                                   \
  "  n    int  \"活动次数\" range 0..\n"                                         \
  "}\n"                                                                          \
  "section \"一\" 10 {\n"                                                        \
  "  item 1 \"召开大会\" 4 { zero unless held \"未召开大会\" }\n"                \
  "  item 2 \"开展活动\" 4 { award 2 per n max 4 \"每开展一次计2分，满分4分\" }\n" \
  "  item 3 \"大会记录\" 2 { zero unless held \"无记录\" }\n"                    \
  "}\n"                                                                          \
  "veto \"未召开大会\" unless held\n"                                            \
  "rating \"星级\" { \"优秀\" if score >= 9  \"良好\" if score >= 6  else none }\n"

/* The merged policy in one line per section, item and veto. */
static char *describe(const ast_policy *p) {
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  assert_non_null(f);
  char b[DEC_BUFSZ];
  fprintf(f, "scale %s\n", dec_format(p->scale, b));
  for (int i = 0; i < p->sections.n; i++) {
    const ast_section *sec = p->sections.v[i];
    fprintf(f, "section %s %s\n", sec->title, dec_format(sec->max, b));
    for (int k = 0; k < sec->items.n; k++) {
      const ast_item *it = sec->items.v[k];
      fprintf(f, "  item %s %s %s\n", it->number, it->text, dec_format(it->points, b));
    }
  }
  for (int i = 0; i < p->vetoes.n; i++) fprintf(f, "veto %s\n", ((const ast_veto *)p->vetoes.v[i])->reason);
  fclose(f);
  return s;
}

/* A child that removes an item and a veto, replaces an item and adds an
 * item to the base's section of the same title: it compiles cleanly, and
 * the merged tree is the base with those edits. */
static void test_extends_edits(void **state) {
  const char *dir = *state;
  put_file(dir, "base.tally", BASE_POLICY);
  put_file(dir, "child.tally",
           "policy t.child \"邻市标准\" extends \"base.tally\" {\n"
           "  issuer \"某市总工会\"\n"
           "  scale 12\n"
           "}\n"
           "input { trained bool \"开展培训\" }\n"
           "remove item 3\n"
           "replace item 2 \"开展活动\" 6 { award 3 per n max 6 \"每开展一次计3分，满分6分\" }\n"
           "section \"一\" 12 {\n"
           "  item 4 \"开展培训\" 2 { zero unless trained \"未开展培训\" }\n"
           "}\n"
           "remove veto \"未召开大会\"\n");
  char path[4096];
  snprintf(path, sizeof path, "%s/child.tally", dir);
  size_t len = 0;
  char *text = compile_read_file(path, &len);
  assert_non_null(text);
  char *diags = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&diags, &n);
  assert_non_null(f);
  compile_result r;
  compile_source(path, text, len, f, 1, &r);
  fclose(f);
  int errors = r.errors, warnings = r.warnings, has_tbc = r.tbc != NULL;
  char *tree = r.tree ? describe(r.tree) : NULL;
  compile_result_free(&r);
  free(text);
  check_text(diags, "");
  check_text(tree, "scale 12\n"
                   "section 一 12\n"
                   "  item 1 召开大会 4\n"
                   "  item 2 开展活动 6\n"
                   "  item 4 开展培训 2\n");
  assert_int_equal(errors, 0);
  assert_int_equal(warnings, 0);
  assert_true(has_tbc);
}

static void test_extends_remove_missing_item(void **state) {
  const char *dir = *state;
  put_file(dir, "base.tally", BASE_POLICY);
  put_file(dir, "child.tally",
           "policy t.child \"邻市标准\" extends \"base.tally\" { }\n"
           "remove item 9\n"
           "remove veto \"不存在\"\n");
  checked c = compile_in_dir(dir, "child.tally");
  char *want = in_dir("@/child.tally:2:1: error: no item 9 to remove\n"
                      " 2 | remove item 9\n"
                      "   | ^~~~~~~~~~~~~\n"
                      "@/child.tally:3:1: error: no veto \"不存在\" to remove\n"
                      " 3 | remove veto \"不存在\"\n"
                      "   | ^~~~~~~~~~~~~~~~~~~~\n",
                      dir);
  int same = c.diags && !strcmp(c.diags, want);
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", c.diags ? c.diags : "(null)", want);
  free(want);
  free(c.diags);
  if (!same) fail();
  assert_int_equal(c.errors, 2);
  assert_false(c.has_tree);
}

static void test_extends_missing_base(void **state) {
  const char *dir = *state;
  put_file(dir, "child.tally", "policy t.child \"邻市标准\" extends \"nobase.tally\" { }\n");
  checked c = compile_in_dir(dir, "child.tally");
  char *want = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&want, &n);
  assert_non_null(f);
  fprintf(f,
          "%s/child.tally:1:31: error: cannot read 'nobase.tally' (extends): %s\n"
          " 1 | policy t.child \"邻市标准\" extends \"nobase.tally\" { }\n"
          "   |                                   ^~~~~~~~~~~~~~\n",
          dir, strerror(ENOENT));
  fclose(f);
  int same = c.diags && !strcmp(c.diags, want);
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", c.diags ? c.diags : "(null)", want);
  free(want);
  free(c.diags);
  if (!same) fail();
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
}

static void test_remove_without_extends(void **state) {
  (void)state;
  checked c = compile_named("t.tally",
                            "policy t.c \"c\" { scale 10 }\n"
                            "input { held bool \"召开大会\" }\n"
                            "section \"一\" 10 { item 1 \"召开大会\" 10 { zero unless held \"未召开大会\" } }\n"
                            "remove item 1\n");
  check_text(c.diags, "t.tally:4:1: error: 'remove' changes the policy this one extends, but it extends none\n"
                      " 4 | remove item 1\n"
                      "   | ^~~~~~~~~~~~~\n"
                      "hint: write: policy id \"title\" extends \"base.tally\" { … }\n");
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
}

/* A share outside 0..100% is pointed at where it is written, in a quota
 * and in an audit; and a veto's cap names the level under the caret. */
static void test_population_shares_out_of_range(void **state) {
  (void)state;
  expect_diags("policy t.q \"q\" { scale 10 }\n"
               "input { id text \"名\" key\n"
               "  a bool \"甲\" }\n"
               "section \"一\" 10 { item 1 \"a\" 10 { zero unless a \"无\" } }\n"
               "rating \"R\" { \"A\" if score >= 9 else none }\n"
               "quota \"A\" at most 120% enforce\n"
               "audit \"抽查\" sample 0% where rating >= \"A\"\n",
               2, 0,
               "t.tally:6:19: error: a quota of 120% is not a share of the records\n"
               " 6 | quota \"A\" at most 120% enforce\n"
               "   |                   ^~~~\n"
               "t.tally:7:19: error: a sample of 0% is not a share of the records\n"
               " 7 | audit \"抽查\" sample 0% where rating >= \"A\"\n"
               "   |                     ^~\n");
}

static void test_veto_cap_caret_on_the_level(void **state) {
  (void)state;
  expect_diags("policy t.v \"v\" { scale 10 }\n"
               "input { id text \"名\" key\n"
               "  a bool \"甲\" }\n"
               "section \"一\" 10 { item 1 \"a\" 10 { zero unless a \"无\" } }\n"
               "veto \"年检不合格\" if not a at most \"三星级\"\n"
               "rating \"R\" { \"A\" if score >= 9 else none }\n",
               1, 0,
               "t.tally:5:31: error: no level \"三星级\"\n"
               " 5 | veto \"年检不合格\" if not a at most \"三星级\"\n"
               "   |                                    ^~~~~~~~\n"
               "hint: the levels are \"A\"\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tables_when_clean),
      cmocka_unit_test(test_table_total_without_acknowledge),
      cmocka_unit_test(test_table_total_acknowledged),
      cmocka_unit_test(test_table_section_without_acknowledge),
      cmocka_unit_test(test_table_section_acknowledged),
      cmocka_unit_test(test_top_level_acknowledge),
      cmocka_unit_test(test_table_missing_for_a_value),
      cmocka_unit_test(test_two_tables_for_one_value),
      cmocka_unit_test(test_in_and_not_in_clean),
      cmocka_unit_test(test_in_value_not_of_the_enum),
      cmocka_unit_test(test_in_needs_a_category),
      cmocka_unit_test(test_in_value_listed_twice),
      cmocka_unit_test(test_by_kind_clean),
      cmocka_unit_test(test_by_kind_else_clean),
      cmocka_unit_test(test_by_kind_missing_value),
      cmocka_unit_test(test_by_kind_bracket),
      cmocka_unit_test(test_by_staff_clean),
      cmocka_unit_test(test_by_bracket_gap),
      cmocka_unit_test(test_by_bracket_overlap),
      cmocka_unit_test(test_by_values_below_first_bracket),
      cmocka_unit_test(test_by_values_above_last_bracket),
      cmocka_unit_test(test_by_value_not_constant),
      cmocka_unit_test(test_by_empty_bracket),
      cmocka_unit_test(test_dates_clean),
      cmocka_unit_test(test_within_year_needs_years),
      cmocka_unit_test(test_within_zero_years),
      cmocka_unit_test(test_in_this_needs_year),
      cmocka_unit_test(test_as_needs_of),
      cmocka_unit_test(test_default_none_on_a_count),
      cmocka_unit_test(test_category_clean),
      cmocka_unit_test(test_second_category),
      cmocka_unit_test(test_category_not_an_enum),
      cmocka_unit_test(test_indices_and_cumulative_rating_clean),
      cmocka_unit_test(test_index_without_checks),
      cmocka_unit_test(test_index_never_used),
      cmocka_unit_test(test_check_constant),
      cmocka_unit_test(test_veto_constant),
      cmocka_unit_test(test_check_cannot_use_an_index),
      cmocka_unit_test(test_all_of_an_input),
      cmocka_unit_test(test_veto_at_most_clean),
      cmocka_unit_test(test_level_same_condition_unreachable),
      cmocka_unit_test(test_rating_outside_targets_and_audits),
      cmocka_unit_test(test_rating_inside_a_level),
      cmocka_unit_test(test_quotas_clean),
      cmocka_unit_test(test_quota_unknown_level),
      cmocka_unit_test(test_quota_ties_by_a_yes_no),
      cmocka_unit_test(test_quota_needs_enforce_or_report),
      cmocka_unit_test(test_targets_clean),
      cmocka_unit_test(test_target_unknown_level),
      cmocka_unit_test(test_share_of_records_outside_a_target),
      cmocka_unit_test(test_sum_of_a_percentage),
      cmocka_unit_test(test_target_not_aggregate_against_goal),
      cmocka_unit_test(test_target_percent_goal_for_a_count),
      cmocka_unit_test(test_target_share_goal_not_a_percentage),
      cmocka_unit_test(test_audits_clean),
      cmocka_unit_test(test_examples_clean),
      cmocka_unit_test(test_example_unknown_input_and_wrong_type),
      cmocka_unit_test(test_example_unknown_expect_key),
      cmocka_unit_test(test_example_no_such_item),
      cmocka_unit_test(test_example_unknown_rating),
      cmocka_unit_test(test_example_named_twice),
      cmocka_unit_test_setup_teardown(test_include_inputs, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_include_missing_file, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_include_cycle_of_two_files, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_include_itself, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_include_diagnostic_names_the_included_file, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_extends_edits, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_extends_remove_missing_item, dir_setup, dir_teardown),
      cmocka_unit_test_setup_teardown(test_extends_missing_base, dir_setup, dir_teardown),
      cmocka_unit_test(test_remove_without_extends),
      cmocka_unit_test(test_population_shares_out_of_range),
      cmocka_unit_test(test_veto_cap_caret_on_the_level),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
