/* test_dec.c — unit tests for exact decimals (runtime/dec.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/dec.h"

/* ---- helpers ---- */

/* Parse a NUL-terminated string; returns the error code, value in *v. */
static int parse(const char *s, dec *v) { return dec_parse(s, strlen(s), v); }

static void expect_parse(const char *s, dec want) {
  dec v = -12345;
  int e = parse(s, &v);
  if (e != DEC_OK) print_error("parsing \"%s\": %s\n", s, dec_strerror(e));
  assert_int_equal(e, DEC_OK);
  assert_int_equal(v, want);
}

/* A failed parse must leave *out alone. */
static void expect_parse_err(const char *s, int err) {
  dec v = -12345;
  assert_int_equal(parse(s, &v), err);
  assert_int_equal(v, -12345);
}

static void expect_format(dec a, const char *want) {
  char buf[DEC_BUFSZ];
  memset(buf, 'X', sizeof buf);
  assert_ptr_equal(dec_format(a, buf), buf);
  assert_string_equal(buf, want);
}

typedef int (*binop)(dec, dec, dec *);

static void expect_op(binop f, dec a, dec b, dec want) {
  dec r = -777;
  assert_int_equal(f(a, b, &r), DEC_OK);
  assert_int_equal(r, want);
}

/* A failed operation must leave *r alone. */
static void expect_op_err(binop f, dec a, dec b, int err) {
  dec r = -777;
  assert_int_equal(f(a, b, &r), err);
  assert_int_equal(r, -777);
}

/* ---- constants ---- */

static void test_constants(void **state) {
  (void)state;
  assert_int_equal(DEC_SCALE, 1000);
  assert_int_equal(DEC_LIMIT, INT64_C(1000000000000000000));
  assert_int_equal(DEC_INT(90), 90000);
  assert_int_equal(DEC_INT(-3), -3000);
}

/* ---- parse ---- */

static void test_parse_whole_and_fraction(void **state) {
  (void)state;
  expect_parse("0", 0);
  expect_parse("90", 90000);
  expect_parse("87.5", 87500);
  expect_parse("0.001", 1);
  expect_parse("1.234", 1234);
  expect_parse("007", 7000);
  expect_parse("100.10", 100100);
}

static void test_parse_signs(void **state) {
  (void)state;
  expect_parse("-0.25", -250);
  expect_parse("-87.5", -87500);
  expect_parse("+3", 3000);
  expect_parse("+0.5", 500);
  expect_parse("-0", 0);
}

static void test_parse_too_many_digits(void **state) {
  (void)state;
  expect_parse_err("1.2345", DEC_EDIGITS);
  expect_parse_err("0.0001", DEC_EDIGITS);
  expect_parse_err("-1.2345", DEC_EDIGITS);
  expect_parse_err("1.0000001", DEC_EDIGITS);
}

static void test_parse_trailing_zeros_allowed(void **state) {
  (void)state;
  expect_parse("1.2340", 1234);
  expect_parse("1.234000000", 1234);
  expect_parse("5.0000", 5000);
}

static void test_parse_syntax_errors(void **state) {
  (void)state;
  expect_parse_err("", DEC_ESYNTAX);
  expect_parse_err(".", DEC_ESYNTAX);
  expect_parse_err("-", DEC_ESYNTAX);
  expect_parse_err("+", DEC_ESYNTAX);
  expect_parse_err("-.", DEC_ESYNTAX);
  expect_parse_err("1e3", DEC_ESYNTAX);
  expect_parse_err("1.5e3", DEC_ESYNTAX);
  expect_parse_err(" 1", DEC_ESYNTAX);
  expect_parse_err("1 ", DEC_ESYNTAX);
  expect_parse_err("1,5", DEC_ESYNTAX);
  expect_parse_err("1.2.3", DEC_ESYNTAX);
  expect_parse_err("--1", DEC_ESYNTAX);
  expect_parse_err("+-1", DEC_ESYNTAX);
  expect_parse_err("abc", DEC_ESYNTAX);
  expect_parse_err("12a", DEC_ESYNTAX);
  expect_parse_err("85%", DEC_ESYNTAX);
}

/* The grammar in dec.h is [+-]digits[.digits]; what happens at its edges. */
static void test_parse_bare_point_forms(void **state) {
  (void)state;
  /* Accepted today: a fraction with no whole part and a point with no
   * fraction (see report: the header's grammar does not admit these). */
  expect_parse(".5", 500);
  expect_parse("-.5", -500);
  expect_parse("1.", 1000);
}

static void test_parse_reads_exactly_n_bytes(void **state) {
  (void)state;
  dec v = 0;
  assert_int_equal(dec_parse("87.5junk", 4, &v), DEC_OK);
  assert_int_equal(v, 87500);
  assert_int_equal(dec_parse("12345", 2, &v), DEC_OK);
  assert_int_equal(v, 12000);
  v = 9;
  assert_int_equal(dec_parse("1\0002", 3, &v), DEC_ESYNTAX); /* embedded NUL */
  assert_int_equal(v, 9);
}

