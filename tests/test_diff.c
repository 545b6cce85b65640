/* test_diff.c — tally diff: matching, the change list in words, the
 * character-level wording, and the impact of two standards on records.
 *
 * One small policy (BASE) with something of every kind; each test edits it
 * with swap() (which fails when the text to replace is not there, so that a
 * test cannot silently compare a policy with itself) and asserts the exact
 * words of every change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/compile.h"
#include "compiler/diff.h"
#include "compiler/diffout.h"
#include "compiler/impact.h"
#include "runtime/prog.h"

static const char BASE[] =
    "policy t.diff \"比较\" { scale 10 }\n"
    "input {\n"
    "  id    text    \"单位名称\" key\n"
    "  ok    bool    \"达标\"\n"
    "  ready bool    \"就绪\"\n"
    "  rate  percent \"职工入会率\"\n"
    "  n     int     \"次数\" range 0..\n"
    "}\n"
    "index x \"规范指数\" {\n"
    "  check \"建会\" ok\n"
    "  check \"入会率达标\" rate >= 80\n"
    "}\n"
    "section \"组织\" 6 {\n"
    "  item 1 \"依法建立工会\" 4 {\n"
    "    deduct 2 unless ok \"未建会扣2分\"\n"
    "    deduct 1 unless ready \"未就绪扣1分\"\n"
    "  }\n"
    "  item 2 \"职工入会\" 2 {\n"
    "    deduct 1 per started 1 of 90 - rate \"入会率每少一个百分点扣1分\"\n"
    "  }\n"
    "}\n"
    "section \"活动\" 4 {\n"
    "  item 3 \"开展活动\" 4 {\n"
    "    award 1 per n max 4 \"每开展一次活动计1分\"\n"
    "  }\n"
    "}\n"
    "veto \"发生群体事件\" if not ok and not ready\n"
    "rating \"星级\" {\n"
    "  \"三星级\" if score >= 9 and all(x)\n"
    "  \"二星级\" if score >= 7\n"
    "  \"一星级\" if score >= 5\n"
    "  else none\n"
    "}\n"
    "quota \"三星级\" at most 20% report\n"
    "target \"入会率达标的比例\" share(rate >= 80) >= 90%\n"
    "audit \"抽查\" sample 10% where rating == \"三星级\" seed 7\n";

/* ---- helpers ---------------------------------------------------------------- */

static prog *compile_prog(const char *src) {
  FILE *sink = fopen("/dev/null", "w");
  compile_result cr = {0};
  compile_source("t.tally", src, strlen(src), sink, 1, &cr);
  fclose(sink);
  if (cr.errors) {
    fprintf(stderr, "policy does not compile:\n%s\n", src);
    compile_source("t.tally", src, strlen(src), stderr, 1, &cr);
    fail();
  }
  prog_error err;
  prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
  compile_result_free(&cr);
  assert_non_null(p);
  return p;
}

/* src with `from` replaced by `to` (once; `from` must be there). */
static char *swap(const char *src, const char *from, const char *to) {
  const char *at = strstr(src, from);
  if (!at) {
    fprintf(stderr, "swap: '%s' is not in the policy\n", from);
    fail();
  }
  size_t n = strlen(src) - strlen(from) + strlen(to);
  char *s = malloc(n + 1);
  memcpy(s, src, (size_t)(at - src));
  strcpy(s + (at - src), to);
  strcat(s, at + strlen(from));
  return s;
}

/* Every change as "words" lines, implied ones marked with "(implied) ". */
static char *diff_words(const char *old_src, const char *new_src, const char *ta, const char *tb) {
  prog *a = compile_prog(old_src), *b = compile_prog(new_src);
  df_list l = {0};
  char err[300];
  df_scope sa = {ta}, sb = {tb};
  assert_int_equal(df_compare(a, b, &sa, &sb, &l, err, sizeof err), 0);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  for (size_t i = 0; i < l.n; i++) fprintf(f, "%s%s\n", l.v[i].implied ? "(implied) " : "", l.v[i].words);
  fprintf(f, "count %zu\n", df_count(&l));
  fclose(f);
  df_list_free(&l);
  prog_free(a);
  prog_free(b);
  return text;
}

static void expect_words(const char *old_src, const char *new_src, const char *want) {
  char *got = diff_words(old_src, new_src, NULL, NULL);
  if (strcmp(got, want)) fprintf(stderr, "--- got:\n%s--- want:\n%s---\n", got, want);
  assert_string_equal(got, want);
  free(got);
}

/* One edit of BASE, and the words it must give. */
static void expect_edit(const char *from, const char *to, const char *want) {
  char *b = swap(BASE, from, to);
  expect_words(BASE, b, want);
  free(b);
}

