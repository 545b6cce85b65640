/* test_date.c — unit tests for calendar dates (runtime/date.c) and UTF-8
 * text helpers (runtime/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/date.h"
#include "runtime/text.h"

/* ---- helpers ---- */

static int64_t ymd(int y, int m, int d) {
  int ok = -1;
  int64_t v = date_from_ymd(y, m, d, &ok);
  if (!ok) print_error("%04d-%02d-%02d refused\n", y, m, d);
  assert_int_equal(ok, 1);
  return v;
}

static void expect_invalid_ymd(int y, int m, int d) {
  int ok = -1;
  assert_int_equal(date_from_ymd(y, m, d, &ok), 0);
  assert_int_equal(ok, 0);
}

static void expect_to_ymd(int64_t days, int y, int m, int d) {
  int yy = -1, mm = -1, dd = -1;
  date_to_ymd(days, &yy, &mm, &dd);
  assert_int_equal(yy, y);
  assert_int_equal(mm, m);
  assert_int_equal(dd, d);
}

static void expect_parse(const char *s, int64_t want) {
  int64_t v = -99;
  assert_int_equal(date_parse(s, strlen(s), &v), 0);
  assert_int_equal(v, want);
}

/* -1 (not a date): the output is left alone. */
static void expect_not_date(const char *s) {
  int64_t v = -99;
  assert_int_equal(date_parse(s, strlen(s), &v), -1);
  assert_int_equal(v, -99);
}

/* -2: looks like a date, but the day does not exist. */
static void expect_no_such_day(const char *s) {
  int64_t v = -99;
  assert_int_equal(date_parse(s, strlen(s), &v), -2);
}

static void expect_format(int64_t days, const char *want) {
  char buf[DATE_BUFSZ];
  memset(buf, 'X', sizeof buf);
  assert_ptr_equal(date_format(days, buf), buf);
  assert_string_equal(buf, want);
}

static void expect_invalid_utf8(const char *s, size_t n, size_t bad_at) {
  size_t bad = 9999;
  assert_int_equal(txt_utf8_valid(s, n, &bad), 0);
  assert_int_equal(bad, bad_at);
}

static void expect_valid_utf8(const char *s, size_t n) {
  size_t bad = 9999;
  assert_int_equal(txt_utf8_valid(s, n, &bad), 1);
  assert_int_equal(bad, 9999); /* untouched */
}

#define W(s) txt_width((s), strlen(s))
#define C(s) txt_chars((s), strlen(s))

/* txt_pad's output as a malloc'd string. */
static char *pad(const char *s, size_t width, int right) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  txt_pad(f, s, width, right);
  assert_int_equal(fclose(f), 0);
  assert_non_null(buf);
  assert_int_equal(strlen(buf), len);
  return buf;
}

static void expect_pad(const char *s, size_t width, int right, const char *want) {
  char *got = pad(s, width, right);
  assert_string_equal(got, want);
  free(got);
}

/* ==== dates ==== */

static void test_date_epoch_and_known_days(void **state) {
  (void)state;
  assert_int_equal(ymd(1970, 1, 1), 0);
  assert_int_equal(ymd(1970, 1, 2), 1);
  assert_int_equal(ymd(1969, 12, 31), -1);
  assert_int_equal(ymd(2000, 2, 29), 11016);
  assert_int_equal(ymd(2024, 1, 1), 19723);
  assert_int_equal(ymd(2024, 6, 30), 19904);
  assert_int_equal(ymd(1900, 3, 1), -25508);
  assert_int_equal(ymd(1600, 3, 1), -135080);
  assert_int_equal(ymd(2100, 2, 28), 47540);
}

static void test_date_limits(void **state) {
  (void)state;
  assert_int_equal(ymd(1, 1, 1), DATE_MIN);
  assert_int_equal(DATE_MIN, -719162);
  assert_int_equal(ymd(9999, 12, 31), DATE_MAX);
  assert_int_equal(DATE_MAX, 2932896);
  expect_to_ymd(DATE_MIN, 1, 1, 1);
  expect_to_ymd(DATE_MAX, 9999, 12, 31);
}

