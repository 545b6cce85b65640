/* test_codegen.c — the code generator (compiler/codegen.c): the bytes are
 * a function of the source, the header is right, prog_load accepts them,
 * the tables are deduplicated, and the disassembly of a tiny policy is
 * exactly what the policy says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#include "compiler/compile.h"
#include "runtime/disasm.h"
#include "runtime/prog.h"
#include "runtime/tbc.h"

/* ---- helpers ---------------------------------------------------------------- */

/* Compare a malloc'd text with the expected one, freeing it first so that
 * a failing test leaks nothing. */
static void check_text(char *got, const char *want) {
  int same = got && strcmp(got, want) == 0;
  if (!same) print_error("--- got:\n%s--- expected:\n%s---\n", got ? got : "(null)", want);
  free(got);
  if (!same) fail();
}

typedef struct {
  uint8_t *b; /* malloc'd copy of the bytecode, or NULL */
  size_t n;
} bytes;

/* Compile; the diagnostics must be empty.  Returns the bytecode. */
static bytes build(const char *src) {
  char *errs = NULL;
  size_t elen = 0;
  FILE *f = open_memstream(&errs, &elen);
  assert_non_null(f);
  compile_result r;
  compile_source("t.tally", src, strlen(src), f, 1, &r);
  fclose(f);
  bytes out = {r.tbc, r.tbc_len};
  r.tbc = NULL; /* keep it */
  compile_result_free(&r);
  if (errs[0]) free(out.b);
  check_text(errs, "");
  assert_non_null(out.b);
  return out;
}

