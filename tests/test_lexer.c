/* test_lexer.c — tokens and lexical errors (lang/lexer.l, lang/parse.c),
 * seen through the public API: parse_policy() and the diagnostics it
 * prints (lang/diag.c).  Every diagnostic is compared in full: the message
 * line, the quoted source line, the caret line and the hint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/parse.h"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct {
  ast_policy *tree; /* NULL when parsing failed */
  char *diags;      /* everything printed to the diagnostics stream */
  int nerrors, nwarnings;
} parsed;

static parsed parse_n(const char *src, size_t len) {
  parsed r = {0};
  size_t n = 0;
  FILE *f = open_memstream(&r.diags, &n);
  assert_non_null(f);
  diag d;
  diag_init(&d, f, "t.tally", src, len);
  r.tree = parse_policy(src, len, &d);
  fclose(f);
  r.nerrors = d.nerrors;
  r.nwarnings = d.nwarnings;
  return r;
}

static void parsed_free(parsed *r) {
  if (r->tree) ast_arena_free(r->tree->arena);
  free(r->diags);
}

/* Compare a malloc'd text with the expected one, freeing it first so that
 * a failing test leaks nothing. */
static void check_text(char *got, const char *want) {
  int same = got && strcmp(got, want) == 0;
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", got ? got : "(null)", want);
  free(got);
  if (!same) fail();
}

/* The source must be refused with exactly one error printing `expected`. */
static void expect_error_n(const char *src, size_t len, const char *expected) {
  parsed r = parse_n(src, len);
  int refused = r.tree == NULL, nerrors = r.nerrors, nwarnings = r.nwarnings;
  char *diags = r.diags;
  r.diags = NULL;
  parsed_free(&r);
  check_text(diags, expected);
  assert_true(refused);
  assert_int_equal(nerrors, 1);
  assert_int_equal(nwarnings, 0);
}
#define EXPECT_ERROR(src, expected) expect_error_n((src), strlen(src), (expected))

/* The source must parse silently; returns the tree printed by ast_print
 * (or the diagnostics, when it did not parse). */
static char *print_ok(const char *src) {
  parsed r = parse_n(src, strlen(src));
  if (!r.tree) {
    char *d = r.diags;
    r.diags = NULL;
    parsed_free(&r);
    return d;
  }
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  assert_non_null(f);
  if (r.diags[0]) fputs(r.diags, f);
  ast_print(f, r.tree);
  fclose(f);
  parsed_free(&r);
  return out;
}
#define EXPECT_TREE(src, expected) check_text(print_ok(src), (expected))

/* ---- tokens ------------------------------------------------------------------- */

static void test_keywords_of_the_header(void **state) {
  (void)state;
  EXPECT_TREE("policy rushan.enterprise \"标准\" {\n"
              "  issuer \"乳山市总工会\"\n"
              "  document \"乳会发〔2020〕6号\"\n"
              "  scale 100\n"
              "}\n",
              "policy rushan.enterprise \"标准\"\n"
              "  issuer \"乳山市总工会\"\n"
              "  document \"乳会发〔2020〕6号\"\n"
              "  scale 100\n");
}

/* yes/true and no/false are the same tokens. */
static void test_yes_true_no_false(void **state) {
  (void)state;
  EXPECT_TREE("policy a \"b\" {}\n"
              "veto \"v\" if yes or true or no or false\n",
              "policy a \"b\"\n"
              "veto \"v\" if yes or yes or no or no\n");
}

/* Numbers keep up to three decimals; leading zeros and trailing zeros of
 * the fraction go, but an item number is kept as written. */
static void test_numbers(void **state) {
  (void)state;
  EXPECT_TREE("policy a \"b\" { scale 007.50 }\n"
              "section \"S\" 7.5 {\n"
              "  item 01 \"t\" 7.5 { award 0.125 if x \"r\" }\n"
              "  item 1.10 \"u\" 0 { deduct 1000000 if x \"s\" }\n"
              "}\n",
              "policy a \"b\"\n"
              "  scale 7.5\n"
              "section \"S\" 7.5\n"
              "  item 01 \"t\" 7.5\n"
              "    award 0.125 if x \"r\"\n"
              "  item 1.10 \"u\" 0\n"
              "    deduct 1000000 if x \"s\"\n");
}

static void test_percent_and_date_literals(void **state) {
  (void)state;
  EXPECT_TREE("policy a \"b\" {}\n"
              "veto \"v\" if r < 80.5% or r > 100% or d > 2024-02-29 or d < 1999-12-31\n",
              "policy a \"b\"\n"
              "veto \"v\" if r < 80.5% or r > 100% or d > 2024-02-29 or d < 1999-12-31\n");
}