static void test_date_to_ymd_known(void **state) {
  (void)state;
  expect_to_ymd(0, 1970, 1, 1);
  expect_to_ymd(-1, 1969, 12, 31);
  expect_to_ymd(11016, 2000, 2, 29);
  expect_to_ymd(11017, 2000, 3, 1);
  expect_to_ymd(19904, 2024, 6, 30);
  expect_to_ymd(19905, 2024, 7, 1);
  expect_to_ymd(-25509, 1900, 2, 28); /* 1900 has no Feb 29 */
}

/* Every day from 0001-01-01 to 9999-12-31 goes there and back, and
 * consecutive day numbers are consecutive calendar days. */
static void test_date_round_trip_every_day(void **state) {
  (void)state;
  int py = 1, pm = 1, pd = 1;
  for (int64_t n = DATE_MIN; n <= DATE_MAX; n++) {
    int y, m, d, ok;
    date_to_ymd(n, &y, &m, &d);
    if (n > DATE_MIN) {
      int next_month = (d == 1) && (m == pm + 1 || (m == 1 && pm == 12 && y == py + 1));
      if (!(d == pd + 1 && m == pm && y == py) && !next_month) {
        print_error("day %lld: %04d-%02d-%02d after %04d-%02d-%02d\n", (long long)n, y, m, d, py, pm, pd);
        fail();
      }
    }
    int64_t back = date_from_ymd(y, m, d, &ok);
    if (!ok || back != n) {
      print_error("day %lld: %04d-%02d-%02d back to %lld (ok %d)\n", (long long)n, y, m, d,
                  (long long)back, ok);
      fail();
    }
    py = y, pm = m, pd = d;
  }
  assert_int_equal(py, 9999);
  assert_int_equal(pm, 12);
  assert_int_equal(pd, 31);
}

static void test_date_invalid_days(void **state) {
  (void)state;
  expect_invalid_ymd(2023, 2, 29);
  expect_invalid_ymd(2023, 2, 30);
  expect_invalid_ymd(2024, 2, 30);
  expect_invalid_ymd(1900, 2, 29); /* divisible by 100, not by 400 */
  expect_invalid_ymd(2100, 2, 29);
  expect_invalid_ymd(2023, 4, 31);
  expect_invalid_ymd(2023, 6, 31);
  expect_invalid_ymd(2023, 9, 31);
  expect_invalid_ymd(2023, 11, 31);
  expect_invalid_ymd(2023, 1, 32);
  expect_invalid_ymd(2023, 1, 0);
  expect_invalid_ymd(2023, 1, -1);
  expect_invalid_ymd(2023, 13, 1);
  expect_invalid_ymd(2023, 0, 1);
  expect_invalid_ymd(2023, -1, 1);
}

static void test_date_valid_edge_days(void **state) {
  (void)state;
  assert_int_equal(ymd(2000, 2, 29), 11016); /* divisible by 400 */
  assert_int_equal(ymd(2024, 2, 29), 19782);
  assert_int_equal(ymd(2023, 12, 31), 19722);
  assert_int_equal(ymd(2023, 1, 31), 19388);
  assert_int_equal(ymd(2023, 4, 30), 19477);
}

static void test_date_year_range(void **state) {
  (void)state;
  expect_invalid_ymd(0, 1, 1);
  expect_invalid_ymd(-1, 12, 31);
  expect_invalid_ymd(10000, 1, 1);
}

static void test_date_parse_forms(void **state) {
  (void)state;
  expect_parse("2024-06-30", 19904);
  expect_parse("2024/6/30", 19904);
  expect_parse("2024/06/30", 19904);
  expect_parse("1970-01-01", 0);
  expect_parse("1970/1/1", 0);
  expect_parse("2000-02-29", 11016);
  expect_parse("0001-01-01", DATE_MIN);
  expect_parse("9999-12-31", DATE_MAX);
}

/* Not in the header's list (YYYY-MM-DD or YYYY/M/D) but accepted: one-digit
 * month and day with dashes. */
static void test_date_parse_lenient_dash_forms(void **state) {
  (void)state;
  expect_parse("2024-6-30", 19904);
  expect_parse("2024-6-3", ymd(2024, 6, 3));
}

