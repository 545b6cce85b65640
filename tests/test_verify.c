/* test_verify.c — the verifier's rules for the instructions of bytecode v2
 * (SKIPF, PICK, WITHIN, CHECK and the index reads, RATE, RATING, TCOUNT,
 * TSUM, SAMPLE) and for the veto caps and population rules.  A small policy
 * that uses all of them is compiled, one instruction or field is patched,
 * the checksum repaired with tbc_crc32 so that the verifier itself is
 * exercised, and prog_load must refuse the file with the exact message and
 * the byte offset.  Finally every policy of policies/ must compile and load,
 * with RATE exactly once in its code. */
#include <glob.h>
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

/* Checks first (check 0 with an `and`, check 1 with a `when`), an item with
 * a `when` and one with a rule `when`, a `by` (PICK), a date veto (WITHIN),
 * a capping veto, two levels over an index and the score, a quota, a share
 * and a sum target (three accumulators) and an audit (RATING, SAMPLE).
 * Its code, as `tally disasm` shows it:
 *
 *    0 LOAD a; ANDJ →3; LOAD c; CHECK 0
 *    4 LOAD kind; CONST soe; EQ; SKIPF →10; LOAD b; CHECK 1
 *   10 LOAD c; SKIPF →18; ITEM 0; LOAD a; ANDJ →16; LOAD b; DEDUCT 0; ENDITEM
 *   18 ITEM 1; LOAD c; SKIPF →25; LOAD a; LOAD b; EQ; DEDUCT 1
 *   25 LOAD rate; CONST 90; CONST 70; LOAD staff; CONST 100; GT; PICK;
 *   32 CONST 80; LOAD staff; CONST 50; GE; ANDJ →40; LOAD staff; CONST 100; LE;
 *   40 PICK; LT; DEDUCT 2; ENDITEM
 *   44 LOAD ev; WITHIN 3; VETO 0; LOADNOT c; VETO 1
 *   49 SCORE; CONST 8; GE; ANDJ →54; IALL 0; LEVEL 0; SCORE; CONST 5; GE; LEVEL 1
 *   59 RATE
 *   60 LOAD kind; CONST soe; EQ; SKIPF →68; LOAD a; TCOUNT 0; CONST yes; TCOUNT 1
 *   68 LOAD staff; TSUM 2; RATING; CONST 2; GE; SAMPLE 0
 *   74 HALT
 *
 * The tests find the instructions by opcode and check their neighbours, so
 * they do not depend on these numbers. */
static const char *const verify_policy =
    "policy t.verify \"校验\" { scale 10 as of 2025-06-30 }\n"
    "input {\n"
    "  id    text    \"名称\" key\n"
    "  kind  enum(soe \"国有\", private \"非公\") \"类别\"\n"
    "  a     bool    \"甲\"\n"
    "  b     bool    \"乙\"\n"
    "  c     bool    \"丙\"\n"
    "  staff int     \"职工人数\"\n"
    "  rate  percent \"比例\"\n"
    "  ev    date    \"事件日期\" default none\n"
    "}\n"
    "index x \"指数\" {\n"
    "  check \"甲丙\" a and c\n"
    "  check \"乙\" b when kind == soe\n"
    "}\n"
    "section \"S\" 10 {\n"
    "  item 1 \"一\" 4 when c { deduct 1 if a and b \"甲乙\" }\n"
    "  item 2 \"二\" 6 {\n"
    "    deduct 2 if a == b \"同\" when c\n"
    "    deduct 1 if rate < by staff { < 50: 90%, 50..100: 80%, > 100: 70% } \"比例\"\n"
    "  }\n"
    "}\n"
    "veto \"三年内事故\" if ev within 3 years\n"
    "veto \"丙缺\" unless c at most \"B\"\n"
    "rating \"等级\" {\n"
    "  \"A\" if score >= 8 and all(x)\n"
    "  \"B\" if score >= 5\n"
    "  else \"C\"\n"
    "}\n"
    "quota \"A\" at most 20% enforce\n"
    "target \"国有企业甲\" share(a where kind == soe) >= 95%\n"
    "target \"人数\" sum(staff) >= 100\n"
    "audit \"抽查\" sample 5% where rating >= \"B\"\n";