static void test_parse_limits(void **state) {
  (void)state;
  /* 10^15 whole units is exactly DEC_LIMIT. */
  expect_parse("1000000000000000", DEC_LIMIT);
  expect_parse("-1000000000000000", -DEC_LIMIT);
  expect_parse("999999999999999.999", DEC_LIMIT - 1);
  expect_parse("1000000000000000.000", DEC_LIMIT);
  expect_parse_err("1000000000000001", DEC_EOVERFLOW);
  expect_parse_err("-1000000000000001", DEC_EOVERFLOW);
  expect_parse_err("99999999999999999999999999999", DEC_EOVERFLOW);
}

/* A value just above DEC_LIMIT must not get through parsing. */
static void test_parse_fraction_past_limit(void **state) {
  (void)state;
  expect_parse_err("1000000000000000.5", DEC_EOVERFLOW);
  expect_parse_err("-1000000000000000.001", DEC_EOVERFLOW);
}

/* ---- format ---- */

static void test_format_shortest(void **state) {
  (void)state;
  expect_format(0, "0");
  expect_format(90000, "90");
  expect_format(87500, "87.5");
  expect_format(-250, "-0.25");
  expect_format(1, "0.001");
  expect_format(-1, "-0.001");
  expect_format(10, "0.01");
  expect_format(100, "0.1");
  expect_format(1234, "1.234");
  expect_format(100100, "100.1");
  expect_format(-3000, "-3");
}

static void test_format_extremes(void **state) {
  (void)state;
  expect_format(DEC_LIMIT, "1000000000000000");
  expect_format(-DEC_LIMIT, "-1000000000000000");
  expect_format(DEC_LIMIT - 1, "999999999999999.999");
  expect_format(-DEC_LIMIT + 1, "-999999999999999.999");
}

static void test_format_parse_round_trip(void **state) {
  (void)state;
  static const char *const forms[] = {"0", "1", "-1", "0.5", "-0.25", "87.5", "0.001",
                                      "123.456", "-999.999", "100"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    dec v;
    char buf[DEC_BUFSZ];
    assert_int_equal(parse(forms[i], &v), DEC_OK);
    assert_string_equal(dec_format(v, buf), forms[i]);
  }
}

/* ---- add, sub, neg ---- */

static void test_add_sub_exact(void **state) {
  (void)state;
  expect_op(dec_add, 89500, 500, 90000); /* 89.5 + 0.5 == 90 exactly */
  expect_op(dec_add, 100, 200, 300);     /* 0.1 + 0.2 == 0.3 exactly */
  expect_op(dec_add, -250, 250, 0);
  expect_op(dec_sub, 90000, 500, 89500);
  expect_op(dec_sub, 0, 1, -1);
  expect_op(dec_sub, -250, -250, 0);
}

static void test_add_overflow(void **state) {
  (void)state;
  expect_op(dec_add, DEC_LIMIT - 1, 1, DEC_LIMIT);
  expect_op(dec_add, -DEC_LIMIT + 1, -1, -DEC_LIMIT);
  expect_op(dec_add, DEC_LIMIT, -DEC_LIMIT, 0);
  expect_op_err(dec_add, DEC_LIMIT, 1, DEC_EOVERFLOW);
  expect_op_err(dec_add, -DEC_LIMIT, -1, DEC_EOVERFLOW);
  expect_op_err(dec_add, DEC_LIMIT, DEC_LIMIT, DEC_EOVERFLOW);
  expect_op_err(dec_add, -DEC_LIMIT, -DEC_LIMIT, DEC_EOVERFLOW);
}

static void test_sub_overflow(void **state) {
  (void)state;
  expect_op(dec_sub, DEC_LIMIT - 1, -1, DEC_LIMIT);
  expect_op(dec_sub, 0, DEC_LIMIT, -DEC_LIMIT);
  expect_op_err(dec_sub, DEC_LIMIT, -1, DEC_EOVERFLOW);
  expect_op_err(dec_sub, -DEC_LIMIT, 1, DEC_EOVERFLOW);
  expect_op_err(dec_sub, DEC_LIMIT, -DEC_LIMIT, DEC_EOVERFLOW);
  expect_op_err(dec_sub, -DEC_LIMIT, DEC_LIMIT, DEC_EOVERFLOW);
}