/* ---- same meaning -------------------------------------------------------------- */

static void test_same_policy_no_changes(void **state) {
  (void)state;
  expect_words(BASE, BASE, "count 0\n");
}

/* Spacing, comments, the order of inputs, sections, items, rules, checks
 * and vetoes: none of it is a change. */
static void test_reordered_and_reformatted_no_changes(void **state) {
  (void)state;
  static const char other[] =
      "# the same standard, written otherwise\n"
      "policy t.diff \"比较\" { scale 10 }\n"
      "input { n int \"次数\" range 0..   rate percent \"职工入会率\"\n"
      "        ready bool \"就绪\"  ok bool \"达标\"  id text \"单位名称\" key }\n"
      "section \"活动\" 4 { item 3 \"开展活动\" 4 { award 1 per n max 4 \"每开展一次活动计1分\" } }\n"
      "section \"组织\" 6 {\n"
      "  item 2 \"职工入会\" 2 { deduct 1 per started 1 of 90 - rate \"入会率每少一个百分点扣1分\" }\n"
      "  item 1 \"依法建立工会\" 4 {\n"
      "      deduct 1 unless ready \"未就绪扣1分\"   # moved up\n"
      "      deduct 2 unless ok \"未建会扣2分\"\n"
      "  }\n"
      "}\n"
      "index x \"规范指数\" { check \"入会率达标\" rate >= 80  check \"建会\" ok }\n"
      "audit \"抽查\" sample 10% where rating == \"三星级\" seed 7\n"
      "target \"入会率达标的比例\" share(rate >= 80) >= 90%\n"
      "quota \"三星级\" at most 20% report\n"
      "rating \"星级\" { \"三星级\" if score >= 9 and all(x)  \"二星级\" if score >= 7\n"
      "  \"一星级\" if score >= 5 else none }\n"
      "veto \"发生群体事件\" if not ok and not ready\n";
  expect_words(BASE, other, "count 0\n");
}

/* ---- items and rules ---------------------------------------------------------- */

static void test_rule_and_item_changes(void **state) {
  (void)state;
  expect_edit("deduct 2 unless ok \"未建会扣2分\"", "deduct 3 unless ok \"未建会扣3分\"",
              "item 1: deduction \"未建会扣3分\": 2 → 3 points; wording changed\ncount 1\n");
  expect_edit("deduct 1 unless ready \"未就绪扣1分\"", "deduct 1 unless ready and ok \"未就绪扣1分\"",
              "item 1: deduction \"未就绪扣1分\": condition changed\ncount 1\n");
  expect_edit("award 1 per n max 4", "award 2 per n max 4",
              "item 3: award per unit \"每开展一次活动计1分\": 1 → 2 points\ncount 1\n");
  expect_edit("award 1 per n max 4", "award 1 per n max 3",
              "item 3: award per unit \"每开展一次活动计1分\": at most 4 → 3 points\ncount 1\n");
  expect_edit("    deduct 1 unless ready \"未就绪扣1分\"\n", "",
              "item 1: deduction removed: \"未就绪扣1分\", 1 point\ncount 1\n");
  expect_edit("    deduct 1 unless ready \"未就绪扣1分\"\n",
              "    deduct 1 unless ready \"未就绪扣1分\"\n    zero if n > 99 \"此项不得分\"\n",
              "item 1: zero rule added: \"此项不得分\"\ncount 1\n");
  expect_edit("item 2 \"职工入会\"", "item 2 \"职工依法入会\"", "item 2: text changed\ncount 1\n");
  expect_edit("item 2 \"职工入会\" 2 {", "item 2 \"职工入会\" 2 when ok {",
              "item 2: now applies only when a condition holds\ncount 1\n");
}

/* A section maximum that its items explain is implied; one that they do
 * not (the policy acknowledges its arithmetic) counts. */
static void test_section_max_implied_or_not(void **state) {
  (void)state;
  char *b = swap(BASE, "item 1 \"依法建立工会\" 4", "item 1 \"依法建立工会\" 5");
  char *c = swap(b, "section \"组织\" 6", "section \"组织\" 7");
  char *d = swap(c, "scale 10", "scale 11");
  expect_words(BASE, d,
               "scale: 10 → 11\n"
               "(implied) section \"组织\": 6 → 7 points (its items' points add up to it)\n"
               "item 1: 4 → 5 points\n"
               "count 2\n");
  free(b), free(c), free(d);
  b = swap(BASE, "section \"组织\" 6 {", "section \"组织\" 7 {\n  acknowledge \"原表如此\"");
  c = swap(b, "scale 10", "scale 11");
  expect_words(BASE, c, "scale: 10 → 11\nsection \"组织\": 6 → 7 points\ncount 2\n");
  free(b), free(c);
}

