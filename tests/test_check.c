/* test_check.c — the checker (compiler/check.c) through compile_source:
 * error and warning counts, and every diagnostic compared in full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#include "compiler/check.h"
#include "compiler/compile.h"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct {
  int errors, warnings;
  int has_tree, has_tbc;
  char *diags; /* malloc'd */
} checked;

static checked compile_text(const char *src, int want_tbc) {
  checked c = {0};
  size_t n = 0;
  FILE *f = open_memstream(&c.diags, &n);
  assert_non_null(f);
  compile_result r;
  compile_source("t.tally", src, strlen(src), f, want_tbc, &r);
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

/* Compile with bytecode wanted: exactly these counts and this text; the
 * bytecode exists exactly when there is no error. */
static void expect_diags(const char *src, int errors, int warnings, const char *text) {
  checked c = compile_text(src, 1);
  check_text(c.diags, text);
  assert_int_equal(c.errors, errors);
  assert_int_equal(c.warnings, warnings);
  assert_true(c.has_tree);
  assert_int_equal(c.has_tbc, errors == 0);
}
#define EXPECT_CLEAN(src) expect_diags((src), 0, 0, "")

/* Only the first `lines` lines of the diagnostics, exactly (for cases where
 * what follows is a cascade covered by a test_ function). */
static void expect_first_lines(char *src, int errors, int lines, const char *text) {
  checked c = compile_text(src, 1);
  free(src);
  char *p = c.diags;
  for (int i = 0; i < lines && p && *p; i++) {
    p = strchr(p, '\n');
    if (p) p++;
  }
  if (p) *p = 0;
  check_text(c.diags, text);
  assert_int_equal(c.errors, errors);
}

/* A policy of scale 10 with one section and one item worth 10, the given
 * inputs and rules (and what comes after, e.g. a rating). */
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
  checked c = compile_text(src, 1);
  free(src);
  check_text(c.diags, text);
  assert_int_equal(c.errors, errors);
  assert_int_equal(c.warnings, warnings);
  assert_true(c.has_tree);
  assert_int_equal(c.has_tbc, errors == 0);
}
#define EXPECT_P(inputs, rules, after, errors, warnings, text) \
  expect_p(policy((inputs), (rules), (after)), (errors), (warnings), (text))
#define EXPECT_P_CLEAN(inputs, rules, after) EXPECT_P((inputs), (rules), (after), 0, 0, "")

/* ---- clean policies ---------------------------------------------------------------- */

static void test_minimal_policy_is_clean(void **state) {
  (void)state;
  EXPECT_CLEAN(FIXTURE_MINI);
}

/* The sample policy of the project checks without a word. */
static void test_rushan_enterprise_is_clean(void **state) {
  (void)state;
  size_t len = 0;
  char *text = compile_read_file("policies/rushan-2020-enterprise.tally", &len);
  assert_non_null(text);
  checked c = compile_text(text, 1);
  free(text);
  check_text(c.diags, "");
  assert_int_equal(c.errors, 0);
  assert_int_equal(c.warnings, 0);
  assert_true(c.has_tbc);
}

/* want_tbc = 0 stops after the checks. */
static void test_check_only_makes_no_bytecode(void **state) {
  (void)state;
  checked c = compile_text("policy a \"b\" { scale 1 }\ninput { x bool \"x\" }\n"
                           "section \"S\" 1 { item 1 \"t\" 1 { deduct 1 if x \"r\" } }\n",
                           0);
  check_text(c.diags, "");
  assert_int_equal(c.errors, 0);
  assert_true(c.has_tree);
  assert_false(c.has_tbc);
}

/* A syntax error: no tree at all. */
static void test_syntax_error_gives_no_tree(void **state) {
  (void)state;
  checked c = compile_text("policy a \"b\" { scale x }", 1);
  check_text(c.diags, "t.tally:1:22: error: expected a number, found 'x'\n"
                      " 1 | policy a \"b\" { scale x }\n"
                      "   |                      ^\n");
  assert_int_equal(c.errors, 1);
  assert_false(c.has_tree);
  assert_false(c.has_tbc);
}

/* Types that mix: a literal fits anything numeric, a percentage compares
 * with 80 or 80%, int and number mix, date minus date is days. */
static void test_types_that_mix(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  r percent \"r\"\n  n int \"n\"\n  x number \"x\"\n  d date \"d\"\n  e date \"e\"",
                 "    deduct 1 if r < 80% or r < 80 or n < x or e - d > 30 or d < 2024-01-01 or -n < -2 \"a\"\n"
                 "    deduct 1 if min(n, x, 2) > max(1, x) or floor(x / 2) == ceil(n * 0.5) \"b\"\n"
                 "    deduct 1 if r / r > 1 or r * 2 > 50% \"c\"",
                 "");
}

/* ---- names ---------------------------------------------------------------------------- */

static void test_unknown_name_did_you_mean(void **state) {
  (void)state;
  EXPECT_P("  membership_rate percent \"职工入会率\"",
           "    deduct 1 if membershp_rate < 80% \"r\"\n"
           "    deduct 1 per started 90 - membership_rate \"s\"",
           "", 1, 0,
           "t.tally:7:17: error: unknown name 'membershp_rate'\n"
           " 7 |     deduct 1 if membershp_rate < 80% \"r\"\n"
           "   |                 ^~~~~~~~~~~~~~\n"
           "hint: did you mean 'membership_rate'?\n");
}