static uint64_t le(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

/* The CRC-32 of the file with its checksum field read as zero. */
static uint32_t file_crc(const bytes *b) {
  uint8_t *copy = malloc(b->n);
  assert_non_null(copy);
  memcpy(copy, b->b, b->n);
  memset(copy + 12, 0, 4);
  uint32_t c = tbc_crc32(0, copy, b->n);
  free(copy);
  return c;
}

/* Load; on refusal returns NULL with the reason in err. */
static prog *load(const bytes *b, prog_error *err) {
  memset(err, 0, sizeof *err);
  return prog_load(b->b, b->n, err);
}

static char *disasm_text(const prog *p, size_t file_len) {
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  assert_non_null(f);
  disasm_print(f, p, file_len);
  fclose(f);
  return out;
}

static const char *const MINI =
    FIXTURE_MINI;

/* The same policy with other spacing, other line breaks and comments. */
static const char *const MINI_RESPACED =
    "# 测试用的最小标准\n"
    "policy t.mini \"测试\" {\n"
    "\tscale 10   # 满分\n"
    "}\n"
    "\n"
    "input { id text \"单位名称\" key  ok bool \"达标\"\n"
    "        rate percent \"职工入会率\" n int \"次数\" }\n"
    "section \"S\" 10 { item 1 \"t\" 10 {\n"
    "  deduct 1 unless ok \"r1\"             # 不达标\n"
    "  deduct 1 per started 1 of 90-rate \"r2\"\n"
    "  award 1 per n max 2 \"r3\" } }\r\n"
    "rating \"星级\" {\n  \"A\" if score>=9\n  else none\n}";

/* ---- determinism ---------------------------------------------------------------- */

static void test_same_source_same_bytes(void **state) {
  (void)state;
  bytes a = build(MINI), b = build(MINI);
  int same = a.n == b.n && memcmp(a.b, b.b, a.n) == 0;
  size_t n = a.n;
  free(a.b);
  free(b.b);
  assert_true(same);
  /* 32 header + 13×8 section heads + STRS 250 (22 strings) + META 40 +
   * INPT 148 + CNST 36 + TABL 4 + SECT 20 + ITEM 32 + RULE 124 + VETO 4 +
   * LEVL 32 + INDX 8 + POPL 16 + CODE 68 (16 instructions) */
  assert_int_equal(n, 918);
}

/* Only the source hash (bytes 16..23) and so the checksum (12..15) change
 * when only spacing and comments do. */
static void test_whitespace_and_comments_change_only_the_hash(void **state) {
  (void)state;
  bytes a = build(MINI), b = build(MINI_RESPACED);
  int same_len = a.n == b.n;
  int same_head = same_len && memcmp(a.b, b.b, 12) == 0;
  int same_tail = same_len && memcmp(a.b + 24, b.b + 24, a.n - 24) == 0;
  int hash_differs = memcmp(a.b + 16, b.b + 16, 8) != 0;
  int crc_differs = memcmp(a.b + 12, b.b + 12, 4) != 0;
  uint64_t ha = le(a.b + 16, 8), hb = le(b.b + 16, 8);
  uint64_t wa = tbc_fnv1a((const uint8_t *)MINI, strlen(MINI));
  uint64_t wb = tbc_fnv1a((const uint8_t *)MINI_RESPACED, strlen(MINI_RESPACED));
  uint32_t ca = (uint32_t)le(a.b + 12, 4), cb = (uint32_t)le(b.b + 12, 4);
  uint32_t xa = file_crc(&a), xb = file_crc(&b);
  free(a.b);
  free(b.b);
  assert_true(same_len);
  assert_true(same_head);
  assert_true(same_tail);
  assert_true(hash_differs);
  assert_true(crc_differs);
  assert_true(ha == wa);
  assert_true(hb == wb);
  assert_int_equal(ca, xa);
  assert_int_equal(cb, xb);
}

/* A change of meaning changes more than the header. */
static void test_a_point_more_changes_the_body(void **state) {
  (void)state;
  char *src = strdup(MINI);
  assert_non_null(src);
  char *at = strstr(src, "award 1 per n max 2");
  assert_non_null(at);
  at[strlen("award 1 per n max ")] = '3';
  bytes a = build(MINI), b = build(src);
  free(src);
  int same_len = a.n == b.n;
  int body_differs = same_len && memcmp(a.b + 32, b.b + 32, a.n - 32) != 0;
  free(a.b);
  free(b.b);
  assert_true(same_len); /* "max 2" and "max 3" are as long */
  assert_true(body_differs);
}

/* ---- the header ------------------------------------------------------------------- */

static void test_header_fields(void **state) {
  (void)state;
  bytes a = build(MINI);
  int magic = memcmp(a.b, "TLYB", 4) == 0;
  uint64_t version = le(a.b + 4, 2), flags = le(a.b + 6, 2), length = le(a.b + 8, 4);
  uint64_t nsections = le(a.b + 24, 4), reserved = le(a.b + 28, 4);
  uint64_t hash = le(a.b + 16, 8);
  uint32_t crc = (uint32_t)le(a.b + 12, 4), want_crc = file_crc(&a);
  /* the sections follow in order and fill the file exactly */
  static const char tags[][5] = {"STRS", "META", "INPT", "CNST", "TABL", "SECT", "ITEM",
                                 "RULE", "VETO", "LEVL", "INDX", "POPL", "CODE"};
  size_t pos = 32;
  int tags_ok = 1;
  for (int i = 0; i < 13 && pos + 8 <= a.n; i++) {
    if (memcmp(a.b + pos, tags[i], 4)) tags_ok = 0;
    pos += 8 + le(a.b + pos + 4, 4);
  }
  size_t n = a.n;
  free(a.b);
  assert_true(magic);
  assert_int_equal(version, 3);
  assert_int_equal(flags, 0);
  assert_int_equal(length, n);
  assert_int_equal(nsections, 13);
  assert_int_equal(reserved, 0);
  assert_true(hash == tbc_fnv1a((const uint8_t *)MINI, strlen(MINI)));
  assert_int_equal(crc, want_crc);
  assert_true(tags_ok);
  assert_int_equal(pos, n);
}

/* ---- loading ---------------------------------------------------------------------- */

static void test_prog_load_accepts_the_output(void **state) {
  (void)state;
  bytes a = build(MINI);
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  if (!p) print_error("refused at %llu: %s\n", (unsigned long long)err.offset, err.msg);
  assert_non_null(p);
  int ok = !strcmp(p->id, "t.mini") && !strcmp(p->title, "测试") && p->issuer == NULL && p->document == NULL &&
           p->scale == DEC_INT(10) && p->effective == INT32_MIN && p->key == 0 && p->ninputs == 4 &&
           p->nsections == 1 && p->nitems == 1 && p->nrules == 3 && p->nvetoes == 0 && p->nlevels == 1 &&
           p->source_hash == tbc_fnv1a((const uint8_t *)MINI, strlen(MINI));
  /* the inputs, with the implied ranges of a percentage and a count */
  int inputs_ok = p->ninputs == 4 && !strcmp(p->inputs[2].name, "rate") && !strcmp(p->inputs[2].label, "职工入会率") &&
                  p->inputs[2].type == TBC_T_PERCENT && p->inputs[2].flags == (TBC_IN_MIN | TBC_IN_MAX) &&
                  p->inputs[2].min == 0 && p->inputs[2].max == DEC_INT(100) && p->inputs[3].type == TBC_T_INT &&
                  p->inputs[3].flags == TBC_IN_MIN && p->inputs[0].flags == TBC_IN_KEY && p->inputs[1].flags == 0;
  /* the item starts at its points less the awards' maxima */
  int item_ok = p->nitems == 1 && p->items[0].points == DEC_INT(10) && p->items[0].base == DEC_INT(8) &&
                p->items[0].first_rule == 0 && p->items[0].nrules == 3;
  /* rules: kinds, flags and the canonical source text */
  int rules_ok = p->nrules == 3 && p->rules[0].kind == TBC_R_DEDUCT && p->rules[0].flags == TBC_RF_UNLESS &&
                 !strcmp(p->rules[0].source, "deduct 1 unless ok") && !strcmp(p->rules[0].reason, "r1") &&
                 p->rules[1].kind == TBC_R_DEDUCT_PER && p->rules[1].flags == TBC_RF_STARTED &&
                 p->rules[1].unit == DEC_INT(1) && !strcmp(p->rules[1].source, "deduct 1 per started 1 of 90 - rate") &&
                 p->rules[2].kind == TBC_R_AWARD_PER && p->rules[2].flags == TBC_RF_MAX &&
                 p->rules[2].max == DEC_INT(2) && p->rules[2].points == DEC_INT(1);
  int rating_ok = p->nlevels == 1 && !strcmp(p->rating_title, "星级") && p->else_name == NULL &&
                  !strcmp(p->levels[0].name, "A") && p->levels[0].flags == TBC_LV_THRESHOLD &&
                  p->levels[0].threshold == DEC_INT(9);
  prog_free(p);
  assert_true(ok);
  assert_true(inputs_ok);
  assert_true(item_ok);
  assert_true(rules_ok);
  assert_true(rating_ok);
}

/* The sample policy of the project compiles and loads. */
static void test_rushan_compiles_and_loads(void **state) {
  (void)state;
  size_t len = 0;
  char *text = compile_read_file("policies/rushan-2020-enterprise.tally", &len);
  assert_non_null(text);
  bytes a = build(text);
  free(text);
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  assert_non_null(p);
  int ok = p->nsections == 5 && p->nitems == 20 && p->nvetoes == 3 && p->nlevels == 3 && p->scale == DEC_INT(100) &&
           !strcmp(p->levels[0].name, "五星级") && p->levels[2].threshold == DEC_INT(70);
  prog_free(p);
  assert_true(ok);
}

/* One byte changed: the checksum no longer matches and nothing is loaded. */
static void test_damaged_output_is_refused(void **state) {
  (void)state;
  bytes a = build(MINI);
  uint32_t stored = (uint32_t)le(a.b + 12, 4);
  a.b[a.n - 5] ^= 0x01;
  uint32_t computed = file_crc(&a);
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  prog_free(p);
  assert_null(p);
  char want[200];
  snprintf(want, sizeof want, "checksum mismatch: the file is damaged (stored %08x, computed %08x)", stored, computed);
  assert_string_equal(err.msg, want);
  assert_int_equal(err.offset, 12);
}

/* ---- deduplication ------------------------------------------------------------------ */

/* A policy to count tables in: reasons, labels and texts repeat. */
static const char *const REPEATS =
    "policy t.rep \"重复\" { scale 10 }\n"
    "input {\n"
    "  a bool \"甲\"\n"
    "  b bool \"乙\"\n"
    "  n int \"次数\"\n"
    "}\n"
    "section \"S\" 10 {\n"
    "  item 1 \"t\" 5 {\n"
    "    deduct 1 unless a \"不达标扣1分\"\n"
    "    deduct 1 unless b \"不达标扣1分\"\n"
    "    deduct 1 if n > 9 \"不达标扣1分\"\n"
    "  }\n"
    "  item 2 \"t\" 5 {\n"
    "    deduct 1 unless a \"不达标扣1分\"\n"
    "    deduct 1 if n > 9 and n < 90 \"t\"\n"
    "  }\n"
    "}\n"
    "veto \"不达标扣1分\" if n > 90\n"
    "rating \"R\" { \"t\" if score >= 9 else \"S\" }\n";

/* Strings: t.rep 重复 a 甲 b 乙 n 次数 S 1 t 不达标扣1分 "deduct 1 unless a"
 * "deduct 1 unless b" "deduct 1 if n > 9" 2 "deduct 1 if n > 9 and n < 90"
 * "if n > 90" R "score >= 9" — 20; each repeated text ("t", "S", the reason, the
 * rule text of item 2's first rule) is stored once. */
static void test_strings_deduplicated(void **state) {
  (void)state;
  bytes a = build(REPEATS);
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  assert_non_null(p);
  uint32_t nstrs = p->nstrs;
  int shared = p->nrules == 5 && p->rules[0].reason == p->rules[1].reason && p->rules[0].reason == p->rules[3].reason &&
               p->rules[0].reason == p->vetoes[0].reason && p->rules[0].source == p->rules[3].source &&
               p->items[0].text == p->items[1].text && p->items[0].text == p->levels[0].name &&
               p->sections[0].title == p->else_name && !strcmp(p->rules[4].reason, "t");
  prog_free(p);
  assert_int_equal(nstrs, 20);
  assert_true(shared);
}

/* Constants: 9 appears three times (twice in rules, once as a threshold)
 * and 90 twice: two constants in all. */
static void test_constants_deduplicated(void **state) {
  (void)state;
  bytes a = build(REPEATS);
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  assert_non_null(p);
  uint32_t n = p->nconsts;
  int ok = n == 2 && p->consts[0].type == TBC_V_DEC && p->consts[0].value == DEC_INT(9) &&
           p->consts[1].type == TBC_V_DEC && p->consts[1].value == DEC_INT(90);
  prog_free(p);
  assert_int_equal(n, 2);
  assert_true(ok);
}

/* An enum value is a constant of type ENUM0 + 0 with the input in aux; the
 * same value compared twice is one constant, yes and no are two. */
static void test_enum_and_bool_constants(void **state) {
  (void)state;
  bytes a = build("policy t.e \"e\" { scale 2 }\n"
                  "input { x bool \"x\"  kind enum(soe, private) \"类型\" }\n"
                  "section \"S\" 2 { item 1 \"t\" 2 {\n"
                  "  deduct 1 if kind == private or x == yes \"r\"\n"
                  "  deduct 1 if kind != private and x != no \"s\" } }\n");
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  assert_non_null(p);
  uint32_t n = p->nconsts;
  int ok = n == 3 && p->consts[0].type == TBC_V_ENUM0 && p->consts[0].aux == 1 && p->consts[0].value == 1 &&
           p->consts[1].type == TBC_V_BOOL && p->consts[1].value == 1 && p->consts[2].type == TBC_V_BOOL &&
           p->consts[2].value == 0;
  prog_free(p);
  assert_int_equal(n, 3);
  assert_true(ok);
}

/* ---- the listing ------------------------------------------------------------------- */

static const char *const TINY =
    "policy t.tiny \"小\" { scale 10 }\n"
    "input {\n"
    "  id   text \"名称\" key\n"
    "  ok   bool \"达标\"\n"
    "  kind enum(soe \"国有\", private \"民营\") \"类型\"\n"
    "  n    int \"次数\"\n"
    "}\n"
    "section \"S\" 10 {\n"
    "  item 1 \"t\" 6 {\n"
    "    deduct 2 if not ok and kind == soe \"r\"\n"
    "    award 1 per n max 2 \"r\"\n"
    "  }\n"
    "  item 2 \"u\" 4 {\n"
    "    deduct 4 unless ok \"r\"\n"
    "  }\n"
    "}\n"
    "veto \"否决\" if kind == private\n"
    "rating \"星级\" { \"A\" if score >= 9 else none }\n";

/* Checked line by line against TINY:
 *  - 27 strings: t.tiny 小, the 4 inputs' names and labels (8), soe 国有
 *    private 民营, S, 1 t, r and the two rule texts of item 1, 2 u, the rule
 *    text of item 2 (its "r" is shared), 否决 and "if kind == private",
 *    星级 A.  964 bytes = 32 header + 10×8 section heads + STRS 284 +
 *    META 32 + INPT 164 + CNST 52 + SECT 16 + ITEM 44 + RULE 124 + VETO 12
 *    + LEVL 28 + CODE 96.
 *  - constants: kind.soe, kind.private, 9.
 *  - item 1 is worth 6 and can be awarded 2, so it starts at 4; item 2
 *    has no award and starts at its 4.
 *  - an int gets the range 0.. when none is written.
 *  - `not ok` and `unless ok` are LOADNOT; `and` jumps over `kind == soe`
 *    (3 instructions) to the DEDUCT with the false value kept.
 *  - stack 2: kind and a constant. */
static void test_disasm_tiny_policy(void **state) {
  (void)state;
  bytes a = build(TINY);
  prog_error err;
  prog *p = load(&a, &err);
  size_t n = a.n;
  free(a.b);
  assert_non_null(p);
  char *text = disasm_text(p, n);
  prog_free(p);
  check_text(text,
             "; policy t.tiny \"小\"\n"
             "; tbc version 3, 1070 bytes, source hash dbcae0b426cebb74, scale 10\n"
             "; 28 strings, 4 inputs, 3 constants, 1 sections, 2 items, 3 rules, 1 vetoes, 1 levels, "
             "24 instructions, stack 2\n"
             "\n"
             "inputs:\n"
             "    0  text     id \"名称\" key\n"
             "    1  bool     ok \"达标\"\n"
             "    2  enum     kind \"类型\" (soe, private)\n"
             "    3  int      n \"次数\" range 0..\n"
             "\n"
             "items:\n"
             "  section \"S\" 10\n"
             "      0  item 1  6 points, base 4\n"
             "         rule 0: deduct 2 if not ok and kind == soe  \"r\"\n"
             "         rule 1: award 1 per n max 2  \"r\"\n"
             "      1  item 2  4 points, base 4\n"
             "         rule 2: deduct 4 unless ok  \"r\"\n"
             "\n"
             "vetoes:\n"
             "    0  if kind == private  \"否决\"\n"
             "\n"
             "rating \"星级\":\n"
             "    0  \"A\" if score >= 9  (threshold 9)\n"
             "  else none\n"
             "\n"
             "code:\n"
             "      0  ITEM      0      ; item 1\n"
             "      1  LOADNOT   1      ; ok\n"
             "      2  ANDJ      3      ; to 6\n"
             "      3  LOAD      2      ; kind\n"
             "      4  CONST     0      ; kind.soe\n"
             "      5  EQ\n"
             "      6  DEDUCT    0      ; deduct 2 if not ok and kind == soe\n"
             "      7  LOAD      3      ; n\n"
             "      8  AWARDPER  1      ; award 1 per n max 2\n"
             "      9  ENDITEM\n"
             "     10  ITEM      1      ; item 2\n"
             "     11  LOADNOT   1      ; ok\n"
             "     12  DEDUCT    2      ; deduct 4 unless ok\n"
             "     13  ENDITEM\n"
             "     14  LOAD      2      ; kind\n"
             "     15  CONST     1      ; kind.private\n"
             "     16  EQ\n"
             "     17  VETO      0      ; 否决\n"
             "     18  SCORE\n"
             "     19  CONST     2      ; 9\n"
             "     20  GE\n"
             "     21  LEVEL     0      ; A\n"
             "     22  RATE\n"
             "     23  HALT\n");
  assert_true(tbc_fnv1a((const uint8_t *)TINY, strlen(TINY)) == 0xdbcae0b426cebb74u);
}

/* The listing of a policy with header texts, a veto with unless, a
 * missing(…) count, an or-jump and a date difference. */
static void test_disasm_other_instructions(void **state) {
  (void)state;
  static const char src[] =
      "policy t.ops \"o\" { issuer \"乳山市总工会\" document \"6号\" scale 3 }\n"
      "input { a bool \"a\"  b bool \"b\"  d date \"d\"  e date \"e\" }\n"
      "section \"S\" 3 { item 1 \"t\" 3 {\n"
      "  deduct 1 per missing(a, b) \"m\"\n"
      "  zero if a or e - d > 30 \"z\" } }\n"
      "veto \"v\" unless b\n";
  bytes a = build(src);
  prog_error err;
  prog *p = load(&a, &err);
  size_t n = a.n;
  free(a.b);
  assert_non_null(p);
  char *text = disasm_text(p, n);
  uint64_t hash = p->source_hash;
  prog_free(p);
  char *code = text ? strstr(text, "code:\n") : NULL;
  char *head_end = text ? strchr(text, '\n') : NULL;
  head_end = head_end ? strchr(head_end + 1, '\n') : NULL;
  head_end = head_end ? strchr(head_end + 1, '\n') : NULL;
  char *head = head_end ? strndup(text, (size_t)(head_end - text) + 1) : NULL;
  char *code_part = code ? strdup(code) : NULL;
  free(text);
  char want_head[300];
  snprintf(want_head, sizeof want_head,
           "; policy t.ops \"o\"\n"
           "; issuer 乳山市总工会\n"
           "; document 6号\n");
  check_text(head, want_head);
  check_text(code_part,
             "code:\n"
             "      0  ITEM      0      ; item 1\n"
             "      1  LOAD      0      ; a\n"
             "      2  LOAD      1      ; b\n"
             "      3  NFALSE    2\n"
             "      4  DEDUCTPER 0      ; deduct 1 per missing(a, b)\n"
             "      5  LOAD      0      ; a\n"
             "      6  ORJ       5      ; to 12\n"
             "      7  LOAD      3      ; e\n"
             "      8  LOAD      2      ; d\n"
             "      9  DAYS\n"
             "     10  CONST     0      ; 30\n"
             "     11  GT\n"
             "     12  ZERO      1      ; zero if a or e - d > 30\n"
             "     13  ENDITEM\n"
             "     14  LOADNOT   1      ; b\n"
             "     15  VETO      0      ; v\n"
             "     16  RATE\n"
             "     17  HALT\n");
  assert_true(hash == tbc_fnv1a((const uint8_t *)src, sizeof src - 1));
}

/* ---- limits ------------------------------------------------------------------------ */

/* n + (n + (… n)) nested k times needs a stack of k + 1 values. */
static char *nested_policy(int k) {
  char *s = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&s, &len);
  assert_non_null(f);
  fputs("policy a.b \"c\" { scale 1 }\ninput { n int \"n\" }\nsection \"S\" 1 { item 1 \"t\" 1 { deduct 1 if ", f);
  for (int i = 0; i < k; i++) fputs("n + (", f);
  fputc('n', f);
  for (int i = 0; i < k; i++) fputc(')', f);
  fputs(" > 0 \"r\" } }\n", f);
  fclose(f);
  return s;
}