/* The smallest program with a rating: LOAD a; LEVEL 0; RATE; HALT. */
static const char *const small_policy =
    "policy t.small \"小\" {}\n"
    "input {\n"
    "  id text \"名称\" key\n"
    "  a  bool \"甲\"\n"
    "}\n"
    "rating \"R\" { \"A\" if a else none }\n";

static uint8_t *built;
static size_t built_len;

static uint8_t *compile_text(const char *name, const char *text, size_t *len) {
  char *msgs = NULL;
  size_t msglen = 0;
  FILE *errs = open_memstream(&msgs, &msglen);
  assert_non_null(errs);
  compile_result cr;
  compile_source(name, text, strlen(text), errs, 1, &cr);
  fclose(errs);
  if (cr.errors || !cr.tbc) fail_msg("%s does not compile:\n%s", name, msgs);
  free(msgs);
  uint8_t *b = cr.tbc;
  *len = cr.tbc_len;
  cr.tbc = NULL;
  compile_result_free(&cr);
  return b;
}

static int setup(void **state) {
  (void)state;
  built = compile_text("verify.tally", verify_policy, &built_len);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(built);
  return 0;
}

static uint8_t *copy(void) {
  uint8_t *b = malloc(built_len);
  assert_non_null(b);
  memcpy(b, built, built_len);
  return b;
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute the checksum so that the verifier itself is exercised. */
static void repair(uint8_t *b, size_t len) {
  put32(b + 12, 0);
  put32(b + 12, tbc_crc32(0, b, len));
}

/* Offset of a section's payload (after its tag and length). */
static size_t section(const uint8_t *b, const char *tag) {
  size_t pos = TBC_HEADER_SIZE;
  for (int i = 0; i < TBC_NSECTIONS; i++) {
    if (!memcmp(b + pos, tag, 4)) return pos + 8;
    pos += 8 + get32(b + pos + 4);
  }
  fail_msg("no section %s", tag);
  return 0;
}

static size_t section_end(const uint8_t *b, const char *tag) {
  size_t at = section(b, tag);
  return at + get32(b + at - 4);
}

/* The code: its first instruction's offset, the count, instruction pc. */
static size_t code_base(const uint8_t *b) { return section(b, "CODE") + 4; }
static uint32_t ncode(const uint8_t *b) { return get32(b + section(b, "CODE")); }
static size_t at_pc(const uint8_t *b, uint32_t pc) { return code_base(b) + 4 * (size_t)pc; }
static uint32_t ins_at(const uint8_t *b, uint32_t pc) { return get32(b + at_pc(b, pc)); }
static void set_ins(uint8_t *b, uint32_t pc, int op, uint32_t arg) { put32(b + at_pc(b, pc), TBC_INS(op, arg)); }

/* The pc of the nth (0-based) instruction with opcode op. */
static uint32_t nth_op(const uint8_t *b, int op, int nth) {
  uint32_t n = ncode(b);
  for (uint32_t pc = 0; pc < n; pc++)
    if (TBC_OP(ins_at(b, pc)) == (uint32_t)op && nth-- == 0) return pc;
  fail_msg("no instruction %s number %d", tbc_ops[op].name, nth);
  return 0;
}

static int count_op(const uint8_t *b, int op) {
  int k = 0;
  for (uint32_t pc = 0; pc < ncode(b); pc++) k += TBC_OP(ins_at(b, pc)) == (uint32_t)op;
  return k;
}

static void expect_refused(uint8_t *b, size_t len, const char *msg, uint64_t offset) {
  repair(b, len);
  prog_error err;
  prog *p = prog_load(b, len, &err);
  if (p) {
    prog_free(p);
    fail_msg("accepted; expected \"%s\" at byte %llu", msg, (unsigned long long)offset);
  }
  assert_string_equal(err.msg, msg);
  assert_int_equal(err.offset, offset);
}

#define RATE_REFUSED "RATE before every item, check, veto and level has run, or inside a skip"
#define SKIP_LANDS "a skip lands inside an expression or another item"

/* The file as built loads, and its code has the shape described above. */
static void test_built_file_loads(void **state) {
  (void)state;
  prog_error err;
  prog *p = prog_load(built, built_len, &err);
  if (!p) fail_msg("refused at byte %llu: %s", (unsigned long long)err.offset, err.msg);
  assert_int_equal(p->nchecks, 2);
  assert_int_equal(p->nlevels, 2);
  assert_non_null(p->else_name);
  assert_int_equal(p->nvetoes, 2);
  assert_int_equal(p->vetoes[1].cap, 1); /* "B" */
  assert_int_equal(p->nquotas, 1);
  assert_int_equal(p->naccs, 3);
  assert_int_equal(p->naudits, 1);
  assert_int_equal(count_op(built, OP_SKIPF), 4);
  assert_int_equal(count_op(built, OP_PICK), 2);
  assert_int_equal(count_op(built, OP_RATE), 1);
  assert_int_equal(TBC_OP(ins_at(built, ncode(built) - 1)), OP_HALT);
  prog_free(p);
}

/* The rule `when c` in item 2 (SKIPF over `LOAD a; LOAD b; EQ; DEDUCT 1`)
 * sent one instruction on: it lands on LOAD b, with a on the stack. */
static void test_skip_landing_inside_an_expression(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SKIPF, 2);
  assert_int_equal(ins_at(b, pc + 1), TBC_INS(OP_LOAD, 2));
  assert_int_equal(ins_at(b, pc + 3), TBC_INS(OP_EQ, 0));
  set_ins(b, pc, OP_SKIPF, 1);
  expect_refused(b, built_len, SKIP_LANDS, at_pc(b, pc + 2));
  free(b);
}