/* The value of the effective date: INT64_MIN when none, INT64_MAX when
 * the source did not parse. */
static int64_t effective_of(const char *src) {
  parsed r = parse_n(src, strlen(src));
  int64_t v = r.tree ? r.tree->effective : INT64_MAX;
  parsed_free(&r);
  return v;
}

/* The effective date is a DATE token: days since 1970-01-01. */
static void test_date_value(void **state) {
  (void)state;
  assert_int_equal(effective_of("policy a \"b\" { effective 1970-01-02 }\n"), 1);
  assert_int_equal(effective_of("policy a \"b\" { effective 2024-06-30 }\n"), 19904);
  assert_int_equal(effective_of("policy a \"b\" { effective 1969-12-31 }\n"), -1);
  assert_int_equal(effective_of("policy a \"b\" { effective 0001-01-01 }\n"), -719162);
}

/* Without an effective date the field stays at INT64_MIN. */
static void test_no_effective_date(void **state) {
  (void)state;
  assert_true(effective_of("policy a \"b\" {}") == INT64_MIN);
}

/* \" \\ \n \t are resolved in the token's value. */
static void test_string_escapes(void **state) {
  (void)state;
  const char *src = "policy a \"q\\\"b\\\\s\\tt\\nu\" {}";
  parsed r = parse_n(src, strlen(src));
  char *title = r.tree ? strdup(r.tree->title) : NULL;
  char *diags = r.diags;
  r.diags = NULL;
  parsed_free(&r);
  check_text(diags, "");
  check_text(title, "q\"b\\s\tt\nu");
}

/* A '#' inside a string is text, not a comment; an empty string is fine. */
static void test_hash_inside_string(void **state) {
  (void)state;
  EXPECT_TREE("policy a \"第#1号\" { issuer \"\" } # 注释 \"x\n",
              "policy a \"第#1号\"\n"
              "  issuer \"\"\n");
}

static void test_comments_everywhere(void **state) {
  (void)state;
  EXPECT_TREE("# 文件头\n"
              "policy a \"b\" { # 头\n"
              "  scale 10 # 满分\n"
              "} # 结束\n"
              "# 最后一行，没有换行",
              "policy a \"b\"\n"
              "  scale 10\n");
}

/* Spaces, tabs, CR LF line ends and the ideographic space (U+3000, as
 * pasted from a document) all separate tokens. */
static void test_whitespace_kinds(void **state) {
  (void)state;
  EXPECT_TREE("policy\ta \"b\"\r\n{\r\n\tscale\t10\r\n}\r\n"
              "veto \xe3\x80\x80\"v\" \xe3\x80\x80 if x\n",
              "policy a \"b\"\n"
              "  scale 10\n"
              "veto \"v\" if x\n");
}

/* Names: letters, digits, '_' and Chinese; a keyword inside a longer name
 * is just part of the name. */
static void test_names(void **state) {
  (void)state;
  EXPECT_TREE("policy a_1.b2.中文 \"b\" {}\n"
              "veto \"v\" if _x9 and 达标率2 and A_b and iffy and notice and order and scored\n",
              "policy a_1.b2.中文 \"b\"\n"
              "veto \"v\" if _x9 and 达标率2 and A_b and iffy and notice and order and scored\n");
}

/* The two-character operators are single tokens. */
static void test_operators(void **state) {
  (void)state;
  EXPECT_TREE("policy a \"b\" {}\n"
              "veto \"v\" if a==b or a!=b or a<=b or a>=b or a<b or a>b or a+b*c/d-e>0\n",
              "policy a \"b\"\n"
              "veto \"v\" if a == b or a != b or a <= b or a >= b or a < b or a > b or a + b * c / d - e > 0\n");
}

/* ---- lexical errors ----------------------------------------------------------- */

static void test_error_single_equals(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "veto \"v\" if x = 1\n",
               "t.tally:2:15: error: unexpected '='\n"
               " 2 | veto \"v\" if x = 1\n"
               "   |               ^\n"
               "hint: compare with ==\n");
}

static void test_error_unterminated_string(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b {}\n"
               "scale 1\n",
               "t.tally:1:10: error: unterminated string\n"
               " 1 | policy a \"b {}\n"
               "   |          ^~~~~\n"
               "hint: close it with \" on the same line; write long texts as several strings side by side\n");
}