static void test_date_parse_not_a_date(void **state) {
  (void)state;
  expect_not_date("");
  expect_not_date("2024");
  expect_not_date("2024-");
  expect_not_date("2024-6");
  expect_not_date("2024-06");
  expect_not_date("2024-06-");
  expect_not_date("24-06-30");
  expect_not_date("202-06-30");
  expect_not_date("20240-06-30");
  expect_not_date("2024-06-30x");
  expect_not_date("2024-06-300");
  expect_not_date("2024-006-30");
  expect_not_date("2024-06/30");  /* mixed separators */
  expect_not_date("2024/06-30");
  expect_not_date("2024.06.30");
  expect_not_date("20240630");
  expect_not_date(" 2024-06-30");
  expect_not_date("2024-06-30 ");
  expect_not_date("2024--30");
  expect_not_date("-2024-06-30");
  expect_not_date("2024年6月30日");
  expect_not_date("abcd-ef-gh");
}

static void test_date_parse_no_such_day(void **state) {
  (void)state;
  expect_no_such_day("2023-02-30");
  expect_no_such_day("2023-02-29");
  expect_no_such_day("1900-02-29");
  expect_no_such_day("2023-13-01");
  expect_no_such_day("2023-00-10");
  expect_no_such_day("2023-06-00");
  expect_no_such_day("2023-04-31");
  expect_no_such_day("2023/2/30");
  expect_no_such_day("0000-01-01");
  expect_no_such_day("2023-99-99");
}

static void test_date_parse_reads_exactly_n_bytes(void **state) {
  (void)state;
  int64_t v = -99;
  assert_int_equal(date_parse("2024-06-301", 10, &v), 0);
  assert_int_equal(v, 19904);
  v = -99;
  assert_int_equal(date_parse("2024-06-30", 9, &v), 0); /* "2024-06-3" */
  assert_int_equal(v, ymd(2024, 6, 3));
  v = -99;
  assert_int_equal(date_parse("2024-06-30", 8, &v), -1); /* "2024-06-" */
  assert_int_equal(v, -99);
}

static void test_date_format(void **state) {
  (void)state;
  expect_format(0, "1970-01-01");
  expect_format(-1, "1969-12-31");
  expect_format(19904, "2024-06-30");
  expect_format(11016, "2000-02-29");
  expect_format(DATE_MIN, "0001-01-01");
  expect_format(DATE_MAX, "9999-12-31");
  expect_format(ymd(2024, 1, 5), "2024-01-05");
}

static void test_date_format_parse_round_trip(void **state) {
  (void)state;
  static const char *const days[] = {"0001-01-01", "1582-10-15", "1969-12-31", "1970-01-01",
                                     "2000-02-29", "2024-06-30", "9999-12-31"};
  for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
    int64_t v;
    char buf[DATE_BUFSZ];
    assert_int_equal(date_parse(days[i], strlen(days[i]), &v), 0);
    assert_string_equal(date_format(v, buf), days[i]);
  }
}

/* ==== UTF-8 validity ==== */

static void test_utf8_valid_text(void **state) {
  (void)state;
  expect_valid_utf8("", 0);
  expect_valid_utf8("abc", 3);
  expect_valid_utf8("单位名称", strlen("单位名称"));
  expect_valid_utf8("职工入会率85％", strlen("职工入会率85％"));
  expect_valid_utf8("a\0b", 3);             /* NUL is ASCII */
  expect_valid_utf8("\x7f", 1);
  expect_valid_utf8("\xc2\x80", 2);         /* U+0080 */
  expect_valid_utf8("\xdf\xbf", 2);         /* U+07FF */
  expect_valid_utf8("\xe0\xa0\x80", 3);     /* U+0800 */
  expect_valid_utf8("\xed\x9f\xbf", 3);     /* U+D7FF */
  expect_valid_utf8("\xee\x80\x80", 3);     /* U+E000 */
  expect_valid_utf8("\xef\xbf\xbf", 3);     /* U+FFFF */
  expect_valid_utf8("\xf0\x90\x80\x80", 4); /* U+10000 */
  expect_valid_utf8("\xf0\x9f\x98\x80", 4); /* U+1F600 */
  expect_valid_utf8("\xf4\x8f\xbf\xbf", 4); /* U+10FFFF */
}