/* Part of a longer name is suggested too. */
static void test_unknown_name_part_of_a_name(void **state) {
  (void)state;
  EXPECT_P("  membership_rate percent \"职工入会率\"",
           "    deduct 1 per started 90 - rate \"r\"\n"
           "    deduct 1 if membership_rate < 80% \"s\"",
           "", 1, 0,
           "t.tally:7:31: error: unknown name 'rate'\n"
           " 7 |     deduct 1 per started 90 - rate \"r\"\n"
           "   |                               ^~~~\n"
           "hint: did you mean 'membership_rate'?\n");
}

static void test_unknown_name_no_suggestion(void **state) {
  (void)state;
  EXPECT_P("  x bool \"x\"", "    deduct 1 if x or 工会小组 \"r\"", "", 1, 0,
           "t.tally:7:22: error: unknown name '工会小组'\n"
           " 7 |     deduct 1 if x or 工会小组 \"r\"\n"
           "   |                      ^~~~~~~~\n"
           "hint: declare it in an input block: 工会小组 bool \"…\"\n");
}

static void test_unused_input_warning(void **state) {
  (void)state;
  EXPECT_P("  id text \"名称\" key\n  a bool \"A\"\n  b bool \"B\"", "    deduct 1 if a \"r\"", "", 0, 1,
           "t.tally:5:3: warning: input 'b' is never used\n"
           " 5 |   b bool \"B\"\n"
           "   |   ^\n"
           "hint: remove it, or use it in a rule or a veto\n");
}

/* Using an input only in a veto or a rating counts as a use. */
static void test_use_in_veto_and_rating(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  a bool \"A\"\n  b bool \"B\"\n  c bool \"C\"", "    deduct 1 if a \"r\"",
                 "veto \"v\" if b\nrating \"R\" { \"A\" if score >= 9 and c }\n");
}

static void test_duplicate_input(void **state) {
  (void)state;
  char *src = policy("  a bool \"A\"\n  a bool \"B\"", "    deduct 1 if a \"r\"", "");
  expect_first_lines(src, 1, 4,
                     "t.tally:4:3: error: input 'a' declared twice\n"
                     " 4 |   a bool \"B\"\n"
                     "   |   ^\n"
                     "hint: the first is on line 3\n");
}

static void test_duplicate_label(void **state) {
  (void)state;
  EXPECT_P("  a bool \"达标\"\n  b bool \"达标\"", "    deduct 1 if a and b \"r\"", "", 1, 0,
           "t.tally:4:10: error: duplicate label \"达标\"\n"
           " 4 |   b bool \"达标\"\n"
           "   |          ^~~~~~\n"
           "hint: 'a' (line 3) has it too; a column could not tell them apart\n");
}

static void test_enum_value_named_like_an_input(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  k enum(a, b) \"k\"", "    deduct 1 if a and k == b \"r\"", "", 1, 0,
           "t.tally:4:10: error: value 'a' has the name of an input\n"
           " 4 |   k enum(a, b) \"k\"\n"
           "   |          ^\n"
           "hint: rename the value or the input\n");
}

static void test_enum_value_listed_twice(void **state) {
  (void)state;
  EXPECT_P("  k enum(soe, private, soe) \"类型\"", "    deduct 1 if k == soe \"r\"", "", 1, 0,
           "t.tally:3:24: error: value 'soe' listed twice\n"
           " 3 |   k enum(soe, private, soe) \"类型\"\n"
           "   |                        ^~~\n");
}

/* ---- items, sections, scale --------------------------------------------------------- */

static void test_duplicate_item_number(void **state) {
  (void)state;
  expect_diags("policy t.c \"c\" { scale 10 }\n"
               "input { a bool \"A\" }\n"
               "section \"S\" 5 { item 1 \"t\" 5 { deduct 1 if a \"r\" } }\n"
               "section \"T\" 5 {\n"
               "  item 1 \"u\" 5 { deduct 1 if a \"r\" }\n"
               "}\n",
               1, 0,
               "t.tally:5:8: error: duplicate item number 1\n"
               " 5 |   item 1 \"u\" 5 { deduct 1 if a \"r\" }\n"
               "   |        ^\n"
               "hint: item 1 is on line 3\n");
}

static void test_section_does_not_add_up(void **state) {
  (void)state;
  expect_diags("policy t.c \"c\" { scale 10 }\n"
               "input { a bool \"A\" }\n"
               "section \"自身建设\" 10 {\n"
               "  item 1 \"t\" 4 { deduct 1 if a \"r\" }\n"
               "  item 2 \"u\" 5.5 { deduct 1 if a \"r\" }\n"
               "}\n",
               1, 0,
               "t.tally:3:16: error: section \"自身建设\" does not add up: items 9.5, section 10\n"
               " 3 | section \"自身建设\" 10 {\n"
               "   |                    ^~\n"
               "hint: the items are worth 9.5 in all; the section says 10\n");
}

static void test_sections_do_not_add_up_to_scale(void **state) {
  (void)state;
  expect_diags("policy t.c \"c\" { scale 10 }\n"
               "input { a bool \"A\" }\n"
               "section \"S\" 4 { item 1 \"t\" 4 { deduct 1 if a \"r\" } }\n"
               "section \"T\" 5 { item 2 \"u\" 5 { deduct 1 if a \"r\" } }\n",
               1, 0,
               "t.tally:1:24: error: the sections add up to 9, but the scale is 10\n"
               " 1 | policy t.c \"c\" { scale 10 }\n"
               "   |                        ^~\n");
}

