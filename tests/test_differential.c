/* test_differential.c — the VM against the reference evaluator.
 *
 * Thousands of generated records (fixed seed) for every policy in
 * policies/ and for a synthetic policy that uses every operator: the
 * compiled bytecode and the tree-walking reference (tests/refeval.c) must
 * agree on every item, the total, the vetoes and the level of every record.
 * Values are drawn near the thresholds the policies test, so that the
 * boundaries are crossed often.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/compile.h"
#include "refeval.h"
#include "runtime/prog.h"
#include "runtime/vm.h"

#define RECORDS 5000

/* xorshift64*: small, deterministic, good enough to spread test values */
static uint64_t rng_next(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717u;
}

static int64_t rng_range(uint64_t *s, int64_t lo, int64_t hi) {
  return lo + (int64_t)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

/* A value for an input, often at or next to a round figure. */
static int64_t gen_value(uint64_t *s, const prog_input *in) {
  int64_t lo = (in->flags & TBC_IN_MIN) ? in->min : -DEC_INT(50);
  int64_t hi = (in->flags & TBC_IN_MAX) ? in->max : DEC_INT(150);
  switch (in->type) {
  case TBC_T_BOOL: return (int64_t)(rng_next(s) % 8 != 0); /* mostly met */
  case TBC_T_INT: {
    int64_t top = (in->flags & TBC_IN_MAX) ? in->max / DEC_SCALE : 12;
    int64_t bot = (in->flags & TBC_IN_MIN) ? in->min / DEC_SCALE : -3;
    return DEC_INT(rng_range(s, bot, top));
  }
  case TBC_T_NUMBER:
  case TBC_T_PERCENT:
    switch (rng_next(s) % 4) {
    case 0: return rng_range(s, lo, hi);                        /* anywhere */
    case 1: return DEC_INT(rng_range(s, lo / DEC_SCALE, hi / DEC_SCALE)); /* whole */
    case 2: { int64_t v = DEC_INT(rng_range(s, 75, 95)) + rng_range(s, -1, 1); return v < lo ? lo : v > hi ? hi : v; }
    default: { int64_t v = rng_range(s, 75, 95) * DEC_SCALE + 500; return v < lo ? lo : v > hi ? hi : v; }
    }
  case TBC_T_DATE:
    /* a date that may be none is none now and then */
    if ((in->flags & TBC_IN_DEFAULT) && in->def == TBC_DATE_NONE && rng_next(s) % 4 == 0) return TBC_DATE_NONE;
    return rng_range(s, 18000, 21000);
  case TBC_T_ENUM: return rng_range(s, 0, in->nvals - 1);
  default: return 0;
  }
}

static void differential(const char *path, const char *text, size_t len, uint64_t seed, int every_level) {
  compile_result cr;
  compile_source(path, text, len, stderr, 1, &cr);
  assert_int_equal(cr.errors, 0);
  prog_error err;
  prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
  assert_non_null(p);
  vm_ctx *vm = vm_new(p);
  /* the policy's as-of date, or a fixed one: the date rules need one */
  int64_t as_of = p->as_of != INT32_MIN ? p->as_of : 20453; /* 2025-12-31 */
  vm_set_as_of(vm, as_of);
  int64_t *slots = calloc(p->ninputs + 1, sizeof *slots);
  ref_result *ref = malloc(sizeof *ref);
  long levels_seen[16] = {0}, vetoed = 0, errors = 0;
  for (int n = 0; n < RECORDS; n++) {
    for (uint32_t i = 0; i < p->ninputs; i++) slots[i] = gen_value(&seed, &p->inputs[i]);
    const vm_result *r = vm_eval(vm, slots);
    ref_eval(cr.tree, slots, as_of, ref);
    if ((r->err != 0) != (ref->err != 0)) fail_msg("%s record %d: vm err %d, reference err %d", path, n, r->err, ref->err);
    if (r->err) { errors++; continue; }
    assert_int_equal(ref->nitems, (int)p->nitems);
    for (uint32_t i = 0; i < p->nitems; i++)
      if (r->item_applies[i] != ref->applies[i])
        fail_msg("%s record %d item %s: vm applies %d, reference %d", path, n, p->items[i].number, r->item_applies[i],
                 ref->applies[i]);
    assert_int_equal(ref->nchecks, (int)p->nchecks);
    for (uint32_t k = 0; k < p->nchecks; k++)
      if (r->check_state[k] != ref->check[k])
        fail_msg("%s record %d check %u (%s): vm %d, reference %d", path, n, k, p->checks[k].text, r->check_state[k],
                 ref->check[k]);
    for (uint32_t i = 0; i < p->nitems; i++)
      if (r->item_applies[i] && r->item_score[i] != ref->item[i])
        fail_msg("%s record %d item %s: vm %lld, reference %lld", path, n, p->items[i].number,
                 (long long)r->item_score[i], (long long)ref->item[i]);
    assert_int_equal(r->total, ref->total);
    for (uint32_t v = 0; v < p->nvetoes; v++) assert_int_equal(r->veto_fired[v], ref->vetoed[v]);
    assert_int_equal(r->score_level, ref->score_level);
    assert_int_equal(r->level, ref->level);
    if (r->nvetoed) vetoed++;
    if (r->score_level >= 0 && r->score_level < 16) levels_seen[r->score_level]++;
  }
  /* the generated records must actually exercise the policy */
  for (uint32_t l = 0; every_level && l < p->nlevels && l < 16; l++)
    if (!levels_seen[l]) fail_msg("%s: no record reached level %s", path, p->levels[l].name);
  if (p->nvetoes) assert_true(vetoed > 0);
  assert_true(errors < RECORDS / 2);
  free(ref);
  free(slots);
  vm_free(vm);
  prog_free(p);
  compile_result_free(&cr);
}

static void differential_file(const char *path, uint64_t seed, int every_level) {
  size_t len;
  char *text = compile_read_file(path, &len);
  assert_non_null(text);
  differential(path, text, len, seed, every_level);
  free(text);
}

static void test_rushan_enterprise(void **state) {
  (void)state;
  differential_file("policies/rushan-2020-enterprise.tally", 0x9e3779b97f4a7c15u, 1);
}

static void test_rushan_regional(void **state) {
  (void)state;
  differential_file("policies/rushan-2020-regional.tally", 0xd1b54a32d192ed03u, 1);
}

/* Every operator, both kinds of per, zero, awards with a base, a date
 * difference, an enum, short circuits and a division that can fail. */
static const char *const synthetic =
    "policy t.synthetic \"合成\" { scale 40 }\n"
    "input {\n"
    "  id text \"名称\" key\n"
    "  a bool \"甲\"\n"
    "  b bool \"乙\"\n"
    "  c bool \"丙\"\n"
    "  rate percent \"比例\"\n"
    "  n int \"次数\" range 0..9\n"
    "  x number \"数值\" range -20..20\n"
    "  y number \"除数\" range -3..3\n"
    "  d1 date \"开始\"\n"
    "  d2 date \"结束\"\n"
    "  kind enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\"\n"
    "}\n"
    "section \"一\" 20 {\n"
    "  item 1 \"混合\" 10 {\n"
    "    award 1.5 per n max 6 \"每次1.5分\"\n"
    "    deduct 0.5 per started 0.3 of 90 - rate max 4 \"每少0.3个百分点扣0.5分\"\n"
    "    deduct 2 if a implies b \"蕴含\"\n"
    "    zero if not a and not b and not c \"全无\"\n"
    "  }\n"
    "  item 2 \"算术\" 10 {\n"
    "    deduct 1 per whole 2 of max(x, 0) * 1.5 \"乘\"\n"
    "    deduct 3 if y != 0 and x / y > 2 \"除\"\n"
    "    deduct 1 if floor(x) == ceil(x) or -x > 5 \"取整\"\n"
    "    award 2 if kind == soe \"国有加分\"\n"
    "    deduct 1 if d2 - d1 >= 365 \"超过一年\"\n"
    "    deduct 1 if min(rate, 50%) < 50% \"最小\"\n"
    "  }\n"
    "}\n"
    "section \"二\" 20 {\n"
    "  item 3 \"缺项\" 8 { deduct 3 per missing(a, b, c) \"每缺一项扣3分\" }\n"
    "  item 4 \"除零\" 12 { deduct 1 per whole x / y max 12 \"比值\" }\n"
    "}\n"
    "veto \"机关无乙\" if kind == agency and not b\n"
    "veto \"无甲\" unless a or c\n"
    "rating \"等级\" {\n"
    "  \"A\" if score >= 35\n"
    "  \"B\" if score >= 30 and kind != private\n"
    "  \"C\" if score >= 20\n"
    "  else \"D\"\n"
    "}\n";

static void test_synthetic_every_operator(void **state) {
  (void)state;
  differential("synthetic.tally", synthetic, strlen(synthetic), 0x2545f4914f6cdd1du, 1);
}

/* The constructs of the whole language that decide what applies and how a
 * level is reached: tables per category, `when` on items and rules, `in`,
 * `by` over a category and over brackets, checks and indices, date rules
 * with a date that may be none, capping and removing vetoes, a cumulative
 * rating over indices and score. */
static const char *const synthetic2 =
    "policy t.synthetic2 \"合成二\" { scale 20 as of 2025-06-30 }\n"
    "input {\n"
    "  id text \"名称\" key\n"
    "  kind enum(soe \"国有\", private \"非公\", agency \"机关\") \"类别\" category\n"
    "  a bool \"甲\"\n"
    "  b bool \"乙\"\n"
    "  rate percent \"比例\"\n"
    "  staff int \"人数\" range 0..200\n"
    "  d date \"日期\"\n"
    "  ev date \"事件\" default none\n"
    "}\n"
    "index basic \"基本\" {\n"
    "  check \"甲\" a\n"
    "  check \"比例\" rate >= by staff { < 50: 90%, 50..100: 80%, > 100: 70% }\n"
    "  check \"乙\" b when kind in (soe, private)\n"
    "}\n"
    "index extra \"加\" when kind != agency {\n"
    "  check \"比例高\" rate >= by kind { soe: 85%, else: 80% }\n"
    "  check \"今年\" d in this year\n"
    "}\n"
    "table \"企业\" when kind in (soe, private) {\n"
    "  section \"一\" 20 {\n"
    "    item 1 \"甲\" 8 { deduct 2 unless a \"无甲\"  deduct 3 if years since d > 3 \"久\" when b }\n"
    "    item 2 \"乙\" 12 when rate > 50% { award 4 per whole 50 of staff max 8 \"人\"  deduct 1 if kind not in (soe) \"非国有\" }\n"
    "  }\n"
    "}\n"
    "table \"机关\" when kind == agency {\n"
    "  section \"一\" 20 {\n"
    "    item 1 \"甲\" 20 { deduct 5 unless all(basic) \"基本\"  deduct 0.5 per started 1 of 100 - rate max 10 \"比例\" }\n"
    "  }\n"
    "}\n"
    "veto \"事件\" if ev within 2 years\n"
    "veto \"乙缺\" if not b and kind == agency at most \"B\"\n"
    "rating \"等级\" cumulative {\n"
    "  \"A\" if score >= 17 and share(extra) >= 50%\n"
    "  \"B\" if score >= 12 and any(basic)\n"
    "  \"C\" if count(basic) >= 2 or score >= 15\n"
    "  else \"D\"\n"
    "}\n";

static void test_synthetic_whole_language(void **state) {
  (void)state;
  differential("synthetic2.tally", synthetic2, strlen(synthetic2), 0x853c49e6748fea9bu, 1);
}

static void test_hangzhou_2025(void **state) {
  (void)state;
  differential_file("policies/hangzhou-2025.tally", 0x5851f42d4c957f2du, 0);
}

static void test_guyuan_2023(void **state) {
  (void)state;
  differential_file("policies/guyuan-2023.tally", 0x9fb21c651e98df25u, 0);
}

static void test_hohhot_2020(void **state) {
  (void)state;
  differential_file("policies/hohhot-2020.tally", 0x2127599bf4325c37u, 0);
}

static void test_hangzhou_2025_township(void **state) {
  (void)state;
  differential_file("policies/hangzhou-2025-township.tally", 0x14057b7ef767814fu, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rushan_enterprise),
      cmocka_unit_test(test_rushan_regional),
      cmocka_unit_test(test_synthetic_every_operator),
      cmocka_unit_test(test_synthetic_whole_language),
      cmocka_unit_test(test_hangzhou_2025),
      cmocka_unit_test(test_hangzhou_2025_township),
      cmocka_unit_test(test_hohhot_2020),
      cmocka_unit_test(test_guyuan_2023),
  };
  return cmocka_run_group_tests_name("differential", tests, NULL, NULL);
}