static void test_utf8_overlongs(void **state) {
  (void)state;
  expect_invalid_utf8("\xc0\x80", 2, 0);
  expect_invalid_utf8("ab\xc0\x80", 4, 2);
  expect_invalid_utf8("\xc1\xbf", 2, 0);
  expect_invalid_utf8("\xe0\x80\x80", 3, 0);
  expect_invalid_utf8("x\xe0\x9f\xbf", 4, 1);      /* U+07FF in three bytes */
  expect_invalid_utf8("\xf0\x80\x80\x80", 4, 0);
  expect_invalid_utf8("单\xf0\x8f\xbf\xbf", 7, 3); /* U+FFFF in four bytes */
}

static void test_utf8_surrogates(void **state) {
  (void)state;
  expect_invalid_utf8("\xed\xa0\x80", 3, 0); /* U+D800 */
  expect_invalid_utf8("abc\xed\xbf\xbf", 6, 3); /* U+DFFF */
  expect_invalid_utf8("\xed\xb0\x80", 3, 0); /* U+DC00 */
}

static void test_utf8_above_max(void **state) {
  (void)state;
  expect_invalid_utf8("\xf4\x90\x80\x80", 4, 0); /* U+110000 */
  expect_invalid_utf8("a\xf5\x80\x80\x80", 5, 1);
  expect_invalid_utf8("\xf7\xbf\xbf\xbf", 4, 0);
  expect_invalid_utf8("\xf8\x88\x80\x80\x80", 5, 0);
  expect_invalid_utf8("\xfe", 1, 0);
  expect_invalid_utf8("\xff", 1, 0);
}

static void test_utf8_stray_continuation(void **state) {
  (void)state;
  expect_invalid_utf8("\x80", 1, 0);
  expect_invalid_utf8("ab\xbf", 3, 2);
  expect_invalid_utf8("单\x80", 4, 3);
}

static void test_utf8_truncated(void **state) {
  (void)state;
  expect_invalid_utf8("\xc3", 1, 0);
  expect_invalid_utf8("a\xe4\xb8", 3, 1);          /* 单 missing its last byte */
  expect_invalid_utf8("ab\xf0\x9f\x98", 5, 2);
  expect_invalid_utf8("\xe4\xb8" "a", 3, 0);       /* interrupted by ASCII */
  expect_invalid_utf8("\xf0\x9f" "ab", 4, 0);
  expect_invalid_utf8("单位", 5, 3);                /* n cuts 位 short */
  expect_invalid_utf8("\xe4\xb8\xe4\xb8\x80", 5, 0);
}

static void test_utf8_first_bad_reported(void **state) {
  (void)state;
  expect_invalid_utf8("ok\xff\xc0\x80", 5, 2);
  expect_invalid_utf8("单位名称\xed\xa0\x80\xff", 16, 12);
}

/* ==== display width ==== */

static void test_width_cjk_two_columns(void **state) {
  (void)state;
  assert_int_equal(W("单位名称"), 8);
  assert_int_equal(W("达标"), 4);
  assert_int_equal(W("　"), 2);      /* U+3000 ideographic space */
  assert_int_equal(W("％"), 2);      /* U+FF05 fullwidth percent */
  assert_int_equal(W("（"), 2);      /* U+FF08 */
  assert_int_equal(W("、"), 2);      /* U+3001 */
}

static void test_width_ascii_and_mixed(void **state) {
  (void)state;
  assert_int_equal(W(""), 0);
  assert_int_equal(W("abc"), 3);
  assert_int_equal(W("职工入会率85%"), 13);
  assert_int_equal(W("APP实名认证"), 11);
  assert_int_equal(W("a单b位c"), 7);
  assert_int_equal(W("t.min 测试"), 10);
}

static void test_width_tabs_controls_combining(void **state) {
  (void)state;
  assert_int_equal(W("\t"), 1);
  assert_int_equal(W("a\tb"), 3);
  assert_int_equal(W("a\nb"), 2);        /* a control takes no column */
  assert_int_equal(W("e\xcc\x81"), 1);   /* e + combining acute */
  assert_int_equal(W("\xc3\xa9"), 1);    /* é precomposed */
  assert_int_equal(W("\xe2\x80\x8b"), 0); /* zero-width space */
}

static void test_width_symbols(void **state) {
  (void)state;
  assert_int_equal(W("√"), 1);  /* U+221A, ambiguous: narrow */
  assert_int_equal(W("×"), 1);  /* U+00D7 */
  assert_int_equal(W("…"), 1);  /* U+2026 */
  assert_int_equal(W("\xf0\x9f\x98\x80"), 2); /* U+1F600 emoji */
}