/* Without a scale the policy is out of 100; the error is at the id. */
static void test_default_scale_is_100(void **state) {
  (void)state;
  expect_diags("policy t.c \"c\" { }\n"
               "input { a bool \"A\" }\n"
               "section \"S\" 10 { item 1 \"t\" 10 { deduct 1 if a \"r\" } }\n",
               1, 0,
               "t.tally:1:8: error: the sections add up to 10, but the scale is 100\n"
               " 1 | policy t.c \"c\" { }\n"
               "   |        ^~~\n");
}

static void test_scale_must_be_positive(void **state) {
  (void)state;
  expect_diags("policy t.c \"c\" { scale 0 }\n", 1, 0,
               "t.tally:1:24: error: the scale must be positive\n"
               " 1 | policy t.c \"c\" { scale 0 }\n"
               "   |                        ^\n");
}

/* ---- rules ------------------------------------------------------------------------------ */

static void test_rule_must_move_points(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 0 if a \"r\"", "", 1, 0,
           "t.tally:7:12: error: a rule must move some points\n"
           " 7 |     deduct 0 if a \"r\"\n"
           "   |            ^\n");
}

static void test_condition_must_be_bool(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    deduct 1 if n \"r\"", "", 1, 0,
           "t.tally:7:17: error: the condition must be a yes/no value, but this is a count\n"
           " 7 |     deduct 1 if n \"r\"\n"
           "   |                 ^\n");
}

static void test_per_over_bool(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 per a \"r\"", "", 1, 0,
           "t.tally:7:18: error: 'per' needs a quantity, but this is a yes/no value\n"
           " 7 |     deduct 1 per a \"r\"\n"
           "   |                  ^\n"
           "hint: for a yes/no fact write: if …, or per missing(…)\n");
}

static void test_per_over_date(void **state) {
  (void)state;
  EXPECT_P("  d date \"d\"", "    deduct 1 per d \"r\"", "", 1, 0,
           "t.tally:7:18: error: 'per' needs a quantity, but this is a date\n"
           " 7 |     deduct 1 per d \"r\"\n"
           "   |                  ^\n");
}

static void test_per_percentage_needs_rounding(void **state) {
  (void)state;
  EXPECT_P("  rate percent \"职工入会率\"", "    deduct 1 per 90% - rate \"r\"", "", 1, 0,
           "t.tally:7:5: error: say whether a part of a unit counts: the quantity is a percentage\n"
           " 7 |     deduct 1 per 90% - rate \"r\"\n"
           "   |     ^~~~~~\n"
           "hint: write 'per started' when every begun unit counts (每少一个百分点), "
           "'per whole' when only complete ones do (每满)\n");
}

static void test_per_unit_of_two_needs_rounding(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    award 1 per 2 of n max 3 \"r\"", "", 1, 0,
           "t.tally:7:5: error: say whether a part of a unit counts: the unit is not 1\n"
           " 7 |     award 1 per 2 of n max 3 \"r\"\n"
           "   |     ^~~~~\n"
           "hint: write 'per started' when every begun unit counts (每少一个百分点), "
           "'per whole' when only complete ones do (每满)\n");
}

/* A count per one unit needs no rounding; whole/started settle the rest. */
static void test_per_rounding_said(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  n int \"n\"\n  r percent \"r\"\n  x number \"x\"",
                 "    deduct 1 per n max 3 \"a\"\n"
                 "    deduct 1 per whole 2 of n \"b\"\n"
                 "    deduct 1 per started 0.5 of 90 - r \"c\"\n"
                 "    deduct 1 per whole x \"d\"",
                 "");
}

static void test_per_unit_must_be_positive(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    deduct 1 per whole 0 of n \"r\"", "", 1, 0,
           "t.tally:7:5: error: the unit must be positive\n"
           " 7 |     deduct 1 per whole 0 of n \"r\"\n"
           "   |     ^~~~~~\n");
}

static void test_per_max_must_be_positive(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    deduct 1 per n max 0 \"r\"", "", 1, 0,
           "t.tally:7:24: error: the maximum must be positive\n"
           " 7 |     deduct 1 per n max 0 \"r\"\n"
           "   |                        ^\n");
}

static void test_missing_needs_bools(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  n int \"n\"", "    deduct 1 per missing(a, n) \"r\"", "", 1, 0,
           "t.tally:8:29: error: each item of missing(…) must be a yes/no value, but this is a count\n"
           " 8 |     deduct 1 per missing(a, n) \"r\"\n"
           "   |                             ^\n");
}

static void test_award_per_without_max(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    award 3 per n \"每开展一次计3分\"", "", 1, 0,
           "t.tally:7:5: error: an award per unit needs a maximum\n"
           " 7 |     award 3 per n \"每开展一次计3分\"\n"
           "   |     ^~~~~\n"
           "hint: state the cap: award N per … max M (满分M分)\n");
}

static void test_award_max_above_item_points(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    award 3 per n max 12 \"r\"", "", 0, 1,
           "t.tally:7:23: warning: the award can reach 12, more than item 1 is worth (10)\n"
           " 7 |     award 3 per n max 12 \"r\"\n"
           "   |                       ^~\n");
}

