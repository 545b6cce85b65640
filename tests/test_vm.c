/* test_vm.c — scoring semantics, checked on the Rushan enterprise table
 * (附件1) with scores computed by hand from the document, and on small
 * policies that isolate one rule each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/compile.h"
#include "runtime/prog.h"
#include "runtime/vm.h"

typedef struct {
  prog *p;
  vm_ctx *vm;
  int64_t slots[128];
} fixture;

static fixture *fx_new(const char *text) {
  compile_result cr;
  compile_source("test.tally", text, strlen(text), stderr, 1, &cr);
  assert_int_equal(cr.errors, 0);
  prog_error err;
  fixture *f = calloc(1, sizeof *f);
  f->p = prog_load(cr.tbc, cr.tbc_len, &err);
  assert_non_null(f->p);
  f->vm = vm_new(f->p);
  compile_result_free(&cr);
  return f;
}

static fixture *fx_file(const char *path) {
  size_t len;
  char *text = compile_read_file(path, &len);
  assert_non_null(text);
  fixture *f = fx_new(text);
  free(text);
  return f;
}

static void fx_free(fixture *f) {
  vm_free(f->vm);
  prog_free(f->p);
  free(f);
}

static int fx_input(fixture *f, const char *name) {
  for (uint32_t i = 0; i < f->p->ninputs; i++)
    if (!strcmp(f->p->inputs[i].name, name)) return (int)i;
  fail_msg("no input %s", name);
  return -1;
}

static void fx_set(fixture *f, const char *name, int64_t v) { f->slots[fx_input(f, name)] = v; }

static int fx_item(fixture *f, const char *number) {
  for (uint32_t i = 0; i < f->p->nitems; i++)
    if (!strcmp(f->p->items[i].number, number)) return (int)i;
  fail_msg("no item %s", number);
  return -1;
}

static const vm_result *fx_eval(fixture *f) { return vm_eval(f->vm, f->slots); }

/* Every requirement of 附件1 met: bools yes, rates full, three competitions,
 * two culture events. */
static void rushan_perfect(fixture *f) {
  for (uint32_t i = 0; i < f->p->ninputs; i++)
    f->slots[i] = f->p->inputs[i].type == TBC_T_BOOL ? 1 : 0;
  fx_set(f, "safety_accident", 0);
  fx_set(f, "group_incident", 0);
  fx_set(f, "membership_rate", DEC_INT(100));
  fx_set(f, "app_verified_rate", DEC_INT(100));
  fx_set(f, "insurance_rate", DEC_INT(100));
  fx_set(f, "competitions", DEC_INT(3));
  fx_set(f, "culture_events", DEC_INT(2));
}

#define RUSHAN "policies/rushan-2020-enterprise.tally"

static void test_rushan_perfect_scores_100(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->err, 0);
  assert_int_equal(r->total, DEC_INT(100));
  assert_string_equal(f->p->levels[r->level].name, "五星级");
  assert_int_equal(r->nvetoed, 0);
  fx_free(f);
}

/* The case of the issue: membership 88%, one competition, no childcare, two
 * of four collective contracts missing → 87 (item 5: 2, 6: 3, 12: 2, 20: 0). */
static void test_rushan_issue_case_scores_87(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  fx_set(f, "membership_rate", DEC_INT(88));
  fx_set(f, "competitions", DEC_INT(1));
  fx_set(f, "childcare_service", 0);
  fx_set(f, "wage_contract", 0);
  fx_set(f, "safety_health_contract", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->total, DEC_INT(87));
  assert_int_equal(r->item_score[fx_item(f, "5")], DEC_INT(2));
  assert_int_equal(r->item_score[fx_item(f, "6")], DEC_INT(3));
  assert_int_equal(r->item_score[fx_item(f, "12")], DEC_INT(2));
  assert_int_equal(r->item_score[fx_item(f, "20")], 0);
  assert_string_equal(f->p->levels[r->level].name, "四星级");
  fx_free(f);
}

/* 每少一个百分点扣1分: 87.5% is 2.5 points short, and a begun point counts. */
static void test_rushan_membership_per_started(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i5 = fx_item(f, "5");
  static const struct { dec rate, item; } cases[] = {
      {90000, 4000}, {89999, 3000}, {89500, 3000}, {89000, 3000}, {88200, 2000},
      {87500, 1000}, {87000, 1000}, {86000, 0}, {0, 0}, {100000, 4000}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    fx_set(f, "membership_rate", cases[k].rate);
    const vm_result *r = fx_eval(f);
    assert_int_equal(r->item_score[i5], cases[k].item);
  }
  fx_free(f);
}