/* Item 1's `when c`, sent past ITEM 1: it leaves with no item open and
 * lands inside item 2 (empty stack, but another item). */
static void test_skip_landing_in_another_item(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SKIPF, 1);
  assert_int_equal(ins_at(b, pc + 1), TBC_INS(OP_ITEM, 0));
  uint32_t item2 = nth_op(b, OP_ITEM, 1);
  assert_int_equal(ins_at(b, item2), TBC_INS(OP_ITEM, 1));
  set_ins(b, pc, OP_SKIPF, item2 + 1 - (pc + 1));
  expect_refused(b, built_len, SKIP_LANDS, at_pc(b, item2 + 1));
  free(b);
}

/* The same skip into the middle of item 1 (after ITEM 0): inside an item it
 * did not leave from. */
static void test_skip_landing_inside_an_item_from_outside(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SKIPF, 1);
  set_ins(b, pc, OP_SKIPF, 1); /* over ITEM 0, onto LOAD a */
  expect_refused(b, built_len, SKIP_LANDS, at_pc(b, pc + 2));
  free(b);
}

/* `a == b`'s EQ replaced by a SKIPF: two bools on the stack. */
static void test_skip_with_values_on_the_stack(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_EQ, 1); /* the first EQ is kind == soe */
  assert_int_equal(ins_at(b, pc - 1), TBC_INS(OP_LOAD, 3));
  assert_int_equal(ins_at(b, pc - 2), TBC_INS(OP_LOAD, 2));
  set_ins(b, pc, OP_SKIPF, 0);
  expect_refused(b, built_len, "SKIPF inside an expression", at_pc(b, pc));
  free(b);
}

/* A SKIPF while an `and` is open: check 0 is LOAD a; ANDJ →3; LOAD c;
 * CHECK 0.  The ANDJ is sent one further and CHECK 0 made a SKIPF: one bool
 * on the stack, but the jump has not landed. */
static void test_skip_with_a_jump_pending(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_CHECK, 0);
  assert_int_equal(TBC_OP(ins_at(b, pc - 2)), OP_ANDJ);
  /* the ANDJ lands on the CHECK: move it one on, past the SKIPF */
  set_ins(b, pc - 2, OP_ANDJ, 2);
  set_ins(b, pc, OP_SKIPF, 0);
  expect_refused(b, built_len, "SKIPF inside an expression", at_pc(b, pc));
  free(b);
}

static void test_skip_out_of_bounds(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SKIPF, 0), n = ncode(b);
  set_ins(b, pc, OP_SKIPF, n - (pc + 1)); /* lands on pc n: past HALT */
  expect_refused(b, built_len, "jump out of bounds", at_pc(b, pc));
  free(b);
  /* onto HALT itself is in bounds, and lands well (empty stack, no item
   * open), but the skip is still pending at RATE */
  b = copy();
  set_ins(b, pc, OP_SKIPF, n - 1 - (pc + 1));
  expect_refused(b, built_len, RATE_REFUSED, at_pc(b, nth_op(b, OP_RATE, 0)));
  free(b);
}