static void test_award_if_above_item_points(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    award 10.5 if a \"r\"", "", 0, 1,
           "t.tally:7:11: warning: the award can reach 10.5, more than item 1 is worth (10)\n"
           " 7 |     award 10.5 if a \"r\"\n"
           "   |           ^~~~\n");
}

static void test_awards_together_above_item_points(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  n int \"n\"", "    award 6 if a \"r\"\n    award 2 per n max 5 \"s\"", "", 0, 1,
           "t.tally:7:14: warning: the awards of item 1 can reach 11, more than its 10 points\n"
           " 7 |   item 1 \"t\" 10 {\n"
           "   |              ^~\n");
}

static void test_deduction_above_item_points(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 12 if a \"r\"", "", 0, 1,
           "t.tally:7:12: warning: the deduction of 12 is more than item 1 is worth (10)\n"
           " 7 |     deduct 12 if a \"r\"\n"
           "   |            ^~\n");
}

static void test_score_outside_rating(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a and score > 5 \"r\"", "", 1, 0,
           "t.tally:7:23: error: 'score' can only be used in a rating, a target or an audit\n"
           " 7 |     deduct 1 if a and score > 5 \"r\"\n"
           "   |                       ^~~~~\n"
           "hint: score is the total, known once every item is scored\n");
}

static void test_score_in_veto(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"", "veto \"v\" if score < 1\n", 1, 0,
           "t.tally:10:13: error: 'score' can only be used in a rating, a target or an audit\n"
           " 10 | veto \"v\" if score < 1\n"
           "    |             ^~~~~\n"
           "hint: score is the total, known once every item is scored\n");
}

static void test_veto_condition_must_be_bool(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"", "    deduct 1 per n \"r\"", "veto \"v\" if n + 1\n", 1, 0,
           "t.tally:10:13: error: a veto's condition must be a yes/no value, but this is a count\n"
           " 10 | veto \"v\" if n + 1\n"
           "    |             ^~~~~\n");
}

/* ---- types ------------------------------------------------------------------------------ */

static void test_percent_compared_with_count(void **state) {
  (void)state;
  EXPECT_P("  rate percent \"率\"\n  n int \"次数\"", "    deduct 1 if rate > n \"r\"", "", 1, 0,
           "t.tally:8:17: error: a percentage compared with a count\n"
           " 8 |     deduct 1 if rate > n \"r\"\n"
           "   |                 ^~~~~~~~\n"
           "hint: write a percentage as 80% or compare it with another percentage\n");
}

static void test_bool_compared_with_number(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a == 1 \"r\"", "", 1, 0,
           "t.tally:7:17: error: a yes/no value compared with a number\n"
           " 7 |     deduct 1 if a == 1 \"r\"\n"
           "   |                 ^~~~~~\n");
}

static void test_bools_cannot_be_ordered(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"\n  b bool \"b\"", "    deduct 1 if a < b \"r\"", "", 1, 0,
           "t.tally:8:17: error: a yes/no value cannot be ordered with <\n"
           " 8 |     deduct 1 if a < b \"r\"\n"
           "   |                 ^~~~~\n"
           "hint: use == or !=\n");
}

static void test_date_plus_number(void **state) {
  (void)state;
  EXPECT_P("  d date \"换届日期\"", "    deduct 1 if d + 30 > 2024-06-30 \"r\"", "", 1, 0,
           "t.tally:7:17: error: a date added to a number\n"
           " 7 |     deduct 1 if d + 30 > 2024-06-30 \"r\"\n"
           "   |                 ^~~~~~\n"
           "hint: two dates can be subtracted to get days\n");
}

static void test_percentage_plus_count(void **state) {
  (void)state;
  EXPECT_P("  r percent \"r\"\n  n int \"n\"", "    deduct 1 per started r + n \"r\"", "", 1, 0,
           "t.tally:8:26: error: a percentage plus a count\n"
           " 8 |     deduct 1 per started r + n \"r\"\n"
           "   |                          ^~~~~\n");
}

static void test_percentage_times_percentage(void **state) {
  (void)state;
  EXPECT_P("  r percent \"r\"", "    deduct 1 if r * r > 1% \"r\"", "", 1, 0,
           "t.tally:7:17: error: a percentage times a percentage\n"
           " 7 |     deduct 1 if r * r > 1% \"r\"\n"
           "   |                 ^~~~~\n");
}

static void test_arithmetic_on_bool(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 per a + 1 \"r\"", "", 1, 0,
           "t.tally:7:18: error: arithmetic on a yes/no value\n"
           " 7 |     deduct 1 per a + 1 \"r\"\n"
           "   |                  ^~~~~\n");
}

static void test_not_and_minus_operands(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"\n  a bool \"a\"", "    deduct 1 if not n \"r\"\n    deduct 1 if -a \"s\"", "", 2, 0,
           "t.tally:8:21: error: the operand of 'not' must be a yes/no value, but this is a count\n"
           " 8 |     deduct 1 if not n \"r\"\n"
           "   |                     ^\n"
           "t.tally:9:18: error: the operand of - must be a number, but this is a yes/no value\n"
           " 9 |     deduct 1 if -a \"s\"\n"
           "   |                  ^\n");
}