/* 超过80%: exactly 80 fails, 80.001 passes. */
static void test_rushan_app_rate_strictly_above_80(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i5 = fx_item(f, "5");
  fx_set(f, "app_verified_rate", DEC_INT(80));
  assert_int_equal(fx_eval(f)->item_score[i5], DEC_INT(2));
  fx_set(f, "app_verified_rate", 80001);
  assert_int_equal(fx_eval(f)->item_score[i5], DEC_INT(4));
  fx_free(f);
}

/* Item 6: 3 per competition up to 9; the base is 9 − 9 = 0. */
static void test_rushan_award_per_with_cap(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i6 = fx_item(f, "6");
  assert_int_equal(f->p->items[i6].base, 0);
  for (int n = 0; n <= 5; n++) {
    fx_set(f, "competitions", DEC_INT(n));
    assert_int_equal(fx_eval(f)->item_score[i6], DEC_INT(n >= 3 ? 9 : 3 * n));
  }
  fx_free(f);
}

/* Item 16 is both: base 6 − 4 = 2, +2 per event up to 4, −2 without
 * facilities. */
static void test_rushan_item16_award_and_deduct(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i16 = fx_item(f, "16");
  assert_int_equal(f->p->items[i16].base, DEC_INT(2));
  fx_set(f, "culture_events", DEC_INT(1));
  fx_set(f, "culture_facilities", 0);
  assert_int_equal(fx_eval(f)->item_score[i16], DEC_INT(2));
  fx_set(f, "culture_events", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->item_score[i16], 0);
  assert_int_equal(r->item_raw[i16], 0);
  fx_set(f, "culture_events", DEC_INT(7));
  fx_set(f, "culture_facilities", 1);
  assert_int_equal(fx_eval(f)->item_score[i16], DEC_INT(6));
  fx_free(f);
}

/* Item 9: both deductions (12) on a 6-point item clamp at 0 (扣完为止). */
static void test_rushan_clamp_keeps_raw(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i9 = fx_item(f, "9");
  fx_set(f, "safety_campaign", 0);
  fx_set(f, "safety_accident", 1);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->item_score[i9], 0);
  assert_int_equal(r->item_raw[i9], DEC_INT(-6));
  assert_int_equal(r->total, DEC_INT(94));
  /* the accident also vetoes: score kept, no rating, score level kept */
  assert_int_equal(r->nvetoed, 1);
  assert_int_equal(r->level, -1);
  assert_string_equal(f->p->levels[r->score_level].name, "五星级");
  fx_free(f);
}

/* Item 4: eight elements at 0.5 each on a 2-point item. */
static void test_rushan_per_missing_half_points(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i4 = fx_item(f, "4");
  fx_set(f, "has_sign", 0);
  assert_int_equal(fx_eval(f)->item_score[i4], 1500);
  assert_int_equal(fx_eval(f)->total, 99500);
  assert_string_equal(f->p->levels[fx_eval(f)->level].name, "五星级");
  fx_set(f, "has_seal", 0);
  fx_set(f, "work_planned", 0);
  fx_set(f, "work_archived", 0);
  fx_set(f, "work_summarized", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->item_score[i4], 0);
  assert_int_equal(r->item_raw[i4], -500);
  fx_free(f);
}

/* 此项不得分 wins over everything else in the item. */
static void test_rushan_zero_rule(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  int i8 = fx_item(f, "8");
  fx_set(f, "platform_alliance_joined", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->item_score[i8], 0);
  assert_int_equal(r->item_zero[i8], 1);
  assert_int_equal(r->total, DEC_INT(97));
  fx_free(f);
}

