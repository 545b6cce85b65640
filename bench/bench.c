/* bench.c — throughput of the VM alone, and a record file for the end-to-end
 * figure (timed by `make bench` around `tally run`).
 *
 * usage: bench POLICY RECORDS OUT.csv   (OUT.csv "-": the VM figure only)
 *
 * Records are generated from a fixed seed, so every run measures the same
 * work.  Benchmarks print figures; they assert nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compiler/compile.h"
#include "runtime/prog.h"
#include "runtime/vm.h"

static uint64_t rng(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717u;
}

static int64_t gen(uint64_t *s, const prog_input *in) {
  switch (in->type) {
  case TBC_T_BOOL: return rng(s) % 10 != 0;
  case TBC_T_INT: return DEC_INT((int64_t)(rng(s) % 5));
  case TBC_T_PERCENT: return 70000 + (int64_t)(rng(s) % 30001);
  case TBC_T_NUMBER: return (int64_t)(rng(s) % 100000);
  case TBC_T_DATE: return 18000 + (int64_t)(rng(s) % 3000);
  case TBC_T_ENUM: return (int64_t)(rng(s) % in->nvals);
  default: return 0;
  }
}

/* A policy of n items (two inputs and two rules each), for the compile
 * figure of the architecture's budget. */
static char *big_policy(int n, size_t *len) {
  char *text = NULL;
  FILE *f = open_memstream(&text, len);
  fprintf(f, "policy bench.big \"%d items\" { scale %d }\ninput {\n  id text \"单位名称\" key\n", n, n * 5);
  for (int i = 0; i < n; i++) fprintf(f, "  b%d bool \"条件%d\"\n  r%d percent \"比例%d\"\n", i, i, i, i);
  fputs("}\n", f);
  for (int s = 0; s < n / 10; s++) {
    fprintf(f, "section \"第%d部分\" 50 {\n", s);
    for (int k = 0; k < 10; k++) {
      int i = s * 10 + k;
      fprintf(f, "  item %d \"要求%d\" 5 {\n    deduct 2 unless b%d \"未达标%d\"\n"
                 "    deduct 1 per started 1 of 90 - r%d \"每少一个百分点%d\"\n  }\n", i + 1, i, i, i, i, i);
    }
    fputs("}\n", f);
  }
  fprintf(f, "rating \"星级\" { \"五星级\" if score >= %d else none }\n", n * 4);
  fclose(f);
  return text;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fputs("usage: bench POLICY RECORDS OUT.csv\n", stderr);
    return 2;
  }
  long n = atol(argv[2]);
  size_t len;
  char *text = compile_read_file(argv[1], &len);
  if (!text) { perror(argv[1]); return 1; }
  compile_result cr;
  double t0 = now();
  compile_source(argv[1], text, len, stderr, 1, &cr);
  double t_compile = now() - t0;
  if (cr.errors) return 1;
  prog_error err;
  prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
  if (!p) { fprintf(stderr, "%s\n", err.msg); return 1; }

  size_t big_len;
  char *big = big_policy(1000, &big_len);
  compile_result bc;
  t0 = now();
  compile_source("big.tally", big, big_len, stderr, 1, &bc);
  double t_big = now() - t0;
  if (bc.errors) return 1;
  compile_result_free(&bc);
  free(big);

  /* VM alone: a block of distinct records, scored over and over. */
  enum { BLOCK = 4096 };
  int64_t *slots = malloc((size_t)BLOCK * p->ninputs * sizeof *slots);
  uint64_t seed = 0x9e3779b97f4a7c15u;
  for (long r = 0; r < BLOCK; r++)
    for (uint32_t i = 0; i < p->ninputs; i++) slots[r * p->ninputs + i] = gen(&seed, &p->inputs[i]);
  vm_ctx *vm = vm_new(p);
  vm_set_as_of(vm, p->as_of != INT32_MIN ? p->as_of : 20453); /* the policy's, or 2025-12-31 */
  dec checksum = 0;
  t0 = now();
  for (long r = 0; r < n; r++) checksum += vm_eval(vm, slots + (r % BLOCK) * p->ninputs)->total;
  double t_vm = now() - t0;
  int vm_only = !strcmp(argv[3], "-");
  printf("policy       %s (%u items, %u rules, %u checks, %u instructions)\n", p->id, p->nitems, p->nrules, p->nchecks,
         p->ncode);
  if (!vm_only)
    printf("compile      %.3f ms (this policy), %.3f ms (a generated policy of 1,000 items)\n", t_compile * 1e3,
           t_big * 1e3);
  printf("VM only      %.0f records/s on one core (%ld records in %.3f s; checksum %lld)\n", (double)n / t_vm, n,
         t_vm, (long long)checksum);
  /* The same kind of records as a CSV file, headed by the labels. */
  FILE *f = vm_only ? NULL : fopen(argv[3], "w");
  if (!vm_only && !f) { perror(argv[3]); return 1; }
  for (uint32_t i = 0; f && i < p->ninputs; i++) fprintf(f, "%s%s", i ? "," : "", p->inputs[i].label);
  if (f) fputc('\n', f);
  char buf[DEC_BUFSZ];
  for (long r = 0; f && r < n; r++) {
    for (uint32_t i = 0; i < p->ninputs; i++) {
      const prog_input *in = &p->inputs[i];
      int64_t v = gen(&seed, in);
      if (i) fputc(',', f);
      switch (in->type) {
      case TBC_T_BOOL: fputs(v ? "是" : "否", f); break;
      case TBC_T_PERCENT: fprintf(f, "%s%%", dec_format(v, buf)); break;
      case TBC_T_TEXT: fprintf(f, "乳山市第%ld工会", r + 1); break;
      default: fputs(dec_format(v, buf), f); break;
      }
    }
    fputc('\n', f);
  }
  if (f) fclose(f);
  vm_free(vm);
  free(slots);
  prog_free(p);
  compile_result_free(&cr);
  free(text);
  return 0;
}
