/* fuzz_run.c — the whole `tally run` path on arbitrary CSV data: header
 * mapping, cell parsing, the VM and every writer.  Whatever the data,
 * rows in = scored + error rows.  Then `tally diff --data`: the policy
 * against itself moves no union and puts every record on the diagonal;
 * against a copy with another threshold, the report is printed in every
 * format. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/diffout.h"
#include "compiler/impact.h"
#include "runtime/run.h"

/* One input of each type, every rule form, tables by category, `when`,
 * `by`, checks and indices, date rules, capped and removing vetoes, a
 * cumulative rating, an enforced quota, targets and an audit. */
static const char policy[] =
    "policy fuzz.run \"模糊测试\" { scale 10 as of 2025-12-31 }\n"
    "input {\n"
    "  id text \"单位名称\" key\n"
    "  held bool \"召开\"\n"
    "  rate percent \"入会率\"\n"
    "  n int \"次数\" default 0\n"
    "  x number \"数值\" default 0\n"
    "  day date \"日期\" default 2024-01-01\n"
    "  accident date \"事故日期\" default none\n"
    "  kind enum(soe \"国有企业\", private \"非公企业\") \"类别\" default soe category\n"
    "}\n"
    "index basic \"基本指数\" {\n"
    "  check \"入会率\" rate >= by n { < 50: 90%, 50..100: 80%, > 100: 70% }\n"
    "  check \"召开\" held when kind in (soe)\n"
    "}\n"
    "table \"国有\" when kind == soe {\n"
    "  section \"全部\" 10 {\n"
    "    item 1 \"a\" 4 { zero unless held \"未召开\"  deduct 1 per started 1 of 90 - rate \"入会率\" }\n"
    "    item 2 \"b\" 3 { award 1 per n max 2 \"次数\"  deduct 1 if x / (n + 1) > 3 \"比值\" when n > 1 }\n"
    "    item 3 \"c\" 3 when rate > 10% { deduct 1 if day > 2024-06-30 \"日期\"  deduct 1 if years since day > 3 \"年\" }\n"
    "  }\n"
    "}\n"
    "table \"非公\" when kind == private {\n"
    "  section \"全部\" 10 {\n"
    "    item 1 \"a\" 10 { deduct 2 unless all(basic) \"基本\"  deduct 1 if day in this year \"今年\" }\n"
    "  }\n"
    "}\n"
    "veto \"否决\" if not held and rate < 50\n"
    "veto \"事故\" if accident within 3 years at most \"良\"\n"
    "rating \"等级\" cumulative { \"优\" if score >= 9 and share(basic) >= 50%  \"良\" if score >= 7  else \"差\" }\n"
    "quota \"优\" at most 20% enforce ties by n\n"
    "target \"优秀占比\" share(rating == \"优\" where kind == soe) >= 10%\n"
    "target \"次数\" sum(n where held) >= 100\n"
    "target \"比例\" ratio(count(held), sum(n)) >= 50%\n"
    "audit \"抽查\" sample 10% where rating >= \"良\" seed 7\n";

static prog *program, *other;

static prog *compile_text(const char *text, size_t len) {
  compile_result cr;
  compile_source("fuzz.tally", text, len, stderr, 1, &cr);
  prog_error err;
  prog *p = cr.tbc ? prog_load(cr.tbc, cr.tbc_len, &err) : NULL;
  compile_result_free(&cr);
  if (!p) abort();
  return p;
}

static void impact(const uint8_t *data, size_t size, long rows) {
  FILE *f = fmemopen((void *)data, size, "r");
  if (!f) return; /* fmemopen of 0 bytes */
  im_report r;
  char err[400];
  if (im_run(program, program, f, INT32_MIN, &r, err, sizeof err) == 0) {
    if (r.nmovers || r.rows != rows) abort();
    long diagonal = 0;
    for (uint32_t k = 0; k < r.nold; k++) diagonal += r.matrix[k * r.nnew + k];
    if (diagonal != r.rows) abort();
  }
  im_free(&r);
  if (fseek(f, 0, SEEK_SET) == 0 && im_run(program, other, f, INT32_MIN, &r, err, sizeof err) == 0) {
    FILE *out = fopen("/dev/null", "w");
    df_list l = {0};
    df_side a = {"a", program, NULL}, b = {"b", other, NULL};
    if (out && df_compare(program, other, NULL, NULL, &l, err, sizeof err) == 0)
      for (int k = 0; k < 3; k++) df_print(out, (df_format)k, k == 0, &a, &b, &l, &r, "fuzz.csv");
    df_list_free(&l);
    if (out) fclose(out);
  }
  im_free(&r);
  fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  program = compile_text(policy, sizeof policy - 1);
  /* the copy: 优 from 8 points instead of 9 */
  char *copy = strdup(policy);
  char *at = strstr(copy, "score >= 9");
  if (!copy || !at) abort();
  at[9] = '8';
  other = compile_text(copy, strlen(copy));
  free(copy);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  /* the first byte picks the writer */
  static const out_format formats[] = {OUT_CSV, OUT_JSONL, OUT_TABLE, OUT_CSV};
  FILE *out = fopen("/dev/null", "w");
  if (!out) abort();
  out_writer *w = out_new(out, program, formats[data[0] & 3], (data[0] >> 2) & 1);
  csv_reader *rd = csv_open_mem((const char *)data + 1, size - 1);
  out_counts n = {0}, first = {0};
  pop *pp = pop_new(program);
  if (w && rd && pp) {
    /* both passes, as tally run does for an enforced quota */
    run_opts o = {INT32_MIN, pp, 1};
    o.as_of = program->as_of;
    run_csv(program, rd, "fuzz.csv", NULL, &first, NULL, &o);
    if (pop_rank_finish(pp) != 0) abort();
    csv_close(rd);
    rd = csv_open_mem((const char *)data + 1, size - 1);
    o.ranking = 0;
    if (rd) {
      run_csv(program, rd, "fuzz.csv", w, &n, out, &o);
      out_finish(w);
      if (n.rows != n.scored + n.errors) abort();
      if (n.rows != first.rows || n.scored != first.scored) abort(); /* the passes agree */
      pop_summary(out, pp, n.errors);
      impact(data + 1, size - 1, n.rows);
    }
  }
  pop_free(pp);
  csv_close(rd);
  out_free(w);
  fclose(out);
  return 0;
}