static void test_neg(void **state) {
  (void)state;
  dec r = -777;
  assert_int_equal(dec_neg(250, &r), DEC_OK);
  assert_int_equal(r, -250);
  assert_int_equal(dec_neg(-87500, &r), DEC_OK);
  assert_int_equal(r, 87500);
  assert_int_equal(dec_neg(0, &r), DEC_OK);
  assert_int_equal(r, 0);
  assert_int_equal(dec_neg(DEC_LIMIT, &r), DEC_OK);
  assert_int_equal(r, -DEC_LIMIT);
  assert_int_equal(dec_neg(-DEC_LIMIT, &r), DEC_OK);
  assert_int_equal(r, DEC_LIMIT);
  r = -777;
  assert_int_equal(dec_neg(DEC_LIMIT + 1, &r), DEC_EOVERFLOW);
  assert_int_equal(r, -777);
}

/* ---- mul ---- */

static void test_mul_exact(void **state) {
  (void)state;
  expect_op(dec_mul, 2000, 3000, 6000);     /* 2 * 3 */
  expect_op(dec_mul, 1500, 1500, 2250);     /* 1.5 * 1.5 */
  expect_op(dec_mul, -2500, 4000, -10000);  /* -2.5 * 4 */
  expect_op(dec_mul, -500, -500, 250);      /* -0.5 * -0.5 */
  expect_op(dec_mul, 87500, 0, 0);
  expect_op(dec_mul, 90000, 1000, 90000);   /* identity */
}

static void test_mul_rounds_half_away_from_zero(void **state) {
  (void)state;
  expect_op(dec_mul, 1, 500, 1);      /* 0.001*0.5 = 0.0005 → 0.001 */
  expect_op(dec_mul, -1, 500, -1);    /* -0.0005 → -0.001 */
  expect_op(dec_mul, 1, -500, -1);
  expect_op(dec_mul, -1, -500, 1);
  expect_op(dec_mul, 1, 499, 0);      /* 0.000499 → 0 */
  expect_op(dec_mul, -1, 499, 0);
  expect_op(dec_mul, 1, 1500, 2);     /* 0.0015 → 0.002 */
  expect_op(dec_mul, 3, 500, 2);      /* 0.0015 → 0.002 (not to even) */
  expect_op(dec_mul, 5, 500, 3);      /* 0.0025 → 0.003 (not to even) */
  expect_op(dec_mul, -5, 500, -3);
  expect_op(dec_mul, 1234, 1234, 1523); /* 1.522756 → 1.523 */
  expect_op(dec_mul, 1234, -1234, -1523);
  expect_op(dec_mul, 333, 3000, 999);
}

static void test_mul_overflow(void **state) {
  (void)state;
  expect_op(dec_mul, DEC_LIMIT, 1000, DEC_LIMIT);
  expect_op(dec_mul, DEC_LIMIT, -1000, -DEC_LIMIT);
  expect_op(dec_mul, DEC_INT(1000000), DEC_INT(1000000000), DEC_LIMIT); /* 10^6 * 10^9 */
  expect_op_err(dec_mul, DEC_LIMIT, 1001, DEC_EOVERFLOW);
  expect_op_err(dec_mul, DEC_LIMIT, DEC_LIMIT, DEC_EOVERFLOW);
  expect_op_err(dec_mul, -DEC_LIMIT, DEC_LIMIT, DEC_EOVERFLOW);
  expect_op_err(dec_mul, DEC_INT(1000001), DEC_INT(1000000000), DEC_EOVERFLOW);
}

/* ---- div ---- */

static void test_div_exact(void **state) {
  (void)state;
  expect_op(dec_div, 90000, 2000, 45000);
  expect_op(dec_div, 1000, 8000, 125);
  expect_op(dec_div, -1000, 4000, -250);
  expect_op(dec_div, 87500, 1000, 87500);
  expect_op(dec_div, 0, -3000, 0);
}

static void test_div_rounds_half_away_from_zero(void **state) {
  (void)state;
  expect_op(dec_div, 1000, 3000, 333);   /* 1/3 */
  expect_op(dec_div, 2000, 3000, 667);   /* 2/3 */
  expect_op(dec_div, -2000, 3000, -667);
  expect_op(dec_div, 2000, -3000, -667);
  expect_op(dec_div, -2000, -3000, 667);
  expect_op(dec_div, -1000, 3000, -333);
  expect_op(dec_div, 1, 2000, 1);        /* 0.0005 → 0.001 */
  expect_op(dec_div, -1, 2000, -1);
  expect_op(dec_div, 1, -2000, -1);
  expect_op(dec_div, 1, 2001, 0);        /* just under a half */
  expect_op(dec_div, 3, 2000, 2);        /* 0.0015 → 0.002 */
  expect_op(dec_div, 5, 2000, 3);        /* 0.0025 → 0.003 */
  expect_op(dec_div, 10000, 7000, 1429); /* 1.428571… */
}