/* A stack of exactly 256 values is allowed, and the verifier agrees. */
static void test_stack_limit_reached(void **state) {
  (void)state;
  char *src = nested_policy(255);
  bytes a = build(src);
  free(src);
  prog_error err;
  prog *p = load(&a, &err);
  free(a.b);
  uint32_t depth = p ? p->max_stack : 0;
  prog_free(p);
  assert_int_equal(depth, 256);
}

/* One more is refused by the compiler, with a message (not left to the
 * verifier). */
static void test_stack_limit_exceeded(void **state) {
  (void)state;
  char *src = nested_policy(256);
  char *errs = NULL;
  size_t elen = 0;
  FILE *f = open_memstream(&errs, &elen);
  assert_non_null(f);
  compile_result r;
  compile_source("t.tally", src, strlen(src), f, 1, &r);
  fclose(f);
  free(src);
  int nerr = r.errors, has_tbc = r.tbc != NULL;
  compile_result_free(&r);
  /* the message line and the hint; the quoted line is 1600 characters */
  char *nl = errs ? strchr(errs, '\n') : NULL;
  char *first = nl ? strndup(errs, (size_t)(nl - errs) + 1) : NULL;
  char *hint = errs ? strstr(errs, "hint: ") : NULL;
  char *hint_copy = hint ? strdup(hint) : NULL;
  free(errs);
  check_text(first, "t.tally:3:1324: error: expression too deeply nested (the limit is a stack of 256 values)\n");
  check_text(hint_copy, "hint: split it into simpler conditions\n");
  assert_int_equal(nerr, 1);
  assert_false(has_tbc);
}

