/* fuzz_policy.c — the front end on arbitrary text: lexer, parser, checker,
 * code generator.  Whatever it compiles must pass the verifier: a policy
 * the compiler accepts and the loader refuses is a bug in one of them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "compiler/compile.h"
#include "runtime/prog.h"

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
    prog_free(p);
  }
  compile_result_free(&cr);
  fclose(devnull);
  return 0;
}
