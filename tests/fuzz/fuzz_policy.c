/* fuzz_policy.c — the front end on arbitrary text: lexer, parser, checker,
 * code generator.  Whatever it compiles must pass the verifier: a policy
 * the compiler accepts and the loader refuses is a bug in one of them.
 * Then tally diff: a policy compared with itself has no change (whole, and
 * table by table), and comparing it with a fixed policy, printed in every
 * format, must not crash or leak.  And tally fmt: laying the text out
 * again changes nothing, and a policy that compiles compiles to the same
 * bytecode (but for the source hash) once laid out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "compiler/compile.h"
#include "compiler/diff.h"
#include "compiler/diffout.h"
#include "compiler/fmt.h"
#include <string.h>
#include "runtime/prog.h"

static const char other_src[] =
    "policy f.other \"对照\" { scale 10 }\n"
    "input { id text \"名称\" key  ok bool \"达标\"  n int \"次数\" }\n"
    "section \"S\" 10 { item 1 \"建立工会\" 6 { deduct 2 unless ok \"未建立扣2分\" }\n"
    "  item 2 \"活动\" 4 { award 1 per n max 4 \"每次1分\" } }\n"
    "veto \"否决\" if n > 99\n"
    "rating \"星级\" { \"A\" if score >= 8  \"B\" if score >= 6 else none }\n";

static void self_diff(const prog *p, const char *ta, const char *tb, FILE *devnull) {
  df_list l = {0};
  char err[300];
  df_scope sa = {ta}, sb = {tb};
  if (df_compare(p, p, &sa, &sb, &l, err, sizeof err) != 0) {
    fprintf(stderr, "self diff refused: %s\n", err);
    abort();
  }
  if (df_count(&l)) {
    fprintf(stderr, "a policy differs from itself: %s\n", l.v[0].words);
    abort();
  }
  df_side s = {"p", p, ta};
  df_print(devnull, DF_TEXT, 1, &s, &s, &l, NULL, NULL);
  df_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FILE *devnull = fopen("/dev/null", "w");
  if (!devnull) abort();
  compile_result cr;
  compile_source("fuzz.tally", (const char *)data, size, devnull, 1, &cr);
  if (cr.tbc) {
    prog_error err;
    prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
    if (!p) {
      fprintf(stderr, "compiled code refused at byte %llu: %s\n", (unsigned long long)err.offset, err.msg);
      abort();
    }
    self_diff(p, NULL, NULL, devnull);
    for (uint32_t t = 0; t < p->ntables && t < 3; t++) {
      char n[12];
      snprintf(n, sizeof n, "%u", t + 1);
      self_diff(p, n, n, devnull);
    }
    compile_result oc;
    compile_source("other.tally", other_src, sizeof other_src - 1, devnull, 1, &oc);
    prog *o = oc.tbc ? prog_load(oc.tbc, oc.tbc_len, &err) : NULL;
    if (!o) abort();
    for (int k = 0; k < 2; k++) {
      df_list l = {0};
      char e[300];
      if (df_compare(k ? p : o, k ? o : p, NULL, NULL, &l, e, sizeof e) != 0) abort();
      df_side a = {"a", k ? p : o, NULL}, b = {"b", k ? o : p, NULL};
      for (int f = 0; f < 3; f++) df_print(devnull, (df_format)f, 0, &a, &b, &l, NULL, NULL);
      df_list_free(&l);
    }
    prog_free(o);
    compile_result_free(&oc);
    prog_free(p);
  }
  char *laid = NULL, *again = NULL, err[200];
  size_t n1, n2;
  if (fmt_source((const char *)data, size, &laid, &n1, err, sizeof err) == 0) {
    if (fmt_source(laid, n1, &again, &n2, err, sizeof err) != 0 || n1 != n2 || memcmp(laid, again, n1)) {
      fprintf(stderr, "fmt is not idempotent\n");
      abort();
    }
    if (cr.tbc && memchr(data, 0, size) == NULL) { /* NUL bytes: fmt's output is a C string */
      compile_result fc;
      compile_source("fuzz.tally", laid, n1, devnull, 1, &fc);
      if (!fc.tbc || fc.tbc_len != cr.tbc_len || memcmp(fc.tbc, cr.tbc, 12) ||
          memcmp(fc.tbc + 24, cr.tbc + 24, cr.tbc_len - 24)) {
        fprintf(stderr, "fmt changed what the policy means\n");
        abort();
      }
      compile_result_free(&fc);
    }
    free(again);
    free(laid);
  }
  compile_result_free(&cr);
  fclose(devnull);
  return 0;
}