/* ---- fixed after review: each was a wrong behaviour or a poor message ---- */

/* The listing quotes level names ("A") but not the else name, so an else
 * level called "none" cannot be told from no else level at all. */
static void test_disasm_else_name_quoted(void **state) {
  (void)state;
  bytes a = build("policy t.x \"x\" { scale 1 }\ninput { a bool \"a\" }\n"
                  "section \"S\" 1 { item 1 \"t\" 1 { deduct 1 if a \"r\" } }\n"
                  "rating \"R\" { \"A\" if score >= 1 else \"none\" }\n");
  prog_error err;
  prog *p = load(&a, &err);
  size_t n = a.n;
  free(a.b);
  assert_non_null(p);
  char *text = disasm_text(p, n);
  prog_free(p);
  char *r = text ? strstr(text, "rating ") : NULL;
  char *end = r ? strstr(r, "\n\n") : NULL;
  char *part = end ? strndup(r, (size_t)(end - r) + 1) : NULL;
  free(text);
  check_text(part,
             "rating \"R\":\n"
             "    0  \"A\" if score >= 1  (threshold 1)\n"
             "  else \"none\"\n");
}

/* `not x` on a bool input is emitted as LOADNOT without the depth check
 * of cg_expr, so when it is what overflows the stack the error is only
 * caught at the end and reported at the policy id ("t.tally:1:8: error:
 * an expression is too deeply nested …"), far from the expression. */