static void test_and_operand_must_be_bool(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"\n  a bool \"a\"", "    deduct 1 if a and n \"r\"", "", 1, 0,
           "t.tally:8:23: error: each side of 'and' must be a yes/no value, but this is a count\n"
           " 8 |     deduct 1 if a and n \"r\"\n"
           "   |                       ^\n");
}

static void test_function_arity(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\"\n  x number \"x\"",
           "    deduct 1 if min(x) > 1 or floor(x, 2) > 1 or n > x \"r\"", "", 2, 0,
           "t.tally:8:17: error: min takes two or more values\n"
           " 8 |     deduct 1 if min(x) > 1 or floor(x, 2) > 1 or n > x \"r\"\n"
           "   |                 ^~~~~~\n"
           "t.tally:8:31: error: floor takes one value\n"
           " 8 |     deduct 1 if min(x) > 1 or floor(x, 2) > 1 or n > x \"r\"\n"
           "   |                               ^~~~~~~~~~~\n");
}

static void test_function_mixed_types(void **state) {
  (void)state;
  EXPECT_P("  r percent \"r\"\n  n int \"n\"", "    deduct 1 if min(r, n) > 1 \"r\"", "", 1, 0,
           "t.tally:8:24: error: a count mixed with a percentage in min\n"
           " 8 |     deduct 1 if min(r, n) > 1 \"r\"\n"
           "   |                        ^\n");
}

static void test_text_input_used_in_rule(void **state) {
  (void)state;
  EXPECT_P("  id text \"单位名称\" key\n  a bool \"a\"", "    deduct 1 if a and id == 1 \"r\"", "", 1, 0,
           "t.tally:8:23: error: 'id' is text: it names the record and cannot be scored\n"
           " 8 |     deduct 1 if a and id == 1 \"r\"\n"
           "   |                       ^~\n");
}

/* ---- inputs ------------------------------------------------------------------------------ */

static void test_required_with_default(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\" required default no", "    deduct 1 if a \"r\"", "", 1, 0,
           "t.tally:3:31: error: input 'a' is required and has a default\n"
           " 3 |   a bool \"a\" required default no\n"
           "   |                               ^~\n"
           "hint: an input with a default is not required\n");
}

static void test_default_outside_range(void **state) {
  (void)state;
  EXPECT_P("  n int \"次数\" default 12 range 0..10", "    deduct 1 per n \"r\"", "", 1, 0,
           "t.tally:3:22: error: the default of 'n' is outside its range\n"
           " 3 |   n int \"次数\" default 12 range 0..10\n"
           "   |                        ^~\n");
}

static void test_default_of_wrong_type(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\" default 1.5\n  r percent \"r\" default 80\n  d date \"d\" default yes",
           "    deduct 1 per n \"a\"\n    deduct 1 per started r \"b\"\n    deduct 1 if d > 2024-01-01 \"c\"", "", 2, 0,
           "t.tally:3:21: error: the default of 'n' must be a count\n"
           " 3 |   n int \"n\" default 1.5\n"
           "   |                     ^~~\n"
           "t.tally:5:22: error: the default of 'd' must be a date\n"
           " 5 |   d date \"d\" default yes\n"
           "   |                      ^~~\n");
}

static void test_range_on_bool(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\" range 1..2", "    deduct 1 if a \"r\"", "", 1, 0,
           "t.tally:3:14: error: a range needs numbers or dates; 'a' is a yes/no value\n"
           " 3 |   a bool \"a\" range 1..2\n"
           "   |              ^~~~~~~~~~\n");
}

static void test_empty_range(void **state) {
  (void)state;
  EXPECT_P("  n int \"n\" range 5..1", "    deduct 1 per n \"r\"", "", 1, 0,
           "t.tally:3:13: error: empty range: the lower bound is above the upper\n"
           " 3 |   n int \"n\" range 5..1\n"
           "   |             ^~~~~~~~~~\n");
}

static void test_range_of_wrong_type(void **state) {
  (void)state;
  EXPECT_P("  r percent \"r\" range 0..2024-01-01", "    deduct 1 per started r \"r\"", "", 1, 0,
           "t.tally:3:26: error: the range of 'r' must be a percentage\n"
           " 3 |   r percent \"r\" range 0..2024-01-01\n"
           "   |                          ^~~~~~~~~~\n");
}

static void test_key_must_be_text(void **state) {
  (void)state;
  EXPECT_P("  id int \"单位名称\" key\n  a bool \"a\"", "    deduct 1 if a \"r\"", "", 1, 0,
           "t.tally:3:3: error: the key must be a text input\n"
           " 3 |   id int \"单位名称\" key\n"
           "   |   ^~\n"
           "hint: declare it as: id text \"单位名称\" key\n");
}

static void test_second_key(void **state) {
  (void)state;
  EXPECT_P("  id text \"编号\" key\n  name text \"名称\" key\n  a bool \"a\"", "    deduct 1 if a \"r\"", "", 1, 0,
           "t.tally:4:3: error: a second key input ('id' is the key)\n"
           " 4 |   name text \"名称\" key\n"
           "   |   ^~~~\n");
}

