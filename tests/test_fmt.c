/* test_fmt.c — tally fmt's layout, exactly: what moves, what stays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/fmt.h"

static void expect_fmt(const char *in, const char *want) {
  char *out = NULL, err[200];
  size_t n;
  assert_int_equal(fmt_source(in, strlen(in), &out, &n, err, sizeof err), 0);
  if (strcmp(out, want)) fprintf(stderr, "--- got:\n%s--- want:\n%s---\n", out, want);
  assert_string_equal(out, want);
  assert_int_equal(n, strlen(want));
  /* formatting what is formatted changes nothing */
  char *again = NULL;
  assert_int_equal(fmt_source(out, n, &again, &n, err, sizeof err), 0);
  assert_string_equal(again, want);
  free(again);
  free(out);
}

static void expect_refused(const char *in, const char *msg) {
  char *out = NULL, err[200];
  size_t n;
  assert_int_equal(fmt_source(in, strlen(in), &out, &n, err, sizeof err), -1);
  assert_string_equal(err, msg);
}

static void test_indentation_by_depth(void **state) {
  (void)state;
  expect_fmt("section \"S\" 10 {\n"
             "    item 1 \"t\" 10 {\n"
             "\tdeduct 1 unless ok \"r\"\n"
             "        }\n"
             "}\n",
             "section \"S\" 10 {\n"
             "  item 1 \"t\" 10 {\n"
             "    deduct 1 unless ok \"r\"\n"
             "  }\n"
             "}\n");
}

/* A condition under its check stays indented past the check, by as much
 * as its author put it. */
static void test_continuation_keeps_its_offset(void **state) {
  (void)state;
  expect_fmt("index x \"指数\" {\n"
             "      check \"第一\"\n"
             "            ok and ready\n"
             "      check \"第二\" ok\n"
             "}\n",
             "index x \"指数\" {\n"
             "  check \"第一\"\n"
             "        ok and ready\n"
             "  check \"第二\" ok\n"
             "}\n");
}

/* A list opened on the line of its "{" stays aligned under it. */
static void test_inline_block_moves_with_its_line(void **state) {
  (void)state;
  expect_fmt("example \"甲\" {\n"
             "    input  { id: \"甲\", ok: yes,\n"
             "             n: 3 }\n"
             "    expect { score: 10 }\n"
             "}\n",
             "example \"甲\" {\n"
             "  input  { id: \"甲\", ok: yes,\n"
             "           n: 3 }\n"
             "  expect { score: 10 }\n"
             "}\n");
}

/* Braces and # inside strings, braces inside comments: not counted.  A
 * comment at the left of a block is put at the block's indentation and
 * does not set it. */
static void test_strings_and_comments(void **state) {
  (void)state;
  expect_fmt("section \"{不是括号\" 1 {   # } 也不是\n"
             "# 左边的注释\n"
             "      item 1 \"#{\\\"}\" 1 { }\n"
             "}\n",
             "section \"{不是括号\" 1 {   # } 也不是\n"
             "  # 左边的注释\n"
             "  item 1 \"#{\\\"}\" 1 { }\n"
             "}\n");
}

static void test_blanks(void **state) {
  (void)state;
  /* CRLF, trailing blanks and ideographic spaces, blank runs, no final line feed */
  expect_fmt("\n\npolicy t \"标题\" { scale 10 }  \r\n\r\n\r\n\r\n"
             "input {\r\n"
             "\xE3\x80\x80\xE3\x80\x80ok bool \"达标\"\xE3\x80\x80\r\n"
             "}",
             "policy t \"标题\" { scale 10 }\n"
             "\n"
             "input {\n"
             "  ok bool \"达标\"\n"
             "}\n");
  /* spacing inside a line is the author's: aligned reasons stay aligned */
  expect_fmt("item 1 \"t\" 2 {\n"
             "  deduct 1 unless a      \"甲\"\n"
             "  deduct 1 unless bb     \"乙\"\n"
             "}\n",
             "item 1 \"t\" 2 {\n"
             "  deduct 1 unless a      \"甲\"\n"
             "  deduct 1 unless bb     \"乙\"\n"
             "}\n");
  expect_fmt("", "");
}

static void test_refusals(void **state) {
  (void)state;
  expect_refused("section \"S\" 1 {\n}\n}\n", "line 3: a } that closes nothing");
  expect_refused("input { a bool \"甲 }\n", "line 1: a string that does not end on its line");
  expect_refused("section \"S\" 1 {\n  item 1 \"t\" 1 {\n", "2 { without their }: the layout cannot be worked out");
  expect_refused("a { b } }\n", "line 1: a } that closes nothing");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_indentation_by_depth),
      cmocka_unit_test(test_continuation_keeps_its_offset),
      cmocka_unit_test(test_inline_block_moves_with_its_line),
      cmocka_unit_test(test_strings_and_comments),
      cmocka_unit_test(test_blanks),
      cmocka_unit_test(test_refusals),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