static void test_stack_limit_located_at_expression(void **state) {
  (void)state;
  char *s = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&s, &len);
  assert_non_null(f);
  fputs("policy a.b \"c\" { scale 1 }\ninput { x bool \"x\" }\nsection \"S\" 1 { item 1 \"t\" 1 { deduct 1 if ", f);
  for (int i = 0; i < 256; i++) fputs("x == (", f);
  fputs("not x", f);
  for (int i = 0; i < 256; i++) fputc(')', f);
  fputs(" \"r\" } }\n", f);
  fclose(f);
  char *errs = NULL;
  size_t elen = 0;
  f = open_memstream(&errs, &elen);
  assert_non_null(f);
  compile_result r;
  compile_source("t.tally", s, strlen(s), f, 1, &r);
  fclose(f);
  free(s);
  int nerr = r.errors;
  compile_result_free(&r);
  char *nl = errs ? strchr(errs, '\n') : NULL;
  char *first = nl ? strndup(errs, (size_t)(nl - errs) + 1) : NULL;
  free(errs);
  check_text(first, "t.tally:3:1580: error: expression too deeply nested (the limit is a stack of 256 values)\n");
  assert_int_equal(nerr, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_source_same_bytes),
      cmocka_unit_test(test_whitespace_and_comments_change_only_the_hash),
      cmocka_unit_test(test_a_point_more_changes_the_body),
      cmocka_unit_test(test_header_fields),
      cmocka_unit_test(test_prog_load_accepts_the_output),
      cmocka_unit_test(test_rushan_compiles_and_loads),
      cmocka_unit_test(test_damaged_output_is_refused),
      cmocka_unit_test(test_strings_deduplicated),
      cmocka_unit_test(test_constants_deduplicated),
      cmocka_unit_test(test_enum_and_bool_constants),
      cmocka_unit_test(test_disasm_tiny_policy),
      cmocka_unit_test(test_disasm_other_instructions),
      cmocka_unit_test(test_stack_limit_reached),
      cmocka_unit_test(test_stack_limit_exceeded),
      cmocka_unit_test(test_disasm_else_name_quoted),
      cmocka_unit_test(test_stack_limit_located_at_expression),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