static void test_text_input_not_key(void **state) {
  (void)state;
  char *src = policy("  name text \"名称\"\n  a bool \"a\"", "    deduct 1 if a \"r\"", "");
  expect_first_lines(src, 1, 4,
                     "t.tally:3:3: error: text input 'name' is not the key: text cannot be scored\n"
                     " 3 |   name text \"名称\"\n"
                     "   |   ^~~~\n"
                     "hint: mark it as the record's key, or give it another type\n");
}

/* ---- enums ------------------------------------------------------------------------------ */

static void test_enum_comparison_ok(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  kind enum(soe \"国有\", private \"民营\", foreign \"外资\") \"单位类型\" default private",
                 "    deduct 1 if kind == soe \"r\"\n    deduct 1 if kind != private \"s\"", "");
}

static void test_enum_unknown_value(void **state) {
  (void)state;
  EXPECT_P("  kind enum(soe \"国有\", private \"民营\", foreign) \"单位类型\"",
           "    deduct 1 if kind == nonsense \"r\"", "", 1, 0,
           "t.tally:7:25: error: 'nonsense' is not a value of 'kind'\n"
           " 7 |     deduct 1 if kind == nonsense \"r\"\n"
           "   |                         ^~~~~~~~\n"
           "hint: the values of 'kind' are soe, private, foreign\n");
}

/* A value used without a comparison. */
static void test_enum_value_alone(void **state) {
  (void)state;
  EXPECT_P("  kind enum(soe, private) \"类型\"", "    deduct 1 if soe \"r\"\n    deduct 1 if kind == private \"s\"", "",
           1, 0,
           "t.tally:7:17: error: 'soe' is a value of 'kind'; compare it: kind == soe\n"
           " 7 |     deduct 1 if soe \"r\"\n"
           "   |                 ^~~\n");
}

static void test_enum_values_of_two_categories(void **state) {
  (void)state;
  EXPECT_P("  kind enum(soe, private) \"类型\"\n  size enum(big, small) \"规模\"",
           "    deduct 1 if kind == size \"r\"", "", 1, 0,
           "t.tally:8:17: error: values of two different categories compared\n"
           " 8 |     deduct 1 if kind == size \"r\"\n"
           "   |                 ^~~~~~~~~~~~\n");
}

static void test_enum_default_not_a_value(void **state) {
  (void)state;
  EXPECT_P("  kind enum(soe, private) \"类型\" default foreign", "    deduct 1 if kind == soe \"r\"", "", 1, 0,
           "t.tally:3:40: error: 'foreign' is not a value of 'kind'\n"
           " 3 |   kind enum(soe, private) \"类型\" default foreign\n"
           "   |                                          ^~~~~~~\n");
}

/* ---- rating ------------------------------------------------------------------------------ */

static void test_thresholds_out_of_order(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"",
           "rating \"星级\" {\n"
           "  \"三星\" if score >= 7\n"
           "  \"四星\" if score >= 8\n"
           "  else none\n"
           "}\n",
           1, 0,
           "t.tally:12:20: error: threshold 8 is not below the previous level's 7\n"
           " 12 |   \"四星\" if score >= 8\n"
           "    |                      ^\n"
           "hint: levels are tested from the top: list them from the highest threshold down\n");
}

static void test_equal_thresholds(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"",
           "rating \"R\" { \"A\" if score >= 8 \"B\" if score >= 8 }\n", 1, 0,
           "t.tally:10:48: error: threshold 8 is not below the previous level's 8\n"
           " 10 | rating \"R\" { \"A\" if score >= 8 \"B\" if score >= 8 }\n"
           "    |                                                ^\n"
           "hint: levels are tested from the top: list them from the highest threshold down\n");
}

static void test_level_above_scale(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"",
           "rating \"星级\" { \"五星\" if score >= 12  \"四星\" if score >= 8 }\n", 0, 1,
           "t.tally:10:32: warning: level \"五星\" can never be reached: 12 is above the scale 10\n"
           " 10 | rating \"星级\" { \"五星\" if score >= 12  \"四星\" if score >= 8 }\n"
           "    |                                    ^~\n");
}

static void test_level_listed_twice(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"",
           "rating \"R\" { \"A\" if score >= 9 \"A\" if score >= 5 }\n", 1, 0,
           "t.tally:10:32: error: level \"A\" listed twice\n"
           " 10 | rating \"R\" { \"A\" if score >= 9 \"A\" if score >= 5 }\n"
           "    |                                ^~~\n");
}

static void test_level_condition_must_be_bool(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"", "rating \"R\" { \"A\" if score }\n", 1, 0,
           "t.tally:10:21: error: a level's condition must be a yes/no value, but this is a number\n"
           " 10 | rating \"R\" { \"A\" if score }\n"
           "    |                     ^~~~~\n");
}

/* Levels with other conditions are not thresholds and are not ordered. */
static void test_levels_that_are_not_thresholds(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  a bool \"a\"", "    deduct 1 if a \"r\"",
                 "rating \"R\" { \"A\" if score >= 9 and not a  \"B\" if score > 9  \"C\" if score >= 5 }\n");
}