/* At the very end of the file, after a backslash. */
static void test_error_unterminated_string_backslash_at_eof(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\\",
               "t.tally:1:10: error: unterminated string\n"
               " 1 | policy a \"b\\\n"
               "   |          ^~~\n"
               "hint: close it with \" on the same line; write long texts as several strings side by side\n");
}

/* The caret stands under the backslash: the column counts characters, the
 * caret's indent counts display width (two columns per Chinese character). */
static void test_error_unknown_escape(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"中文\\q\" {}\n",
               "t.tally:1:13: error: unknown escape '\\q' in a string\n"
               " 1 | policy a \"中文\\q\" {}\n"
               "   |               ^~\n"
               "hint: the escapes are \\\" \\\\ \\n and \\t\n");
}

static void test_error_fullwidth_paren_in_name(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "input { 名称（a bool \"x\" }\n",
               "t.tally:2:11: error: unexpected character '（' (U+FF08)\n"
               " 2 | input { 名称（a bool \"x\" }\n"
               "   |             ^~\n"
               "hint: a full-width character? names are letters, digits and _\n");
}

/* A full-width comma after a name is caught in the name. */
static void test_error_fullwidth_comma_after_name(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "veto \"v\" if a，b\n",
               "t.tally:2:14: error: unexpected character '，' (U+FF0C)\n"
               " 2 | veto \"v\" if a，b\n"
               "   |              ^~\n"
               "hint: a full-width character? names are letters, digits and _\n");
}

static void test_error_invalid_utf8(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "# \xff\n",
               "t.tally:2:3: error: invalid UTF-8 (byte 0xFF)\n"
               " 2 | # \xff\n"
               "   |   ^\n"
               "hint: save the policy as UTF-8\n");
}

/* A sequence cut short: the error is at its first byte. */
static void test_error_truncated_utf8(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"中\xe4\xb8\" {}\n",
               "t.tally:1:12: error: invalid UTF-8 (byte 0xE4)\n"
               " 1 | policy a \"中\xe4\xb8\" {}\n"
               "   |             ^\n"
               "hint: save the policy as UTF-8\n");
}

/* An overlong encoding of '/' is not UTF-8. */
static void test_error_overlong_utf8(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"\xc0\xaf\" {}\n",
               "t.tally:1:11: error: invalid UTF-8 (byte 0xC0)\n"
               " 1 | policy a \"\xc0\xaf\" {}\n"
               "   |           ^\n"
               "hint: save the policy as UTF-8\n");
}

static void test_error_nul_byte(void **state) {
  (void)state;
  static const char src[] = "policy a \"b\" {}\nveto \"v\" if \0x\n";
  expect_error_n(src, sizeof src - 1,
                 "t.tally:2:13: error: NUL byte in the policy\n"
                 " 2 | veto \"v\" if ?x\n"
                 "   |             ^\n");
}

static void test_error_date_not_in_calendar(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" { effective 2023-02-30 }\n",
               "t.tally:1:26: error: '2023-02-30' is not a date of the calendar\n"
               " 1 | policy a \"b\" { effective 2023-02-30 }\n"
               "   |                          ^~~~~~~~~~\n"
               "hint: dates are written YYYY-MM-DD\n");
}

static void test_error_month_13(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "veto \"v\" if d > 2023-13-01\n",
               "t.tally:2:17: error: '2023-13-01' is not a date of the calendar\n"
               " 2 | veto \"v\" if d > 2023-13-01\n"
               "   |                 ^~~~~~~~~~\n"
               "hint: dates are written YYYY-MM-DD\n");
}

static void test_error_four_decimals(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" { scale 10.1234 }\n",
               "t.tally:1:22: error: number '10.1234': more than 3 decimal places\n"
               " 1 | policy a \"b\" { scale 10.1234 }\n"
               "   |                      ^~~~~~~\n"
               "hint: Tally keeps three decimal places\n");
}

/* The '%' is not part of the quoted number. */
static void test_error_four_decimals_percent(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "veto \"v\" if r < 80.0001%\n",
               "t.tally:2:17: error: number '80.0001': more than 3 decimal places\n"
               " 2 | veto \"v\" if r < 80.0001%\n"
               "   |                 ^~~~~~~~\n"
               "hint: Tally keeps three decimal places\n");
}

static void test_error_number_too_large(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" { scale 99999999999999999999 }\n",
               "t.tally:1:22: error: number '99999999999999999999': number too large\n"
               " 1 | policy a \"b\" { scale 99999999999999999999 }\n"
               "   |                      ^~~~~~~~~~~~~~~~~~~~\n");
}