/* Boundaries: 90 is 五星级, 89.5 is 四星级, 70 三星级, 69.5 none. */
static void test_rushan_level_boundaries(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  /* −10: item 7 loses 5 and 3, item 14 loses 2 → 90 */
  fx_set(f, "innovation_activities", 0);
  fx_set(f, "innovation_incentives", 0);
  fx_set(f, "model_worker_selection", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->total, DEC_INT(90));
  assert_string_equal(f->p->levels[r->level].name, "五星级");
  fx_set(f, "has_sign", 0); /* −0.5 */
  r = fx_eval(f);
  assert_int_equal(r->total, 89500);
  assert_string_equal(f->p->levels[r->level].name, "四星级");
  /* down to 70: item 12 all contracts (−6), item 15 (−6), item 19 (−4), −3.5 more from item 4 */
  fx_set(f, "collective_contract", 0);
  fx_set(f, "wage_contract", 0);
  fx_set(f, "women_rights_contract", 0);
  fx_set(f, "safety_health_contract", 0);
  fx_set(f, "education_fund_drawn", 0);
  fx_set(f, "skills_training", 0);
  fx_set(f, "apprenticeship", 0);
  fx_set(f, "training_archives", 0);
  fx_set(f, "health_checkup_system", 0);
  fx_set(f, "recuperation_system", 0);
  fx_set(f, "mental_health_activities", 0);
  fx_set(f, "mental_health_room", 0);
  r = fx_eval(f);
  assert_int_equal(r->total, 73500);
  fx_set(f, "has_seal", 0);
  fx_set(f, "work_planned", 0);
  fx_set(f, "work_implemented", 0); /* item 4 now 0 (−2 in all) */
  fx_set(f, "funds_self_managed", 0);
  fx_set(f, "same_level_audit", 0); /* −2 → 70 */
  r = fx_eval(f);
  assert_int_equal(r->total, DEC_INT(70));
  assert_string_equal(f->p->levels[r->level].name, "三星级");
  fx_set(f, "app_verified_rate", DEC_INT(50));  /* −2 */
  fx_set(f, "membership_rate", DEC_INT(88));    /* −2 */
  fx_set(f, "culture_events", DEC_INT(1));      /* −2 */
  fx_set(f, "childcare_service", 0);            /* −1 */
  fx_set(f, "officers_qualified", 0);           /* −2 → 61 */
  r = fx_eval(f);
  assert_int_equal(r->total, DEC_INT(61));
  assert_int_equal(r->level, -1);
  assert_int_equal(r->score_level, -1);
  fx_free(f);
}

/* Vetoes are independent of the score and all of them are reported. */
static void test_rushan_vetoes(void **state) {
  (void)state;
  fixture *f = fx_file(RUSHAN);
  rushan_perfect(f);
  fx_set(f, "member_congress_held", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->total, DEC_INT(100));
  assert_int_equal(r->nvetoed, 1);
  assert_int_equal(r->veto_fired[0], 1);
  assert_int_equal(r->level, -1);
  fx_set(f, "group_incident", 1);
  r = fx_eval(f);
  assert_int_equal(r->nvetoed, 2);
  assert_int_equal(r->veto_fired[2], 1);
  assert_int_equal(r->total, DEC_INT(98)); /* item 13 zeroed */
  fx_free(f);
}

/* ---- small policies, one rule each ---------------------------------------- */

static const char *const per_policy =
    "policy t.per \"per\" { scale 10 }\n"
    "input {\n"
    "  q number \"数量\"\n"
    "}\n"
    "section \"s\" 10 {\n"
    "  item 1 \"whole\" 5 { deduct 1 per whole 2.5 of q \"每满2.5扣1分\" }\n"
    "  item 2 \"started\" 5 { deduct 1 per started 2.5 of q max 3 \"每2.5扣1分，最多3分\" }\n"
    "}\n";

static void test_per_whole_and_started_units(void **state) {
  (void)state;
  fixture *f = fx_new(per_policy);
  static const struct { dec q, whole, started; } cases[] = {
      {0, 5000, 5000},      {-7000, 5000, 5000}, {1, 5000, 4000},
      {2499, 5000, 4000},   {2500, 4000, 4000},  {2501, 4000, 3000},
      {5000, 3000, 3000},   {7499, 3000, 2000},  {12500, 0, 2000},
      {100000, 0, 2000}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    fx_set(f, "q", cases[k].q);
    const vm_result *r = fx_eval(f);
    assert_int_equal(r->item_score[0], cases[k].whole);
    assert_int_equal(r->item_score[1], cases[k].started);
  }
  fx_free(f);
}