static void test_width_invalid_bytes_one_column_each(void **state) {
  (void)state;
  assert_int_equal(txt_width("\xff", 1), 1);
  assert_int_equal(txt_width("a\xffz", 3), 3);
  assert_int_equal(txt_width("\xc0\x80", 2), 2);
  assert_int_equal(txt_width("\xe4\xb8", 2), 2); /* truncated 单 */
}

static void test_width_reads_exactly_n_bytes(void **state) {
  (void)state;
  assert_int_equal(txt_width("单位名称", 6), 4);
  assert_int_equal(txt_width("abc单", 3), 3);
  assert_int_equal(txt_width("单位", 0), 0);
}

/* ==== code points ==== */

static void test_chars(void **state) {
  (void)state;
  assert_int_equal(C(""), 0);
  assert_int_equal(C("abc"), 3);
  assert_int_equal(C("单位名称"), 4);
  assert_int_equal(C("职工入会率85%"), 8);
  assert_int_equal(C("e\xcc\x81"), 2);             /* two code points, one column */
  assert_int_equal(C("\xf0\x9f\x98\x80"), 1);
  assert_int_equal(C("\xe3\x80\x80" "a"), 2);
  assert_int_equal(txt_chars("单位名称", 6), 2);
  assert_int_equal(txt_chars("a\0b", 3), 3);
}

/* ==== padding ==== */

static void test_pad_left_aligned(void **state) {
  (void)state;
  expect_pad("abc", 6, 0, "abc   ");
  expect_pad("单位", 6, 0, "单位  ");
  expect_pad("单位名称", 10, 0, "单位名称  ");
  expect_pad("a单", 4, 0, "a单 ");
  expect_pad("", 3, 0, "   ");
}

static void test_pad_right_aligned(void **state) {
  (void)state;
  expect_pad("abc", 6, 1, "   abc");
  expect_pad("单位", 6, 1, "  单位");
  expect_pad("87.5", 6, 1, "  87.5");
  expect_pad("", 2, 1, "  ");
}

static void test_pad_no_room(void **state) {
  (void)state;
  expect_pad("单位名称", 8, 0, "单位名称");
  expect_pad("单位名称", 8, 1, "单位名称");
  expect_pad("单位名称", 3, 0, "单位名称"); /* never cut */
  expect_pad("单位名称", 3, 1, "单位名称");
  expect_pad("abc", 0, 0, "abc");
  expect_pad("", 0, 1, "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_epoch_and_known_days),
      cmocka_unit_test(test_date_limits),
      cmocka_unit_test(test_date_to_ymd_known),
      cmocka_unit_test(test_date_round_trip_every_day),
      cmocka_unit_test(test_date_invalid_days),
      cmocka_unit_test(test_date_valid_edge_days),
      cmocka_unit_test(test_date_year_range),
      cmocka_unit_test(test_date_parse_forms),
      cmocka_unit_test(test_date_parse_lenient_dash_forms),
      cmocka_unit_test(test_date_parse_not_a_date),
      cmocka_unit_test(test_date_parse_no_such_day),
      cmocka_unit_test(test_date_parse_reads_exactly_n_bytes),
      cmocka_unit_test(test_date_format),
      cmocka_unit_test(test_date_format_parse_round_trip),
      cmocka_unit_test(test_utf8_valid_text),
      cmocka_unit_test(test_utf8_overlongs),
      cmocka_unit_test(test_utf8_surrogates),
      cmocka_unit_test(test_utf8_above_max),
      cmocka_unit_test(test_utf8_stray_continuation),
      cmocka_unit_test(test_utf8_truncated),
      cmocka_unit_test(test_utf8_first_bad_reported),
      cmocka_unit_test(test_width_cjk_two_columns),
      cmocka_unit_test(test_width_ascii_and_mixed),
      cmocka_unit_test(test_width_tabs_controls_combining),
      cmocka_unit_test(test_width_symbols),
      cmocka_unit_test(test_width_invalid_bytes_one_column_each),
      cmocka_unit_test(test_width_reads_exactly_n_bytes),
      cmocka_unit_test(test_chars),
      cmocka_unit_test(test_pad_left_aligned),
      cmocka_unit_test(test_pad_right_aligned),
      cmocka_unit_test(test_pad_no_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