/* An item inserted before the others: one item added and one run of
 * renumbered items, not three rewritten items. */
static void test_inserted_item_renumbers(void **state) {
  (void)state;
  char *b = swap(BASE, "  item 1 \"依法建立工会\" 4 {", "  item 1 \"新增一项\" 1 { }\n  item 2 \"依法建立工会\" 4 {");
  char *c = swap(b, "item 2 \"职工入会\" 2", "item 3 \"职工入会\" 2");
  char *d = swap(c, "item 3 \"开展活动\" 4", "item 4 \"开展活动\" 3");
  char *e = swap(d, "section \"活动\" 4", "section \"活动\" 3");
  free(b), free(c), free(d);
  b = swap(e, "section \"组织\" 6", "section \"组织\" 7");
  c = swap(b, "award 1 per n max 4", "award 1 per n max 3");
  expect_words(BASE, c,
               "(implied) section \"组织\": 6 → 7 points (its items' points add up to it)\n"
               "item 1 added: 1 point, 0 rules\n"
               "items 2–3 renumbered: were items 1–2\n"
               "(implied) section \"活动\": 4 → 3 points (its items' points add up to it)\n"
               "item 4 (was item 3): 4 → 3 points\n"
               "item 4 (was item 3): award per unit \"每开展一次活动计1分\": at most 4 → 3 points\n"
               "count 4\n");
  free(b), free(c), free(e);
}

static void test_item_moved_between_sections(void **state) {
  (void)state;
  char *b = swap(BASE,
                 "  item 2 \"职工入会\" 2 {\n    deduct 1 per started 1 of 90 - rate \"入会率每少一个百分点扣1分\"\n  }\n", "");
  char *c = swap(b, "section \"组织\" 6", "section \"组织\" 4");
  char *d = swap(c, "section \"活动\" 4 {\n",
                 "section \"活动\" 6 {\n  item 2 \"职工入会\" 2 {\n    deduct 1 per started 1 of 90 - rate "
                 "\"入会率每少一个百分点扣1分\"\n  }\n");
  expect_words(BASE, d,
               "(implied) section \"组织\": 6 → 4 points (its items' points add up to it)\n"
               "(implied) section \"活动\": 4 → 6 points (its items' points add up to it)\n"
               "item 2 moved from section \"组织\" to \"活动\"\n"
               "count 1\n");
  free(b), free(c), free(d);
}

/* The old and new lines are the language: a quote in a reason is escaped. */
static void test_language_lines_escape_strings(void **state) {
  (void)state;
  char *b = swap(BASE, "deduct 2 unless ok \"未建会扣2分\"", "deduct 2 unless ok \"未\\\"建会\\\"扣2分\"");
  prog *pa = compile_prog(BASE), *pb = compile_prog(b);
  df_list l = {0};
  char err[300];
  assert_int_equal(df_compare(pa, pb, NULL, NULL, &l, err, sizeof err), 0);
  assert_int_equal(l.n, 1);
  assert_string_equal(l.v[0].new_, "deduct 2 unless ok \"未\\\"建会\\\"扣2分\"");
  assert_string_equal(l.v[0].text_new, "未\"建会\"扣2分");
  df_list_free(&l);
  prog_free(pa);
  prog_free(pb);
  free(b);
}

/* ---- inputs, vetoes, rating, indices, population ----------------------------------- */

static const char TABLES[] =
    "policy t.tables \"分类\" { scale 4 }\n"
    "input { id text \"名称\" key  kind enum(soe \"国有\", np \"非公\") \"类别\"  a bool \"甲\"  b bool \"乙\" }\n"
    "table \"（一）国有\" when kind == soe {\n"
    "  section \"组织\" 4 {\n"
    "    item 1 \"建立工会\" 2 { zero unless a \"未建立工会，不得分\" }\n"
    "    item 2 \"按期换届\" 2 { zero unless b \"未按期换届，不得分\" }\n"
    "  }\n"
    "}\n"
    "table \"（二）非公\" when kind == np {\n"
    "  acknowledge \"原表合计5分\"\n"
    "  section \"组织\" 5 {\n"
    "    item 1 \"建立工会，组织会员开展活动\" 2 { zero unless a \"未建立工会，不得分\" }\n"
    "    item 2 \"组织会员\" 1 { }\n"
    "    item 3 \"按期换届\" 2 { zero unless b \"未按期换届，不得分\" }\n"
    "  }\n"
    "}\n";

