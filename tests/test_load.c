/* test_load.c — the loader refuses every damaged or malicious .tbc with the
 * reason and the byte offset, and never crashes.  Built from the Rushan
 * enterprise policy, then damaged byte by byte. */
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

static uint8_t *built;
static size_t built_len;

static int setup(void **state) {
  (void)state;
  size_t len;
  char *text = compile_read_file("policies/rushan-2020-enterprise.tally", &len);
  assert_non_null(text);
  compile_result cr;
  compile_source("rushan-2020-enterprise.tally", text, len, stderr, 1, &cr);
  assert_int_equal(cr.errors, 0);
  built = cr.tbc;
  built_len = cr.tbc_len;
  cr.tbc = NULL;
  compile_result_free(&cr);
  free(text);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(built);
  return 0;
}

static uint8_t *copy(void) {
  uint8_t *b = malloc(built_len);
  memcpy(b, built, built_len);
  return b;
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
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

/* Byte offset of the first instruction with opcode op (0 when none). */
static size_t first_op(const uint8_t *b, int op) {
  size_t code = section(b, "CODE");
  uint32_t n = get32(b + code);
  for (uint32_t i = 0; i < n; i++)
    if (TBC_OP(get32(b + code + 4 + 4 * i)) == (uint32_t)op) return code + 4 + 4 * i;
  return 0;
}

static void expect_refused(const uint8_t *b, size_t len, const char *msg, uint64_t offset) {
  prog_error err;
  prog *p = prog_load(b, len, &err);
  assert_null(p);
  assert_string_equal(err.msg, msg);
  assert_int_equal(err.offset, offset);
}

static void test_built_file_loads(void **state) {
  (void)state;
  prog_error err;
  prog *p = prog_load(built, built_len, &err);
  assert_non_null(p);
  assert_string_equal(p->id, "rushan.enterprise");
  assert_int_equal(p->nitems, 20);
  assert_int_equal(p->nsections, 5);
  assert_int_equal(p->nvetoes, 3);
  assert_int_equal(p->nlevels, 3);
  assert_int_equal(p->scale, DEC_INT(100));
  prog_free(p);
}

/* Without a repaired checksum every change is caught by the header. */
static void test_every_byte_changed_is_refused(void **state) {
  (void)state;
  uint8_t *b = copy();
  for (size_t i = 0; i < built_len; i++) {
    for (int k = 0; k < 2; k++) {
      uint8_t flip = k ? 0xFF : 0x01;
      b[i] ^= flip;
      prog_error err;
      prog *p = prog_load(b, built_len, &err);
      if (p) fail_msg("byte %zu ^ 0x%02x was accepted", i, flip);
      assert_true(err.msg[0] != 0);
      assert_true(err.offset < built_len);
      if (i >= 16) assert_int_equal(err.offset, 12); /* the checksum names the damage */
      b[i] ^= flip;
    }
  }
  free(b);
}

/* With the checksum repaired, each change must be refused by the verifier or
 * make a program that still runs safely (a changed string or a constant is a
 * different but valid program).  Under the sanitizers, "safely" is checked. */
static void test_every_byte_changed_with_checksum_repaired(void **state) {
  (void)state;
  uint8_t *b = copy();
  int64_t slots[64] = {0};
  size_t refused = 0, accepted = 0;
  for (size_t i = 16; i < built_len; i++) {
    if (i >= 12 && i < 16) continue;
    for (int k = 0; k < 3; k++) {
      static const uint8_t flips[] = {0x01, 0x80, 0xFF};
      b[i] ^= flips[k];
      repair(b, built_len);
      prog_error err;
      prog *p = prog_load(b, built_len, &err);
      if (!p) {
        assert_true(err.msg[0] != 0);
        assert_true(err.offset <= built_len);
        refused++;
      } else {
        vm_ctx *vm = vm_new(p);
        assert_non_null(vm);
        for (uint32_t s = 0; s < p->ninputs && s < 64; s++) slots[s] = p->inputs[s].type == TBC_T_BOOL ? (int64_t)(s & 1) : 0;
        const vm_result *r = vm_eval(vm, slots);
        (void)r;
        vm_free(vm);
        prog_free(p);
        accepted++;
      }
      b[i] ^= flips[k];
    }
  }
  repair(b, built_len);
  assert_memory_equal(b, built, built_len);
  assert_true(refused > 0);
  assert_true(accepted > 0);
  free(b);
}

static void test_header_fields(void **state) {
  (void)state;
  uint8_t *b = copy();
  expect_refused(b, 10, "not a Tally bytecode file: 10 bytes is too short", 0);
  b[0] = 'X';
  expect_refused(b, built_len, "not a Tally bytecode file (bad magic)", 0);
  b[0] = 'T';
  b[4] = 1;
  expect_refused(b, built_len, "bytecode version 1; this Tally reads version 3 (rebuild the policy)", 4);
  b[4] = 3;
  b[6] = 1;
  expect_refused(b, built_len, "unknown header flags 0x0001", 6);
  free(b);
}

static void test_truncated_file(void **state) {
  (void)state;
  prog_error err;
  assert_null(prog_load(built, built_len - 1, &err));
  char want[200];
  snprintf(want, sizeof want, "file length %zu in the header, but the file has %zu bytes (truncated or extended?)",
           built_len, built_len - 1);
  assert_string_equal(err.msg, want);
  assert_int_equal(err.offset, 8);
}

static void test_unknown_opcode(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t code = section(b, "CODE") + 4;
  put32(b + code, 0xFE);
  repair(b, built_len);
  expect_refused(b, built_len, "unknown opcode 254", code);
  free(b);
}

static void test_stack_underflow(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t code = section(b, "CODE") + 4;
  put32(b + code, TBC_INS(OP_ADD, 0));
  repair(b, built_len);
  expect_refused(b, built_len, "stack underflow", code);
  free(b);
}

/* The first conditional jump in the code (item 8's `and`), sent past the end. */
static void test_jump_out_of_bounds(void **state) {
  (void)state;
  uint8_t *b = copy();
  uint32_t n = get32(b + section(b, "CODE"));
  size_t at = first_op(b, OP_ANDJ);
  assert_true(at != 0);
  put32(b + at, TBC_INS(OP_ANDJ, n));
  repair(b, built_len);
  expect_refused(b, built_len, "jump out of bounds", at);
  free(b);
}

/* A jump that lands past a scoring instruction would skip a rule. */
static void test_jump_over_a_rule(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t code = section(b, "CODE");
  size_t at = first_op(b, OP_ANDJ);
  uint32_t pc = (uint32_t)((at - code - 4) / 4);
  put32(b + at, TBC_INS(OP_ANDJ, TBC_ARG(get32(b + at)) + 2));
  repair(b, built_len);
  prog_error err;
  assert_null(prog_load(b, built_len, &err));
  /* the target moved two instructions on: past the rule that used it */
  assert_string_equal(err.msg, "a jump crosses a scoring instruction");
  assert_true(err.offset > at && err.offset <= code + 4 + 4 * (pc + TBC_ARG(get32(b + at)) + 1));
  free(b);
}

static void test_bad_string_index(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t meta = section(b, "META");
  put32(b + meta, 0x7FFFFFFF);
  repair(b, built_len);
  prog_error err;
  assert_null(prog_load(b, built_len, &err));
  char want[200];
  prog *ok = prog_load(built, built_len, &err);
  snprintf(want, sizeof want, "policy id: string index 2147483647 out of range (%u strings)", ok->nstrs);
  prog_free(ok);
  expect_refused(b, built_len, want, meta);
  free(b);
}

static void test_rule_out_of_order(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t at = first_op(b, OP_DEDUCT);
  put32(b + at, TBC_INS(OP_DEDUCT, 1)); /* the first rule is 0 */
  repair(b, built_len);
  expect_refused(b, built_len, "rule 1 applied out of order (expected 0)", at);
  free(b);
}

static void test_rule_kind_mismatch(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t at = first_op(b, OP_DEDUCT);
  put32(b + at, TBC_INS(OP_AWARD, 0));
  repair(b, built_len);
  expect_refused(b, built_len, "rule 0 is not of this instruction's kind", at);
  free(b);
}

/* A threshold that is not the one the code tests would mislead the ledger
 * ("2.5 points short of 五星级"). */
static void test_level_threshold_must_match_code(void **state) {
  (void)state;
  uint8_t *b = copy();
  size_t lv = section(b, "LEVL");
  /* title, else name, count, then the first level: name, flags, threshold */
  size_t thr = lv + 12 + 8;
  assert_int_equal(get32(b + lv + 12 + 4), TBC_LV_THRESHOLD);
  put32(b + thr, 89000); /* 90 → 89 */
  repair(b, built_len);
  expect_refused(b, built_len, "level 0: its threshold is not what its code tests", first_op(b, OP_LEVEL));
  free(b);
}

static void test_trailing_bytes(void **state) {
  (void)state;
  uint8_t *b = malloc(built_len + 3);
  memcpy(b, built, built_len);
  memset(b + built_len, 0, 3);
  put32(b + 8, (uint32_t)built_len + 3);
  repair(b, built_len + 3);
  char want[64];
  snprintf(want, sizeof want, "3 bytes after the last section");
  expect_refused(b, built_len + 3, want, built_len);
  free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_built_file_loads),
      cmocka_unit_test(test_every_byte_changed_is_refused),
      cmocka_unit_test(test_every_byte_changed_with_checksum_repaired),
      cmocka_unit_test(test_header_fields),
      cmocka_unit_test(test_truncated_file),
      cmocka_unit_test(test_unknown_opcode),
      cmocka_unit_test(test_stack_underflow),
      cmocka_unit_test(test_jump_out_of_bounds),
      cmocka_unit_test(test_jump_over_a_rule),
      cmocka_unit_test(test_bad_string_index),
      cmocka_unit_test(test_rule_out_of_order),
      cmocka_unit_test(test_rule_kind_mismatch),
      cmocka_unit_test(test_level_threshold_must_match_code),
      cmocka_unit_test(test_trailing_bytes),
  };
  return cmocka_run_group_tests_name("load", tests, setup, teardown);
}