/* A `when` whose condition is not a bool: item 1's LOAD c made LOAD staff. */
static void test_skip_needs_a_bool(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SKIPF, 1);
  assert_int_equal(ins_at(b, pc - 1), TBC_INS(OP_LOAD, 4));
  set_ins(b, pc - 1, OP_LOAD, 5);
  expect_refused(b, built_len, "SKIPF needs a bool", at_pc(b, pc));
  free(b);
}

/* Item 1's `when` sent to the first instruction after RATE: it lands well
 * (empty stack, no item open) but the rating would be skipped. */
static void test_skip_over_the_rating(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SKIPF, 1), rate = nth_op(b, OP_RATE, 0);
  set_ins(b, pc, OP_SKIPF, rate + 1 - (pc + 1));
  expect_refused(b, built_len, RATE_REFUSED, at_pc(b, rate));
  free(b);
}

/* The first PICK of the `by` (`> 100: 70%`): its value CONST 70 made the
 * bool constant `yes`, so it picks between a bool and a decimal. */
static void test_pick_of_two_different_types(void **state) {
  (void)state;
  uint8_t *b = copy();
  prog_error err;
  prog *p = prog_load(built, built_len, &err);
  assert_non_null(p);
  uint32_t yes = TBC_NONE;
  for (uint32_t i = 0; i < p->nconsts; i++)
    if (p->consts[i].type == TBC_V_BOOL && p->consts[i].value == 1) yes = i;
  assert_true(yes != TBC_NONE);
  uint32_t pick = nth_op(b, OP_PICK, 0);
  uint32_t then = pick - 4; /* CONST 70; LOAD staff; CONST 100; GT; PICK */
  assert_int_equal(TBC_OP(ins_at(b, then)), OP_CONST);
  assert_int_equal(p->consts[TBC_ARG(ins_at(b, then))].value, DEC_INT(70));
  assert_int_equal(ins_at(b, pick - 1), TBC_INS(OP_GT, 0));
  prog_free(p);
  set_ins(b, then, OP_CONST, yes);
  expect_refused(b, built_len, "PICK between values of different types", at_pc(b, pick));
  free(b);
}

/* CHECK 0 made CHECK 1: the checks run in order. */
static void test_check_out_of_order(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_CHECK, 0);
  assert_int_equal(ins_at(b, pc), TBC_INS(OP_CHECK, 0));
  set_ins(b, pc, OP_CHECK, 1);
  expect_refused(b, built_len, "check 1 out of order", at_pc(b, pc));
  free(b);
  /* and the second check run twice */
  b = copy();
  pc = nth_op(b, OP_CHECK, 1);
  set_ins(b, pc, OP_CHECK, 0);
  expect_refused(b, built_len, "check 0 out of order", at_pc(b, pc));
  free(b);
}

/* Check 0's `LOAD a` made `IALL 0` (also a bool): the index is read before
 * its checks have run. */
static void test_index_read_before_every_check(void **state) {
  (void)state;
  static const int reads[] = {OP_IALL, OP_IANY, OP_ICOUNT, OP_ISHARE};
  for (size_t k = 0; k < sizeof reads / sizeof *reads; k++) {
    uint8_t *b = copy();
    set_ins(b, 0, reads[k], 0);
    expect_refused(b, built_len, "an index read before every check has run", at_pc(b, 0));
    free(b);
  }
  /* level 0's IALL 0 (after the last check) with an index that is not there */
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_IALL, 0);
  set_ins(b, pc, OP_IALL, 1);
  expect_refused(b, built_len, "index 1 out of range", at_pc(b, pc));
  free(b);
}

/* A jump that lands past a CHECK would skip the check: check 0's ANDJ sent
 * one instruction further. */
static void test_jump_across_a_check(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_ANDJ, 0), check = nth_op(b, OP_CHECK, 0);
  assert_int_equal(ins_at(b, pc), TBC_INS(OP_ANDJ, 1));
  set_ins(b, pc, OP_ANDJ, 2);
  expect_refused(b, built_len, "a jump crosses a scoring instruction", at_pc(b, check));
  free(b);
}