static void test_inputs(void **state) {
  (void)state;
  char *b = swap(BASE, "  n     int     \"次数\" range 0..\n",
                 "  n     int     \"次数\" range 0..\n  extra bool \"新增项\"\n  opt bool \"可选\" default no\n");
  char *c = swap(b, "veto \"发生群体事件\" if not ok and not ready",
                 "veto \"发生群体事件\" if not ok and not ready and not extra and not opt");
  expect_words(BASE, c,
               "input extra \"新增项\" added: a new column that evaluators must now collect\n"
               "input opt \"可选\" added: a new column; a blank cell takes its default\n"
               "veto \"发生群体事件\": condition changed\n"
               "count 3\n");
  free(b), free(c);
  expect_edit("rate  percent \"职工入会率\"", "rate  percent \"会员入会率\"",
              "input rate: label changed\ncount 1\n");
  expect_edit("n     int     \"次数\" range 0..", "n     int     \"次数\" range 0..50",
              "input n: range or default changed\ncount 1\n");
  /* an enum value's label is part of the input */
  char *e1 = swap(TABLES, "kind enum(soe \"国有\", np \"非公\")", "kind enum(soe \"国有企业\", np \"非公\")");
  char *got = diff_words(TABLES, e1, NULL, NULL);
  assert_string_equal(got, "input kind: a value's label changed\ncount 1\n");
  free(got), free(e1);
  /* renamed, label kept: the same column, and the rule reads it by its new name */
  char *r1 = swap(BASE, "  ready bool    \"就绪\"", "  prepared bool \"就绪\"");
  char *r2 = swap(r1, "deduct 1 unless ready \"未就绪扣1分\"", "deduct 1 unless prepared \"未就绪扣1分\"");
  char *r3 = swap(r2, "veto \"发生群体事件\" if not ok and not ready", "veto \"发生群体事件\" if not ok and not prepared");
  expect_words(BASE, r3, "input ready renamed to prepared: the column \"就绪\" reads as before\ncount 1\n");
  /* a rule that tests the renamed input differently is still a change */
  char *r4 = swap(r3, "deduct 1 unless prepared \"未就绪扣1分\"", "deduct 1 unless prepared and ok \"未就绪扣1分\"");
  expect_words(BASE, r4,
               "input ready renamed to prepared: the column \"就绪\" reads as before\n"
               "item 1: deduction \"未就绪扣1分\": condition changed\n"
               "count 2\n");
  free(r1), free(r2), free(r3), free(r4);
}

static void test_vetoes_and_rating(void **state) {
  (void)state;
  expect_edit("veto \"发生群体事件\" if not ok and not ready", "veto \"发生群体事件\" if not ok and not ready at most \"一星级\"",
              "veto \"发生群体事件\": no rating → 一星级\ncount 1\n");
  expect_edit("veto \"发生群体事件\" if not ok and not ready", "veto \"发生重大群体事件\" if not ok and not ready",
              "veto \"发生重大群体事件\": wording changed\ncount 1\n");
  expect_edit("\"二星级\" if score >= 7", "\"二星级\" if score >= 7.5",
              "level \"二星级\": threshold raised 7 → 7.5 points\ncount 1\n");
  expect_edit("\"三星级\" if score >= 9 and all(x)", "\"三星级\" if score >= 9 and share(x) >= 50%",
              "level \"三星级\": condition changed\ncount 1\n");
  expect_edit("  \"一星级\" if score >= 5\n  else none", "  else \"一星级\"",
              "below every level: no level → \"一星级\"\nlevel \"一星级\" removed\ncount 2\n");
  expect_edit("rating \"星级\" {", "rating \"星级\" cumulative {",
              "rating made cumulative: a level now also needs every lower level's condition\ncount 1\n");
}

static void test_indices_and_population(void **state) {
  (void)state;
  expect_edit("check \"入会率达标\" rate >= 80", "check \"入会率达标\" rate >= 85",
              "index x: check \"入会率达标\": condition changed\ncount 1\n");
  expect_edit("check \"建会\" ok", "check \"依法建会\" ok", "index x: check \"依法建会\": wording changed\ncount 1\n");
  expect_edit("  check \"建会\" ok\n", "  check \"建会\" ok\n  check \"就绪\" ready\n",
              "index x: check added: \"就绪\"\ncount 1\n");
  expect_edit("at most 20% report", "at most 15% enforce", "quota \"三星级\": at most 20% → 15%\ncount 1\n");
  expect_edit("at most 20% report", "at most 20% enforce", "quota \"三星级\": now enforced\ncount 1\n");
  expect_edit("share(rate >= 80) >= 90%", "share(rate >= 80) >= 95%",
              "target \"入会率达标的比例\": goal raised 90 → 95%\ncount 1\n");
  expect_edit("share(rate >= 80) >= 90%", "share(rate >= 85) >= 90%",
              "target \"入会率达标的比例\": what it counts changed\ncount 1\n");
  expect_edit("sample 10%", "sample 5%", "audit \"抽查\": sample 10% → 5%\ncount 1\n");
  expect_edit("target \"入会率达标的比例\" share(rate >= 80) >= 90%", "target \"入会率达到85%的比例\" share(rate >= 85) >= 80%",
              "target \"入会率达到85%的比例\": goal lowered 90 → 80%; what it counts changed; wording changed\ncount 1\n");
}