static void test_error_unexpected_ascii_character(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" { scale 10 } @\n",
               "t.tally:1:27: error: unexpected character '@'\n"
               " 1 | policy a \"b\" { scale 10 } @\n"
               "   |                           ^\n");
}

/* '%' only follows a number directly. */
static void test_error_lone_percent_sign(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "veto \"v\" if x > 80 %\n",
               "t.tally:2:20: error: unexpected character '%'\n"
               " 2 | veto \"v\" if x > 80 %\n"
               "   |                    ^\n");
}

/* Columns count characters; the caret's indent is the display width of
 * what comes before it (a Chinese character takes two). */
static void test_error_column_after_chinese(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"中文名称\" { scale x }\n",
               "t.tally:1:25: error: expected a number, found 'x'\n"
               " 1 | policy a \"中文名称\" { scale x }\n"
               "   |                             ^\n");
}

/* A tab is copied to the caret line, so the caret lines up at any tab width. */
static void test_error_caret_after_tab(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {\tscale \"x\" }\n",
               "t.tally:1:22: error: expected a number, found '\"x\"'\n"
               " 1 | policy a \"b\" {\tscale \"x\" }\n"
               "   |               \t      ^~~\n");
}

/* CR LF: the CR is not part of the quoted line. */
static void test_error_line_with_crlf(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {\r\n scale \"x\"\r\n}\r\n",
               "t.tally:2:8: error: expected a number, found '\"x\"'\n"
               " 2 |  scale \"x\"\n"
               "   |        ^~~\n");
}

/* Lines are counted across comments and blank lines; the gutter widens
 * with the line number. */
static void test_error_on_line_ten(void **state) {
  (void)state;
  EXPECT_ERROR("# 1\n# 2\n\n# 4\npolicy a \"b\" {\n# 6\n\n\n}\n"
               "veto \"v\" if x = 1\n",
               "t.tally:10:15: error: unexpected '='\n"
               " 10 | veto \"v\" if x = 1\n"
               "    |               ^\n"
               "hint: compare with ==\n");
}

/* Only the first lexical error is reported: the parser stops quietly. */
static void test_only_first_lexical_error(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" { scale 1.2345 } @ = \"x\n",
               "t.tally:1:22: error: number '1.2345': more than 3 decimal places\n"
               " 1 | policy a \"b\" { scale 1.2345 } @ = \"x\n"
               "   |                      ^~~~~~\n"
               "hint: Tally keeps three decimal places\n");
}

/* Diagnostics are printed without colour when the stream is not a
 * terminal, and the counts are kept in the diag. */
static void test_diag_report_direct(void **state) {
  (void)state;
  const char *src = "ab\n中文cd\n";
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  assert_non_null(f);
  diag d;
  diag_init(&d, f, "x.tally", src, strlen(src));
  assert_int_equal(d.color, 0);
  ast_loc at = {2, 3, 9, 11, 0}; /* "cd" */
  diag_report(&d, DIAG_WARNING, at, NULL, "look at %s", "cd");
  ast_loc at2 = {2, 1, 3, 9, 0}; /* "中文" */
  diag_report(&d, DIAG_NOTE, at2, "a hint", "two characters");
  fclose(f);
  assert_string_equal(out,
                      "x.tally:2:3: warning: look at cd\n"
                      " 2 | 中文cd\n"
                      "   |     ^~\n"
                      "x.tally:2:1: note: two characters\n"
                      " 2 | 中文cd\n"
                      "   | ^~~~\n"
                      "hint: a hint\n");
  assert_int_equal(d.nerrors, 0);
  assert_int_equal(d.nwarnings, 1);
  free(out);
}

/* ---- fixed after review: each was a wrong behaviour or a poor message ---- */

/* The ideographic space is skipped as whitespace between tokens, but next
 * to a word the name rule swallows it (its bytes are name bytes, and the
 * longer match wins), so "policy　a" and "\"v\"　if" are refused.
 * Expected: it separates tokens everywhere. */
static void test_ideographic_space_after_word(void **state) {
  (void)state;
  EXPECT_TREE("policy\xe3\x80\x80" "a \"b\" {}\n"
              "veto \"v\"\xe3\x80\x80if x\xe3\x80\x80or y\n",
              "policy a \"b\"\n"
              "veto \"v\" if x or y\n");
}