/* check_level_threshold recognises exactly `score >= K`. */
static void test_level_threshold_helper(void **state) {
  (void)state;
  char *src = policy("  a bool \"a\"", "    deduct 1 if a \"r\"",
                     "rating \"R\" { \"A\" if score >= 8.5 \"B\" if score > 5 \"C\" if 5 <= score }\n");
  compile_result r;
  char *errs = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&errs, &n);
  compile_source("t.tally", src, strlen(src), f, 0, &r);
  fclose(f);
  free(src);
  int ok = r.tree && r.tree->rating && r.tree->rating->levels.n == 3;
  dec k = -1;
  int t0 = 0, t1 = 1, t2 = 1;
  if (ok) {
    t0 = check_level_threshold(((ast_level *)r.tree->rating->levels.v[0])->cond, &k);
    t1 = check_level_threshold(((ast_level *)r.tree->rating->levels.v[1])->cond, &(dec){0});
    t2 = check_level_threshold(((ast_level *)r.tree->rating->levels.v[2])->cond, &(dec){0});
  }
  compile_result_free(&r);
  check_text(errs, "");
  assert_true(ok);
  assert_int_equal(t0, 1);
  assert_int_equal(k, 8500);
  assert_int_equal(t1, 0);
  assert_int_equal(t2, 0);
}

/* ---- fixed after review: each was a wrong behaviour or a poor message ---- */

/* "soe == kind" is a comparison of the enum with its value, written the
 * other way round; it is refused with "'soe' is a value of 'kind';
 * compare it: kind == soe". */
static void test_enum_value_on_the_left(void **state) {
  (void)state;
  EXPECT_P_CLEAN("  kind enum(soe, private) \"类型\"", "    deduct 1 if soe == kind \"r\"", "");
}

/* "kind < soe": the message tells the officer to write what they wrote
 * ("compare it: kind == soe") instead of saying categories have no order. */
static void test_enum_ordered_message(void **state) {
  (void)state;
  EXPECT_P("  kind enum(soe, private) \"类型\"", "    deduct 1 if kind < soe \"r\"", "", 1, 0,
           "t.tally:7:17: error: a category cannot be ordered with <\n"
           " 7 |     deduct 1 if kind < soe \"r\"\n"
           "   |                 ^~~~~~~~~~\n"
           "hint: use == or !=\n");
}

/* `else "A"` when two levels are named "A" reports the same error at the
 * same place twice (once per earlier level of that name). */
static void test_else_duplicate_reported_once(void **state) {
  (void)state;
  EXPECT_P("  a bool \"a\"", "    deduct 1 if a \"r\"",
           "rating \"R\" { \"A\" if score >= 9 \"A\" if score >= 5 else \"A\" }\n", 2, 0,
           "t.tally:10:32: error: level \"A\" listed twice\n"
           " 10 | rating \"R\" { \"A\" if score >= 9 \"A\" if score >= 5 else \"A\" }\n"
           "    |                                ^~~\n"
           "t.tally:10:55: error: level \"A\" listed twice\n"
           " 10 | rating \"R\" { \"A\" if score >= 9 \"A\" if score >= 5 else \"A\" }\n"
           "    |                                                       ^~~\n");
}

/* The key hint is a fixed text naming 'id' and "单位名称" whatever the input
 * is called; it should show the input's own name and label. */
static void test_key_hint_names_the_input(void **state) {
  (void)state;
  EXPECT_P("  code int \"统一社会信用代码\" key\n  a bool \"a\"", "    deduct 1 if a \"r\"", "", 1, 0,
           "t.tally:3:3: error: the key must be a text input\n"
           " 3 |   code int \"统一社会信用代码\" key\n"
           "   |   ^~~~\n"
           "hint: declare it as: code text \"统一社会信用代码\" key\n");
}

/* A misspelt name whose suggestion is an input used nowhere else: the
 * "did you mean" error is followed by "input … is never used" for the very
 * input it suggests — a second message about the same typo. */
static void test_no_unused_warning_for_suggested_input(void **state) {
  (void)state;
  EXPECT_P("  membership_rate percent \"职工入会率\"", "    deduct 1 if membershp_rate < 80% \"r\"", "", 1, 0,
           "t.tally:7:17: error: unknown name 'membershp_rate'\n"
           " 7 |     deduct 1 if membershp_rate < 80% \"r\"\n"
           "   |                 ^~~~~~~~~~~~~~\n"
           "hint: did you mean 'membership_rate'?\n");
}

/* An input declared twice also draws "input 'a' is never used" for the
 * second declaration (every use resolves to the first). */
static void test_no_unused_warning_for_duplicate_input(void **state) {
  (void)state;
  EXPECT_P("  a bool \"A\"\n  a bool \"B\"", "    deduct 1 if a \"r\"", "", 1, 0,
           "t.tally:4:3: error: input 'a' declared twice\n"
           " 4 |   a bool \"B\"\n"
           "   |   ^\n"
           "hint: the first is on line 3\n");
}

/* A label equal to another input's name is reported as 'duplicate label
 * "x"' on the other input's label, although "x" occurs once: the message
 * should name the clash. */
static void test_label_equal_to_a_name_message(void **state) {
  (void)state;
  EXPECT_P("  a bool \"b\"\n  b bool \"x\"", "    deduct 1 if a and b \"r\"", "", 1, 0,
           "t.tally:4:3: error: the name 'b' is also the label of 'a'\n"
           " 4 |   b bool \"x\"\n"
           "   |   ^\n"
           "hint: 'a' (line 3) has it too; a column could not tell them apart\n");
}

/* A call with the wrong number of values is not looked into: its
 * arguments are never checked, so an input used only there is reported as
 * never used, and a mistake inside (here an unknown name) goes unreported
 * until the arity is fixed. */