/* ---- tables ---------------------------------------------------------------------- */


static void test_table_against_table(void **state) {
  (void)state;
  const char *want = "(implied) section \"组织\": 4 → 5 points (its items' points add up to it)\n"
                     "item 1: text changed\n"
                     "item 2 added: 1 point, 0 rules\n"
                     "item 3 renumbered: was item 2\n"
                     "count 3\n";
  /* by category value, by title, by number */
  const char *names[][2] = {{"soe", "np"}, {"（一）国有", "（二）非公"}, {"1", "2"}};
  for (int k = 0; k < 3; k++) {
    char *got = diff_words(TABLES, TABLES, names[k][0], names[k][1]);
    assert_string_equal(got, want);
    free(got);
  }
  prog *p = compile_prog(TABLES);
  df_list l = {0};
  char err[300];
  df_scope sa = {"agency"}, sb = {"np"};
  assert_int_equal(df_compare(p, p, &sa, &sb, &l, err, sizeof err), -1);
  assert_string_equal(err, "no table 'agency' in the old policy (2 tables: by title, by number 1 to 2, or by category value)");
  df_list_free(&l);
  /* the category's own name is no table; a policy without tables has none */
  assert_int_equal(df_find_table(p, "kind"), -1);
  assert_int_equal(df_find_table(p, "np"), 1);
  prog *q = compile_prog(BASE);
  sa.table = sb.table = "1";
  assert_int_equal(df_compare(q, q, &sa, &sb, &l, err, sizeof err), -1);
  assert_string_equal(err, "the old policy has no tables: leave out the table option for it");
  df_list_free(&l);
  /* one table against a policy whose sections are all in tables */
  sa.table = "1", sb.table = NULL;
  assert_int_equal(df_compare(p, p, &sa, &sb, &l, err, sizeof err), -1);
  assert_string_equal(err, "the new policy has every section in a table: name one with --new-table (or --table for both)");
  df_list_free(&l);
  prog_free(q);
  prog_free(p);
}

static void test_table_when_changed(void **state) {
  (void)state;
  char *b = swap(TABLES, "table \"（二）非公\" when kind == np", "table \"（二）非公\" when kind != soe");
  expect_words(TABLES, b, "table chosen under another condition\ncount 1\n");
  free(b);
}

/* Two cities' standards that share item keys: items are paired by key,
 * whatever their numbers and words; a key is one item's in its table. */
static const char CITY_A[] =
    "policy a.city \"甲市\" { scale 5 }\n"
    "input { id text \"名称\" key  ok bool \"建会\"  on_time bool \"换届\" }\n"
    "section \"组织建设\" 5 {\n"
    "  item 1 \"依法建立工会组织\" 3 key \"建会\" { zero unless ok \"未建会，不得分\" }\n"
    "  item 2 \"按期换届\" 2 key \"换届\" { zero unless on_time \"未按期换届，不得分\" }\n"
    "}\n";
static const char CITY_B[] =
    "policy b.city \"乙市\" { scale 5 }\n"
    "input { id text \"名称\" key  ok bool \"建会\"  on_time bool \"换届\" }\n"
    "section \"基础工作\" 5 {\n"
    "  item 1 \"工会委员会每届任期届满即行改选\" 1 key \"换届\" { zero unless on_time \"未改选，不得分\" }\n"
    "  item 2 \"单位建会并报上级批准\" 4 key \"建会\" { zero unless ok \"未建会，不得分\" }\n"
    "}\n";