/* HALT made RATE: the rating is settled twice. */
static void test_second_rate(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t halt = ncode(b) - 1;
  set_ins(b, halt, OP_RATE, 0);
  expect_refused(b, built_len, "a second RATE", at_pc(b, halt));
  free(b);
}

/* RATE moved before the last level's code (SCORE; CONST 5; GE; LEVEL 1;
 * RATE → RATE; SCORE; CONST 5; GE; LEVEL 1): level 1 has not run. */
static void test_rate_before_the_last_level(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t rate = nth_op(b, OP_RATE, 0);
  assert_int_equal(ins_at(b, rate - 1), TBC_INS(OP_LEVEL, 1));
  assert_int_equal(ins_at(b, rate - 4), TBC_INS(OP_SCORE, 0));
  for (uint32_t pc = rate; pc > rate - 4; pc--) put32(b + at_pc(b, pc), ins_at(b, pc - 1));
  set_ins(b, rate - 4, OP_RATE, 0);
  expect_refused(b, built_len, RATE_REFUSED, at_pc(b, rate - 4));
  free(b);
}

/* RATE with a value on the stack: the last LEVEL made RATE. */
static void test_rate_with_a_value_on_the_stack(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t level = nth_op(b, OP_LEVEL, 1);
  set_ins(b, level, OP_RATE, 0);
  expect_refused(b, built_len, RATE_REFUSED, at_pc(b, level));
  free(b);
}

/* RATING reads the settled level: level 0's SCORE made RATING. */
static void test_rating_before_rate(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SCORE, 0);
  set_ins(b, pc, OP_RATING, 0);
  expect_refused(b, built_len, "RATING before RATE", at_pc(b, pc));
  free(b);
}

/* Nothing that decides the rating may follow RATE: the target's SKIPF
 * (a bool on the stack, no item open) made a LEVEL, a VETO, a CHECK. */
static void test_scoring_after_rate(void **state) {
  (void)state;
  uint32_t pc = nth_op(built, OP_SKIPF, 3);
  assert_true(pc > nth_op(built, OP_RATE, 0));
  static const struct {
    int op;
    const char *msg;
  } cases[] = {
      {OP_LEVEL, "a level after RATE"},
      {OP_VETO, "a veto after RATE"},
      {OP_CHECK, "a check inside an item or after the rating"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    uint8_t *b = copy();
    set_ins(b, pc, cases[k].op, 0);
    expect_refused(b, built_len, cases[k].msg, at_pc(b, pc));
    free(b);
  }
}

/* HALT without RATE: LOAD a; LEVEL 0; RATE; HALT made LOAD a; NOT;
 * LEVEL 0; HALT — everything ran, the stack is empty, the rating never
 * settled. */
static void test_halt_without_rate(void **state) {
  (void)state;
  size_t len;
  uint8_t *b = compile_text("small.tally", small_policy, &len);
  set_ins(b, 1, OP_NOT, 0);
  set_ins(b, 2, OP_LEVEL, 0);
  expect_refused(b, len,
                 "HALT before every item, rule, check, veto and level has run and the rating is settled",
                 at_pc(b, 3));
  free(b);
}

/* The accumulators are 0, 1 (the share) and 2 (the sum). */
static void test_tcount_out_of_range(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_TCOUNT, 0);
  set_ins(b, pc, OP_TCOUNT, 3);
  expect_refused(b, built_len, "accumulator 3 out of range", at_pc(b, pc));
  free(b);
  b = copy();
  pc = nth_op(b, OP_TCOUNT, 1);
  set_ins(b, pc, OP_TCOUNT, TBC_MAX_ARG);
  expect_refused(b, built_len, "accumulator 16777215 out of range", at_pc(b, pc));
  free(b);
}

static void test_tsum_out_of_range(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_TSUM, 0);
  assert_int_equal(ins_at(b, pc), TBC_INS(OP_TSUM, 2));
  set_ins(b, pc, OP_TSUM, 3);
  expect_refused(b, built_len, "accumulator 3 out of range", at_pc(b, pc));
  free(b);
  /* in range but fed a bool: TSUM adds decimals */
  b = copy();
  set_ins(b, pc - 1, OP_LOAD, 2);
  expect_refused(b, built_len, "operand has the wrong type", at_pc(b, pc));
  free(b);
}