/* Curly quotes pasted from a document are the likeliest mistake of all, but
 * get no hint (full-width punctuation at the start of a token gets none). */
static void test_curly_quote_has_hint(void **state) {
  (void)state;
  EXPECT_ERROR("policy a “b” {}\n",
               "t.tally:1:10: error: unexpected character '“' (U+201C)\n"
               " 1 | policy a “b” {}\n"
               "   |          ^\n"
               "hint: strings are written between straight quotes: \"…\"\n");
}

static void test_fullwidth_at_token_start_has_hint(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" {}\n"
               "input { （a bool \"x\" }\n",
               "t.tally:2:9: error: unexpected character '（' (U+FF08)\n"
               " 2 | input { （a bool \"x\" }\n"
               "   |         ^~\n"
               "hint: a full-width character? names are letters, digits and _\n");
}

/* An escape of a non-ASCII character: the caret covers the backslash and
 * only the first byte of the character (so it is one column short), and the
 * message shows '\\?' rather than the character. */
static void test_unknown_escape_of_a_chinese_character(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"x\\中\" {}\n",
               "t.tally:1:12: error: unknown escape '\\中' in a string\n"
               " 1 | policy a \"x\\中\" {}\n"
               "   |            ^~~\n"
               "hint: the escapes are \\\" \\\\ \\n and \\t\n");
}

/* A control character is reported as '?', which names nothing. */
static void test_control_character_named(void **state) {
  (void)state;
  EXPECT_ERROR("policy a \"b\" { scale 10 } \x01\n",
               "t.tally:1:27: error: unexpected character U+0001\n"
               " 1 | policy a \"b\" { scale 10 } ?\n"
               "   |                           ^\n");
}

/* An empty file is reported at line 0, column 0 (and with no quote). */
static void test_empty_file_location(void **state) {
  (void)state;
  parsed r = parse_n("", 0);
  int refused = r.tree == NULL, nerrors = r.nerrors;
  char *first_line = r.diags;
  r.diags = NULL;
  parsed_free(&r);
  char *nl = strchr(first_line, '\n');
  if (nl) nl[1] = 0; /* the message line only: how to quote an empty file is open */
  check_text(first_line, "t.tally:1:1: error: expected 'policy', found the end of the file\n");
  assert_true(refused);
  assert_int_equal(nerrors, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keywords_of_the_header),
      cmocka_unit_test(test_yes_true_no_false),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_percent_and_date_literals),
      cmocka_unit_test(test_date_value),
      cmocka_unit_test(test_no_effective_date),
      cmocka_unit_test(test_string_escapes),
      cmocka_unit_test(test_hash_inside_string),
      cmocka_unit_test(test_comments_everywhere),
      cmocka_unit_test(test_whitespace_kinds),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_operators),
      cmocka_unit_test(test_error_single_equals),
      cmocka_unit_test(test_error_unterminated_string),
      cmocka_unit_test(test_error_unterminated_string_backslash_at_eof),
      cmocka_unit_test(test_error_unknown_escape),
      cmocka_unit_test(test_error_fullwidth_paren_in_name),
      cmocka_unit_test(test_error_fullwidth_comma_after_name),
      cmocka_unit_test(test_error_invalid_utf8),
      cmocka_unit_test(test_error_truncated_utf8),
      cmocka_unit_test(test_error_overlong_utf8),
      cmocka_unit_test(test_error_nul_byte),
      cmocka_unit_test(test_error_date_not_in_calendar),
      cmocka_unit_test(test_error_month_13),
      cmocka_unit_test(test_error_four_decimals),
      cmocka_unit_test(test_error_four_decimals_percent),
      cmocka_unit_test(test_error_number_too_large),
      cmocka_unit_test(test_error_unexpected_ascii_character),
      cmocka_unit_test(test_error_lone_percent_sign),
      cmocka_unit_test(test_error_column_after_chinese),
      cmocka_unit_test(test_error_caret_after_tab),
      cmocka_unit_test(test_error_line_with_crlf),
      cmocka_unit_test(test_error_on_line_ten),
      cmocka_unit_test(test_only_first_lexical_error),
      cmocka_unit_test(test_diag_report_direct),
      cmocka_unit_test(test_ideographic_space_after_word),
      cmocka_unit_test(test_curly_quote_has_hint),
      cmocka_unit_test(test_fullwidth_at_token_start_has_hint),
      cmocka_unit_test(test_unknown_escape_of_a_chinese_character),
      cmocka_unit_test(test_control_character_named),
      cmocka_unit_test(test_empty_file_location),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
