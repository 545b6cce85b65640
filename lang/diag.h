/* diag.h — diagnostics in the form of a good compiler:
 *
 *   policies/x.tally:12:21: error: unknown name 'membershp'
 *      12 |     deduct 1 unless membershp "入会率不达标"
 *         |                     ^~~~~~~~~
 *   hint: did you mean 'membership_rate'?
 *
 * Columns count characters; the caret is placed by display width, so it
 * stands under the right character after Chinese text. */
#ifndef TALLY_DIAG_H
#define TALLY_DIAG_H

#include <stdio.h>

#include "ast.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
  FILE *out;
  const char *path, *text; /* the source, for the quoted line */
  size_t len;
  int nerrors, nwarnings;
  int color;               /* ANSI colours (only on a terminal) */
  const ast_list *files;   /* ast_file*: where locations with file > 0 are */
} diag;

void diag_init(diag *d, FILE *out, const char *path, const char *text, size_t len);

/* Report at `at`; hint may be NULL.  The message is printf-style. */
void diag_report(diag *d, diag_level lv, ast_loc at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