static void test_items_paired_by_key(void **state) {
  (void)state;
  char *got = diff_words(CITY_A, CITY_B, NULL, NULL);
  assert_string_equal(got, "id: a.city → b.city\n"
                           "title: wording changed\n"
                           "(implied) section \"基础工作\" added: 5 points, 2 items\n"
                           "item 1 (was item 2) moved from section \"组织建设\" to \"基础工作\"\n"
                           "item 1 (was item 2): 2 → 1 point\n"
                           "item 1 (was item 2): text changed\n"
                           "item 1 (was item 2): zero rule \"未改选，不得分\": wording changed\n"
                           "item 2 (was item 1) moved from section \"组织建设\" to \"基础工作\"\n"
                           "item 2 (was item 1): 3 → 4 points\n"
                           "item 2 (was item 1): text changed\n"
                           "(implied) section \"组织建设\" removed: 5 points, 2 items\n"
                           "count 9\n");
  free(got);
  /* a key is one item's */
  char *twice = swap(CITY_A, "key \"换届\"", "key \"建会\"");
  FILE *sink = fopen("/dev/null", "w");
  char *msgs = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&msgs, &n);
  compile_result cr = {0};
  compile_source("a.tally", twice, strlen(twice), m, 1, &cr);
  fclose(m);
  fclose(sink);
  assert_int_equal(cr.errors, 1);
  assert_non_null(strstr(msgs, "a.tally:5:19: error: item 2: key \"建会\" is another item's already\n"));
  assert_non_null(strstr(msgs, "hint: the other item with this key is on line 4\n"));
  compile_result_free(&cr);
  free(msgs);
  free(twice);
}

/* ---- wording -------------------------------------------------------------------- */

static char *spans_text(const char *a, const char *b) {
  df_span *sp;
  size_t n = df_spans(a, b, &sp);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  for (size_t k = 0; k < n; k++) fprintf(f, "%c%.*s|", sp[k].op, (int)sp[k].len, sp[k].s);
  fclose(f);
  free(sp);
  return text;
}

static void expect_spans(const char *a, const char *b, const char *want) {
  char *got = spans_text(a, b);
  assert_string_equal(got, want);
  free(got);
}

static void test_spans_by_character(void **state) {
  (void)state;
  expect_spans("单位拨缴工会经费不足扣2分", "单位拨缴工会经费不足扣3分", "=单位拨缴工会经费不足扣|-2|+3|=分|");
  expect_spans("依法组织职工（含劳务派遣工）加入工会。", "依法组织职工加入工会。", "=依法组织职工|-（含劳务派遣工）|=加入工会。|");
  expect_spans("", "新增", "+新增|");
  expect_spans("删除", "", "-删除|");
  expect_spans("相同", "相同", "=相同|");
  expect_spans("甲乙", "丙丁", "-甲乙|+丙丁|");
  /* one character in common between two changes joins them */
  expect_spans("开展职工活动", "举办会员活动", "-开展职工|+举办会员|=活动|");
  expect_spans("A的B", "C的D", "-A的B|+C的D|");
}

static void test_similarity(void **state) {
  (void)state;
  assert_int_equal(df_similarity("按期换届", "按期换届"), 1000);
  assert_int_equal(df_similarity("甲乙", "丙丁"), 0);
  assert_int_equal(df_similarity("甲乙丙丁", "甲乙"), 666); /* 2×2 / 6 */
  assert_int_equal(df_similarity("", ""), 1000);
}

/* ---- output -------------------------------------------------------------------- */

static char *print_to_text(const char *old_src, const char *new_src, df_format fmt) {
  prog *a = compile_prog(old_src), *b = compile_prog(new_src);
  df_list l = {0};
  char err[300];
  assert_int_equal(df_compare(a, b, NULL, NULL, &l, err, sizeof err), 0);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  df_side sa = {"old.tally", a, NULL}, sb = {"new.tally", b, NULL};
  df_print(f, fmt, 0, &sa, &sb, &l, NULL, NULL);
  fclose(f);
  df_list_free(&l);
  prog_free(a);
  prog_free(b);
  return text;
}