static void test_div_by_zero(void **state) {
  (void)state;
  expect_op_err(dec_div, 1000, 0, DEC_EDIVZERO);
  expect_op_err(dec_div, 0, 0, DEC_EDIVZERO);
  expect_op_err(dec_div, -DEC_LIMIT, 0, DEC_EDIVZERO);
}

static void test_div_overflow(void **state) {
  (void)state;
  expect_op(dec_div, DEC_LIMIT, 1000, DEC_LIMIT);
  expect_op(dec_div, DEC_LIMIT, -1000, -DEC_LIMIT);
  expect_op_err(dec_div, DEC_LIMIT, 999, DEC_EOVERFLOW);
  expect_op_err(dec_div, DEC_LIMIT, 1, DEC_EOVERFLOW);
  expect_op_err(dec_div, -DEC_LIMIT, 1, DEC_EOVERFLOW);
  expect_op(dec_div, 1, DEC_LIMIT, 0);
}

/* ---- floor, ceil, whole ---- */

static void test_floor(void **state) {
  (void)state;
  assert_int_equal(dec_floor(0), 0);
  assert_int_equal(dec_floor(87500), 87000);
  assert_int_equal(dec_floor(87999), 87000);
  assert_int_equal(dec_floor(90000), 90000);
  assert_int_equal(dec_floor(-500), -1000);
  assert_int_equal(dec_floor(-1), -1000);
  assert_int_equal(dec_floor(-1000), -1000);
  assert_int_equal(dec_floor(-1001), -2000);
  assert_int_equal(dec_floor(DEC_LIMIT), DEC_LIMIT);
  assert_int_equal(dec_floor(-DEC_LIMIT + 1), -DEC_LIMIT);
}

static void test_ceil(void **state) {
  (void)state;
  assert_int_equal(dec_ceil(0), 0);
  assert_int_equal(dec_ceil(87500), 88000);
  assert_int_equal(dec_ceil(87001), 88000);
  assert_int_equal(dec_ceil(90000), 90000);
  assert_int_equal(dec_ceil(-500), 0);
  assert_int_equal(dec_ceil(-1), 0);
  assert_int_equal(dec_ceil(-1000), -1000);
  assert_int_equal(dec_ceil(-1999), -1000);
  assert_int_equal(dec_ceil(DEC_LIMIT - 1), DEC_LIMIT);
}

static void test_is_whole(void **state) {
  (void)state;
  assert_true(dec_is_whole(0));
  assert_true(dec_is_whole(90000));
  assert_true(dec_is_whole(-3000));
  assert_true(dec_is_whole(DEC_LIMIT));
  assert_false(dec_is_whole(87500));
  assert_false(dec_is_whole(-500));
  assert_false(dec_is_whole(1));
  assert_false(dec_is_whole(-1));
}

/* ---- messages ---- */

static void test_strerror(void **state) {
  (void)state;
  assert_string_equal(dec_strerror(DEC_OK), "no error");
  assert_string_equal(dec_strerror(DEC_EOVERFLOW), "number too large");
  assert_string_equal(dec_strerror(DEC_EDIVZERO), "division by zero");
  assert_string_equal(dec_strerror(DEC_ESYNTAX), "not a number");
  assert_string_equal(dec_strerror(DEC_EDIGITS), "more than 3 decimal places");
  assert_string_equal(dec_strerror(99), "unknown decimal error");
  assert_string_equal(dec_strerror(-1), "unknown decimal error");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_constants),
      cmocka_unit_test(test_parse_whole_and_fraction),
      cmocka_unit_test(test_parse_signs),
      cmocka_unit_test(test_parse_too_many_digits),
      cmocka_unit_test(test_parse_trailing_zeros_allowed),
      cmocka_unit_test(test_parse_syntax_errors),
      cmocka_unit_test(test_parse_bare_point_forms),
      cmocka_unit_test(test_parse_reads_exactly_n_bytes),
      cmocka_unit_test(test_parse_limits),
      cmocka_unit_test(test_parse_fraction_past_limit),
      cmocka_unit_test(test_format_shortest),
      cmocka_unit_test(test_format_extremes),
      cmocka_unit_test(test_format_parse_round_trip),
      cmocka_unit_test(test_add_sub_exact),
      cmocka_unit_test(test_add_overflow),
      cmocka_unit_test(test_sub_overflow),
      cmocka_unit_test(test_neg),
      cmocka_unit_test(test_mul_exact),
      cmocka_unit_test(test_mul_rounds_half_away_from_zero),
      cmocka_unit_test(test_mul_overflow),
      cmocka_unit_test(test_div_exact),
      cmocka_unit_test(test_div_rounds_half_away_from_zero),
      cmocka_unit_test(test_div_by_zero),
      cmocka_unit_test(test_div_overflow),
      cmocka_unit_test(test_floor),
      cmocka_unit_test(test_ceil),
      cmocka_unit_test(test_is_whole),
      cmocka_unit_test(test_strerror),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
