/* disasm.h — print a verified program in readable form (tally disasm). */
#ifndef TALLY_DISASM_H
#define TALLY_DISASM_H

#include <stdio.h>

#include "prog.h"

void disasm_print(FILE *f, const prog *p, size_t file_len);

#endif