static void test_sample_out_of_range(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_SAMPLE, 0);
  set_ins(b, pc, OP_SAMPLE, 1);
  expect_refused(b, built_len, "audit 1 out of range", at_pc(b, pc));
  free(b);
}

/* WITHIN takes 1 to 1000 years. */
static void test_within_of_zero_years(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t pc = nth_op(b, OP_WITHIN, 0);
  assert_int_equal(ins_at(b, pc), TBC_INS(OP_WITHIN, 3));
  set_ins(b, pc, OP_WITHIN, 0);
  expect_refused(b, built_len, "WITHIN of 0 years", at_pc(b, pc));
  set_ins(b, pc, OP_WITHIN, 1001);
  expect_refused(b, built_len, "WITHIN of 1001 years", at_pc(b, pc));
  /* 1000 is accepted */
  set_ins(b, pc, OP_WITHIN, 1000);
  repair(b, built_len);
  prog_error err;
  prog *p = prog_load(b, built_len, &err);
  assert_non_null(p);
  prog_free(p);
  free(b);
}

/* Veto 1 caps at "B" (level 1).  Levels A (0) and B (1) and the else level
 * C (2): a cap of 3 names no level.  The caps are checked once the levels
 * are read (LEVL comes after VETO in the file): the offset is the end of
 * the LEVL section. */
static void test_veto_cap_beyond_the_levels(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t cap = section(b, "VETO") + 4 + 12 + 8; /* veto 1: reason, source, then cap */
  assert_int_equal(get32(b + cap), 1);
  put32(b + cap, 3);
  expect_refused(b, built_len, "veto 1: caps at a level that does not exist", section_end(b, "LEVL"));
  /* the else level itself (2) is a level to cap at */
  put32(b + cap, 2);
  repair(b, built_len);
  prog_error err;
  prog *p = prog_load(b, built_len, &err);
  assert_non_null(p);
  prog_free(p);
  free(b);
}

/* POPL: u32 accumulators, u32 quotas, then quota 0 (u32 level, u32 flags,
 * i64 share, u32 ties). */
static void test_quota_level_out_of_range(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t popl = section(b, "POPL");
  assert_int_equal(get32(b + popl), 3);
  assert_int_equal(get32(b + popl + 4), 1);
  assert_int_equal(get32(b + popl + 8), 0); /* "A" */
  put32(b + popl + 8, 3); /* two levels, 0 and 1, and the else level 2 */
  expect_refused(b, built_len, "quota 0: level out of range", popl + 8);
  put32(b + popl + 8, 2); /* a quota on the else level is allowed */
  repair(b, built_len);
  prog_error err;
  prog *p = prog_load(b, built_len, &err);
  assert_non_null(p);
  prog_free(p);
  free(b);
}

static void test_quota_fields(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t q = section(b, "POPL") + 8;
  assert_int_equal(get32(b + q + 4), TBC_Q_ENFORCE);
  put32(b + q + 4, 2);
  expect_refused(b, built_len, "quota 0: unknown flags", q + 4);
  put32(b + q + 4, TBC_Q_ENFORCE);
  put64(b + q + 8, (uint64_t)DEC_INT(101));
  expect_refused(b, built_len, "quota 0: share out of range", q + 8);
  put64(b + q + 8, (uint64_t)DEC_INT(20));
  assert_int_equal(get32(b + q + 16), TBC_NONE); /* ties: the key */
  put32(b + q + 16, 2);                           /* a, a bool */
  expect_refused(b, built_len, "quota 0: ties input cannot rank", q + 16);
  put32(b + q + 16, 1); /* kind, an enum */
  expect_refused(b, built_len, "quota 0: ties input cannot rank", q + 16);
  put32(b + q + 16, 8); /* no input 8 */
  expect_refused(b, built_len, "quota 0: ties input cannot rank", q + 16);
  free(b);
}

/* After the quota (20 bytes): u32 targets, each 28 bytes (text, source, u8
 * kind, u8 cmp, u16 0, i64 goal, u32 num, u32 den); then u32 audits, each
 * text, source, i64 share, u64 seed. */
