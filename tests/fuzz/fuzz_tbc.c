/* fuzz_tbc.c — the loader and verifier on arbitrary bytes, then the VM on
 * whatever they accept.
 *
 * The first byte picks a mode: even, the bytes as they are (the checksum
 * catches nearly everything); odd, the header's length and checksum are
 * repaired first, so that the verifier itself is exercised. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/prog.h"
#include "runtime/vm.h"

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int repair = data[0] & 1;
  size_t n = size - 1;
  uint8_t *b = malloc(n ? n : 1);
  if (!b) return 0;
  memcpy(b, data + 1, n);
  if (repair && n >= TBC_HEADER_SIZE) {
    put32(b + 8, (uint32_t)n);
    put32(b + 12, 0);
    put32(b + 12, tbc_crc32(0, b, n));
  }
  prog_error err;
  prog *p = prog_load(b, n, &err);
  if (p) {
    vm_ctx *vm = vm_new(p);
    int64_t *slots = calloc(p->ninputs + 1, sizeof *slots);
    if (vm && slots) {
      /* a record of zeros, then one of the largest values each type allows */
      vm_eval(vm, slots);
      for (uint32_t i = 0; i < p->ninputs; i++) {
        const prog_input *in = &p->inputs[i];
        slots[i] = in->type == TBC_T_BOOL ? 1 : in->type == TBC_T_ENUM ? in->nvals - 1
                 : in->type == TBC_T_DATE ? 2932896 : (in->flags & TBC_IN_MAX) ? in->max : DEC_LIMIT;
      }
      vm_eval(vm, slots);
    }
    free(slots);
    vm_free(vm);
    prog_free(p);
  }
  free(b);
  return 0;
}
