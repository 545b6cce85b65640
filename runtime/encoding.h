/* encoding.h — record files in GB18030 (GBK, GB2312), as many Chinese
 * offices' spreadsheets still save CSV.
 *
 * Tally reads UTF-8.  A file in GB18030 is recognised (so that the user is
 * told what to do rather than shown garbage), and with --encoding gb18030
 * it is converted through iconv, in chunks, to a temporary file: memory
 * stays constant whatever the size of the file. */
#ifndef TALLY_ENCODING_H
#define TALLY_ENCODING_H

#include <stddef.h>
#include <stdio.h>

/* 1 when buf is not valid UTF-8 but reads as GB18030 (a sequence cut at the
 * end of buf is allowed: buf may be the first block of a file). */
int enc_looks_gb18030(const char *buf, size_t n);

/* Convert the rest of `in` from the encoding `from` to UTF-8 into a
 * temporary file, rewound and ready to read.  NULL with a message in err
 * (the byte offset of the first byte that is not `from`). */
FILE *enc_to_utf8(FILE *in, const char *from, char *err, size_t errsz);

#endif