static void test_target_and_audit_fields(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t t0 = section(b, "POPL") + 8 + 20 + 4, t1 = t0 + 28;
  assert_int_equal(b[t0 + 8], TBC_TG_SHARE);
  assert_int_equal(b[t1 + 8], TBC_TG_SUM);
  put32(b + t0 + 24, 3); /* the share's denominator */
  expect_refused(b, built_len, "target 0: accumulators out of range", t0 + 20);
  put32(b + t0 + 24, 1);
  put32(b + t1 + 24, 0); /* a sum has no denominator */
  expect_refused(b, built_len, "target 1: accumulators out of range", t1 + 20);
  put32(b + t1 + 24, TBC_NONE);
  b[t1 + 9] = TBC_CMP_GE + 1;
  expect_refused(b, built_len, "target 1: unknown kind or comparison", t1 + 8);
  b[t1 + 9] = TBC_CMP_GE;
  size_t a0 = t1 + 28 + 4;
  put64(b + a0 + 8, 0);
  expect_refused(b, built_len, "audit 0: share out of range", a0 + 8);
  free(b);
}

/* Every policy of policies/ compiles and loads, and settles its rating
 * exactly once. */
static void test_every_policy_loads_with_one_rate(void **state) {
  (void)state;
  glob_t g;
  assert_int_equal(glob("policies/*.tally", 0, NULL, &g), 0);
  assert_true(g.gl_pathc >= 7);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    const char *path = g.gl_pathv[i];
    size_t len;
    char *text = compile_read_file(path, &len);
    assert_non_null(text);
    char *msgs = NULL;
    size_t msglen = 0;
    FILE *errs = open_memstream(&msgs, &msglen);
    compile_result cr;
    compile_source(path, text, len, errs, 1, &cr);
    fclose(errs);
    if (cr.errors || !cr.tbc) fail_msg("%s does not compile:\n%s", path, msgs);
    free(msgs);
    prog_error err;
    prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
    if (!p) fail_msg("%s: refused at byte %llu: %s", path, (unsigned long long)err.offset, err.msg);
    int rates = 0;
    for (uint32_t pc = 0; pc < p->ncode; pc++) rates += TBC_OP(p->code[pc]) == OP_RATE;
    if (rates != 1) fail_msg("%s: RATE %d times", path, rates);
    assert_int_equal(TBC_OP(p->code[p->ncode - 1]), OP_HALT);
    prog_free(p);
    compile_result_free(&cr);
    free(text);
  }
  globfree(&g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_built_file_loads),
      cmocka_unit_test(test_skip_landing_inside_an_expression),
      cmocka_unit_test(test_skip_landing_in_another_item),
      cmocka_unit_test(test_skip_landing_inside_an_item_from_outside),
      cmocka_unit_test(test_skip_with_values_on_the_stack),
      cmocka_unit_test(test_skip_with_a_jump_pending),
      cmocka_unit_test(test_skip_out_of_bounds),
      cmocka_unit_test(test_skip_needs_a_bool),
      cmocka_unit_test(test_skip_over_the_rating),
      cmocka_unit_test(test_pick_of_two_different_types),
      cmocka_unit_test(test_check_out_of_order),
      cmocka_unit_test(test_index_read_before_every_check),
      cmocka_unit_test(test_jump_across_a_check),
      cmocka_unit_test(test_second_rate),
      cmocka_unit_test(test_rate_before_the_last_level),
      cmocka_unit_test(test_rate_with_a_value_on_the_stack),
      cmocka_unit_test(test_rating_before_rate),
      cmocka_unit_test(test_scoring_after_rate),
      cmocka_unit_test(test_halt_without_rate),
      cmocka_unit_test(test_tcount_out_of_range),
      cmocka_unit_test(test_tsum_out_of_range),
      cmocka_unit_test(test_sample_out_of_range),
      cmocka_unit_test(test_within_of_zero_years),
      cmocka_unit_test(test_veto_cap_beyond_the_levels),
      cmocka_unit_test(test_quota_level_out_of_range),
      cmocka_unit_test(test_quota_fields),
      cmocka_unit_test(test_target_and_audit_fields),
      cmocka_unit_test(test_every_policy_loads_with_one_rate),
  };
  return cmocka_run_group_tests_name("verify", tests, setup, teardown);
}
