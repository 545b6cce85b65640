/* fuzz_run.c — the whole `tally run` path on arbitrary CSV data: header
 * mapping, cell parsing, the VM and every writer.  Whatever the data,
 * rows in = scored + error rows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "runtime/run.h"

/* One input of each type, every rule form, a veto and a rating. */
static const char policy[] =
    "policy fuzz.run \"模糊测试\" { scale 10 }\n"
    "input {\n"
    "  id text \"单位名称\" key\n"
    "  held bool \"召开\"\n"
    "  rate percent \"入会率\"\n"
    "  n int \"次数\" default 0\n"
    "  x number \"数值\" default 0\n"
    "  day date \"日期\" default 2024-01-01\n"
    "  kind enum(soe \"国有企业\", private \"非公企业\") \"类别\" default soe\n"
    "}\n"
    "section \"全部\" 10 {\n"
    "  item 1 \"a\" 4 { zero unless held \"未召开\"  deduct 1 per started 1 of 90 - rate \"入会率\" }\n"
    "  item 2 \"b\" 3 { award 1 per n max 2 \"次数\"  deduct 1 if x / (n + 1) > 3 \"比值\" }\n"
    "  item 3 \"c\" 3 { deduct 1 if day > 2024-06-30 \"日期\"  deduct 1 if kind == private \"非公\" }\n"
    "}\n"
    "veto \"否决\" if not held and rate < 50\n"
    "rating \"等级\" { \"优\" if score >= 9  \"良\" if score >= 7  else \"差\" }\n";

static prog *program;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  compile_result cr;
  compile_source("fuzz.tally", policy, sizeof policy - 1, stderr, 1, &cr);
  prog_error err;
  program = cr.tbc ? prog_load(cr.tbc, cr.tbc_len, &err) : NULL;
  compile_result_free(&cr);
  if (!program) abort();
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
  out_counts n = {0};
  if (w && rd) {
    run_csv(program, rd, "fuzz.csv", w, &n, out);
    out_finish(w);
    if (n.rows != n.scored + n.errors) abort();
  }
  csv_close(rd);
  out_free(w);
  fclose(out);
  return 0;
}