static void test_arity_error_still_checks_arguments(void **state) {
  (void)state;
  EXPECT_P("  x number \"x\"", "    deduct 1 if floor(x, y) > 1 \"r\"", "", 2, 0,
           "t.tally:7:17: error: floor takes one value\n"
           " 7 |     deduct 1 if floor(x, y) > 1 \"r\"\n"
           "   |                 ^~~~~~~~~~~\n"
           "t.tally:7:26: error: unknown name 'y'\n"
           " 7 |     deduct 1 if floor(x, y) > 1 \"r\"\n"
           "   |                          ^\n"
           "hint: declare it in an input block: y bool \"…\"\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_minimal_policy_is_clean),
      cmocka_unit_test(test_rushan_enterprise_is_clean),
      cmocka_unit_test(test_check_only_makes_no_bytecode),
      cmocka_unit_test(test_syntax_error_gives_no_tree),
      cmocka_unit_test(test_types_that_mix),
      cmocka_unit_test(test_unknown_name_did_you_mean),
      cmocka_unit_test(test_unknown_name_part_of_a_name),
      cmocka_unit_test(test_unknown_name_no_suggestion),
      cmocka_unit_test(test_unused_input_warning),
      cmocka_unit_test(test_use_in_veto_and_rating),
      cmocka_unit_test(test_duplicate_input),
      cmocka_unit_test(test_duplicate_label),
      cmocka_unit_test(test_enum_value_named_like_an_input),
      cmocka_unit_test(test_enum_value_listed_twice),
      cmocka_unit_test(test_duplicate_item_number),
      cmocka_unit_test(test_section_does_not_add_up),
      cmocka_unit_test(test_sections_do_not_add_up_to_scale),
      cmocka_unit_test(test_default_scale_is_100),
      cmocka_unit_test(test_scale_must_be_positive),
      cmocka_unit_test(test_rule_must_move_points),
      cmocka_unit_test(test_condition_must_be_bool),
      cmocka_unit_test(test_per_over_bool),
      cmocka_unit_test(test_per_over_date),
      cmocka_unit_test(test_per_percentage_needs_rounding),
      cmocka_unit_test(test_per_unit_of_two_needs_rounding),
      cmocka_unit_test(test_per_rounding_said),
      cmocka_unit_test(test_per_unit_must_be_positive),
      cmocka_unit_test(test_per_max_must_be_positive),
      cmocka_unit_test(test_missing_needs_bools),
      cmocka_unit_test(test_award_per_without_max),
      cmocka_unit_test(test_award_max_above_item_points),
      cmocka_unit_test(test_award_if_above_item_points),
      cmocka_unit_test(test_awards_together_above_item_points),
      cmocka_unit_test(test_deduction_above_item_points),
      cmocka_unit_test(test_score_outside_rating),
      cmocka_unit_test(test_score_in_veto),
      cmocka_unit_test(test_veto_condition_must_be_bool),
      cmocka_unit_test(test_percent_compared_with_count),
      cmocka_unit_test(test_bool_compared_with_number),
      cmocka_unit_test(test_bools_cannot_be_ordered),
      cmocka_unit_test(test_date_plus_number),
      cmocka_unit_test(test_percentage_plus_count),
      cmocka_unit_test(test_percentage_times_percentage),
      cmocka_unit_test(test_arithmetic_on_bool),
      cmocka_unit_test(test_not_and_minus_operands),
      cmocka_unit_test(test_and_operand_must_be_bool),
      cmocka_unit_test(test_function_arity),
      cmocka_unit_test(test_function_mixed_types),
      cmocka_unit_test(test_text_input_used_in_rule),
      cmocka_unit_test(test_required_with_default),
      cmocka_unit_test(test_default_outside_range),
      cmocka_unit_test(test_default_of_wrong_type),
      cmocka_unit_test(test_range_on_bool),
      cmocka_unit_test(test_empty_range),
      cmocka_unit_test(test_range_of_wrong_type),
      cmocka_unit_test(test_key_must_be_text),
      cmocka_unit_test(test_second_key),
      cmocka_unit_test(test_text_input_not_key),
      cmocka_unit_test(test_enum_comparison_ok),
      cmocka_unit_test(test_enum_unknown_value),
      cmocka_unit_test(test_enum_value_alone),
      cmocka_unit_test(test_enum_values_of_two_categories),
      cmocka_unit_test(test_enum_default_not_a_value),
      cmocka_unit_test(test_thresholds_out_of_order),
      cmocka_unit_test(test_equal_thresholds),
      cmocka_unit_test(test_level_above_scale),
      cmocka_unit_test(test_level_listed_twice),
      cmocka_unit_test(test_level_condition_must_be_bool),
      cmocka_unit_test(test_levels_that_are_not_thresholds),
      cmocka_unit_test(test_level_threshold_helper),
      cmocka_unit_test(test_enum_value_on_the_left),
      cmocka_unit_test(test_enum_ordered_message),
      cmocka_unit_test(test_else_duplicate_reported_once),
      cmocka_unit_test(test_key_hint_names_the_input),
      cmocka_unit_test(test_no_unused_warning_for_suggested_input),
      cmocka_unit_test(test_no_unused_warning_for_duplicate_input),
      cmocka_unit_test(test_label_equal_to_a_name_message),
      cmocka_unit_test(test_arity_error_still_checks_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