static void test_text_output(void **state) {
  (void)state;
  char *b = swap(BASE, "deduct 2 unless ok \"未建会扣2分\"", "deduct 3 unless ok \"未建会扣3分\"");
  char *got = print_to_text(BASE, b, DF_TEXT);
  assert_string_equal(got, "--- old.tally  t.diff \"比较\"\n"
                           "+++ new.tally  t.diff \"比较\"\n"
                           "\n"
                           "items\n"
                           "  section \"组织\"\n"
                           "    item 1: deduction \"未建会扣3分\": 2 → 3 points; wording changed\n"
                           "        - deduct 2 unless ok \"未建会扣2分\"\n"
                           "        + deduct 3 unless ok \"未建会扣3分\"\n"
                           "        ~ 未建会扣[-2-]{+3+}分\n"
                           "\n"
                           "1 change: 1 rule\n");
  free(got);
  got = print_to_text(BASE, b, DF_MARKDOWN);
  assert_non_null(strstr(got, "## Section 组织\n\n- item 1: deduction \"未建会扣3分\": 2 → 3 points; wording changed\n\n"
                              "  未建会扣<del>2</del><ins>3</ins>分\n\n  ```diff\n  - deduct 2 unless ok \"未建会扣2分\"\n"));
  free(got);
  got = print_to_text(BASE, b, DF_JSON);
  assert_non_null(strstr(got, "\"same\":false,\"count\":1,\"changes\":[{\"what\":\"rule\",\"change\":\"changed\","
                              "\"implied\":false,\"table\":null,\"section\":\"组织\",\"item\":\"1\""));
  assert_non_null(strstr(got, "\"spans\":[[\"=\",\"未建会扣\"],[\"-\",\"2\"],[\"+\",\"3\"],[\"=\",\"分\"]]"));
  free(got);
  free(b);
}

/* ---- impact --------------------------------------------------------------------- */