static const char *const arith_policy =
    "policy t.arith \"arith\" { scale 10 }\n"
    "input {\n"
    "  a number \"甲\"\n"
    "  b number \"乙\"\n"
    "  d1 date \"开始\"\n"
    "  d2 date \"结束\"\n"
    "}\n"
    "section \"s\" 10 {\n"
    "  item 1 \"div\" 5 { deduct 1 if a / b > 1 \"比值超过1\" }\n"
    "  item 2 \"mix\" 5 {\n"
    "    deduct 1 if min(a, b, 3) == 3 \"都不小于3\"\n"
    "    deduct 1 if floor(a) == 2 and ceil(b) == 3 \"取整\"\n"
    "    deduct 1 if d2 - d1 > 365 \"超过一年\"\n"
    "    deduct 1 if b == 0 or a / b < 0 \"短路\"\n"
    "  }\n"
    "}\n";

static void test_division_by_zero_is_a_record_error(void **state) {
  (void)state;
  fixture *f = fx_new(arith_policy);
  fx_set(f, "a", DEC_INT(1));
  fx_set(f, "b", 0);
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->err, DEC_EDIVZERO);
  assert_int_equal(r->err_item, 0);
  /* the context is reusable after an error */
  fx_set(f, "b", DEC_INT(2));
  r = fx_eval(f);
  assert_int_equal(r->err, 0);
  assert_int_equal(r->item_score[0], DEC_INT(5));
  fx_free(f);
}

static void test_functions_dates_and_short_circuit(void **state) {
  (void)state;
  fixture *f = fx_new(arith_policy);
  fx_set(f, "a", 2500);
  fx_set(f, "b", 2200);
  fx_set(f, "d1", 19723); /* 2024-01-01 */
  fx_set(f, "d2", 20089); /* 2025-01-01: 366 days later */
  const vm_result *r = fx_eval(f);
  assert_int_equal(r->err, 0);
  assert_int_equal(r->item_score[0], DEC_INT(4));  /* 2.5/2.2 > 1 */
  assert_int_equal(r->item_score[1], DEC_INT(3));  /* floor(2.5)=2, ceil(2.2)=3; 366 > 365 */
  fx_set(f, "a", DEC_INT(3));
  fx_set(f, "b", DEC_INT(4));
  fx_set(f, "d2", 20088);
  r = fx_eval(f);
  assert_int_equal(r->item_score[0], DEC_INT(5));
  assert_int_equal(r->item_score[1], DEC_INT(4)); /* min(3,4,3)=3 */
  fx_free(f);
}

static const char *const rating_policy =
    "policy t.rating \"rating\" { scale 10 }\n"
    "input { x number \"分\" }\n"
    "section \"s\" 10 { item 1 \"x\" 10 { award 0.5 per whole 0.5 of x max 10 \"每半分\" } }\n"
    "rating \"等级\" {\n"
    "  \"优\" if score >= 9\n"
    "  \"良\" if score >= 7.5\n"
    "  else \"差\"\n"
    "}\n";

static void test_rating_first_level_wins_and_else(void **state) {
  (void)state;
  fixture *f = fx_new(rating_policy);
  static const struct { dec x; int level; } cases[] = {
      {DEC_INT(10), 0}, {DEC_INT(9), 0}, {8999, 1}, {DEC_INT(8), 1}, {7500, 1}, {7499, 2}, {0, 2}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    fx_set(f, "x", cases[k].x);
    const vm_result *r = fx_eval(f);
    assert_int_equal(r->level, cases[k].level);
  }
  assert_string_equal(f->p->else_name, "差");
  assert_int_equal(f->p->levels[1].threshold, 7500);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rushan_perfect_scores_100),
      cmocka_unit_test(test_rushan_issue_case_scores_87),
      cmocka_unit_test(test_rushan_membership_per_started),
      cmocka_unit_test(test_rushan_app_rate_strictly_above_80),
      cmocka_unit_test(test_rushan_award_per_with_cap),
      cmocka_unit_test(test_rushan_item16_award_and_deduct),
      cmocka_unit_test(test_rushan_clamp_keeps_raw),
      cmocka_unit_test(test_rushan_per_missing_half_points),
      cmocka_unit_test(test_rushan_zero_rule),
      cmocka_unit_test(test_rushan_level_boundaries),
      cmocka_unit_test(test_rushan_vetoes),
      cmocka_unit_test(test_per_whole_and_started_units),
      cmocka_unit_test(test_division_by_zero_is_a_record_error),
      cmocka_unit_test(test_functions_dates_and_short_circuit),
      cmocka_unit_test(test_rating_first_level_wins_and_else),
  };
  return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}