static char *write_temp(const char *text) {
  char *path = strdup("/tmp/tally-test-diff-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  return path;
}

/* Both standards over the records `csv`; the programs stay alive as long
 * as the report, whose names point into them. */
typedef struct {
  prog *a, *b;
  im_report r;
  int rc;
  char err[400];
} impact_run;

static void impact_of(impact_run *x, const char *old_src, const char *new_src, const char *csv) {
  x->a = compile_prog(old_src);
  x->b = compile_prog(new_src);
  char *data = write_temp(csv);
  FILE *f = fopen(data, "rb");
  x->rc = im_run(x->a, x->b, f, INT32_MIN, &x->r, x->err, sizeof x->err);
  fclose(f);
  unlink(data);
  free(data);
}

static void impact_done(impact_run *x) {
  im_free(&x->r);
  prog_free(x->a);
  prog_free(x->b);
}

/* Five rows; the new standard deducts 3 instead of 2 when a union has not
 * been set up (ok = no).  A: 10 → 10, 三星级 both.  B: 2 + 2 + 3 = 7
 * 二星级 → 1 + 2 + 3 = 6 一星级 (item 1 −1): the one union that moves.
 * C: 2 + 1 + 3 = 6 → 5, 一星级 both (the score moves, the level does
 * not).  D: vetoed in both.  E: "abc" is no percentage: an error row in
 * both.  The target (share of rate ≥ 80 over scored records) is 100%. */
static void test_impact(void **state) {
  (void)state;
  char *b = swap(BASE, "deduct 2 unless ok \"未建会扣2分\"", "deduct 3 unless ok \"未建会扣3分\"");
  impact_run x;
  impact_of(&x, BASE, b,
            "单位名称,达标,就绪,职工入会率,次数\n"
            "A,是,是,90,4\n"
            "B,否,是,90,3\n"
            "C,否,是,89,3\n"
            "D,否,否,90,4\n"
            "E,是,是,abc,4\n");
  assert_int_equal(x.rc, 0);
  const im_report r = x.r;
  assert_int_equal(r.rows, 5);
  assert_int_equal(r.both, 4);
  assert_int_equal(r.old_errors, 1);
  assert_int_equal(r.new_errors, 1);
  /* places: 三星级 二星级 一星级 (no level) (vetoed) (error) */
  assert_int_equal(r.nold, 6);
  assert_int_equal(r.nnew, 6);
  static const long want[6][6] = {{1, 0, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {0, 0, 1, 0, 0, 0},
                                  {0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 0}, {0, 0, 0, 0, 0, 1}};
  for (int o = 0; o < 6; o++)
    for (int n = 0; n < 6; n++) assert_int_equal(r.matrix[o * 6 + n], want[o][n]);
  assert_int_equal(r.nmovers, 1);
  assert_string_equal(r.movers[0].key, "B");
  assert_int_equal(r.movers[0].row, 3);
  assert_int_equal(r.movers[0].old_score, 7000);
  assert_int_equal(r.movers[0].new_score, 6000);
  assert_int_equal(r.movers[0].old_level, 1);
  assert_int_equal(r.movers[0].new_level, 2);
  assert_string_equal(r.movers[0].why, "item 1 −1");
  assert_int_equal(r.ntargets, 1);
  assert_true(r.targets[0].has_old && r.targets[0].has_new);
  assert_int_equal(r.targets[0].old_value, 100000);
  assert_int_equal(r.targets[0].new_value, 100000);
  /* scores of A–D, sorted: old A 10, B 7, C 6, D 1 + 2 + 4 = 7; new 10, 6, 5, 0 + 2 + 4 = 6 */
  assert_int_equal(r.nscores, 4);
  static const dec old_s[] = {6000, 7000, 7000, 10000}, new_s[] = {5000, 6000, 6000, 10000};
  for (int k = 0; k < 4; k++) {
    assert_int_equal(r.old_scores[k], old_s[k]);
    assert_int_equal(r.new_scores[k], new_s[k]);
  }
  impact_done(&x);
  free(b);
}

/* A threshold raised: the union that falls is told which level's
 * condition moved it; a target reworded and re-aimed is still one target. */
static void test_impact_threshold_and_target(void **state) {
  (void)state;
  char *b = swap(BASE, "\"二星级\" if score >= 7", "\"二星级\" if score >= 7.5");
  char *c = swap(b, "target \"入会率达标的比例\" share(rate >= 80) >= 90%", "target \"入会率达到85%的比例\" share(rate >= 85) >= 80%");
  impact_run x;
  impact_of(&x, BASE, c, "单位名称,达标,就绪,职工入会率,次数\nA,是,是,90,4\nB,否,是,90,3\nC,是,是,84,4\n");
  assert_int_equal(x.rc, 0);
  const im_report r = x.r;
  /* B: 2 + 2 + 3 = 7 */
  assert_int_equal(r.nmovers, 1);
  assert_string_equal(r.movers[0].key, "B");
  assert_string_equal(r.movers[0].why, "二星级 now needs score >= 7.5 (was score >= 7)");
  assert_int_equal(r.ntargets, 1);
  assert_true(r.targets[0].in_old && r.targets[0].in_new);
  assert_int_equal(r.targets[0].old_value, 100000); /* 3 of 3 at 80 or more */
  assert_int_equal(r.targets[0].new_value, 66667); /* 2 of 3 at 85 or more */
  impact_done(&x);
  free(b);
  free(c);
}

/* A check only reworded is the same check: a union it did not move is
 * not told about it; the one a changed check moved is. */
static void test_impact_reworded_check(void **state) {
  (void)state;
  char *b = swap(BASE, "check \"建会\" ok", "check \"依法建会\" ok");
  char *c = swap(b, "check \"入会率达标\" rate >= 80", "check \"入会率达标\" rate >= 95");
  impact_run x;
  impact_of(&x, BASE, c, "单位名称,达标,就绪,职工入会率,次数\nA,是,是,90,4\nB,是,是,99,4\n");
  assert_int_equal(x.rc, 0);
  assert_int_equal(x.r.nmovers, 1);
  assert_string_equal(x.r.movers[0].key, "A");
  assert_string_equal(x.r.movers[0].why, "check \"入会率达标\" now fails");
  impact_done(&x);
  free(b);
  free(c);
}

/* A column the new standard needs and the data lacks stops the run. */
static void test_impact_missing_column(void **state) {
  (void)state;
  char *b = swap(BASE, "  n     int     \"次数\" range 0..\n", "  n     int     \"次数\" range 0..\n  extra bool \"新增项\"\n");
  char *c = swap(b, "deduct 1 unless ready", "deduct 1 unless ready and extra");
  impact_run x;
  impact_of(&x, BASE, c, "单位名称,达标,就绪,职工入会率,次数\nA,是,是,90,4\n");
  assert_int_equal(x.rc, -1);
  assert_string_equal(x.err, "the new standard cannot read the header: no column for the required input 'extra' "
                             "(\"新增项\"): name a column \"新增项\" or \"extra\"");
  impact_done(&x);
  free(b);
  free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_policy_no_changes),
      cmocka_unit_test(test_reordered_and_reformatted_no_changes),
      cmocka_unit_test(test_rule_and_item_changes),
      cmocka_unit_test(test_section_max_implied_or_not),
      cmocka_unit_test(test_inserted_item_renumbers),
      cmocka_unit_test(test_item_moved_between_sections),
      cmocka_unit_test(test_language_lines_escape_strings),
      cmocka_unit_test(test_inputs),
      cmocka_unit_test(test_vetoes_and_rating),
      cmocka_unit_test(test_indices_and_population),
      cmocka_unit_test(test_table_against_table),
      cmocka_unit_test(test_table_when_changed),
      cmocka_unit_test(test_items_paired_by_key),
      cmocka_unit_test(test_spans_by_character),
      cmocka_unit_test(test_similarity),
      cmocka_unit_test(test_text_output),
      cmocka_unit_test(test_impact),
      cmocka_unit_test(test_impact_missing_column),
      cmocka_unit_test(test_impact_threshold_and_target),
      cmocka_unit_test(test_impact_reworded_check),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
