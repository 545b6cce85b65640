/* dec.h — exact decimals for points, amounts and percentages.
 *
 * A decimal is a 64-bit integer counting thousandths: 87.5 is 87500.  Three
 * fraction digits is what the standards need (half and quarter points,
 * percentages to one decimal) with room to spare; every operation is exact
 * except mul and div, which round to the nearest thousandth, halves away from
 * zero.  Every operation checks for overflow: no binary floating point and no
 * silent wrap-around anywhere in scoring.
 */
#ifndef TALLY_DEC_H
#define TALLY_DEC_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t dec;

#define DEC_SCALE  1000
#define DEC_DIGITS 3
/* Largest magnitude a value may have: 10^15 (so that any two can be added
 * and the result still checked). */
#define DEC_LIMIT  ((dec)1000000000000000000)

#define DEC_INT(n) ((dec)(n) * DEC_SCALE)

enum { DEC_OK = 0, DEC_EOVERFLOW, DEC_EDIVZERO, DEC_ESYNTAX, DEC_EDIGITS };


/* Addition and subtraction are inline: the VM does them for every rule. */
static inline int dec_check_(dec v, dec *r) {
  if (v > DEC_LIMIT || v < -DEC_LIMIT) return DEC_EOVERFLOW;
  *r = v;
  return DEC_OK;
}
/* Operands within ±DEC_LIMIT (10^18) cannot overflow int64 when added. */
static inline int dec_add(dec a, dec b, dec *r) { return dec_check_(a + b, r); }
static inline int dec_sub(dec a, dec b, dec *r) { return dec_check_(a - b, r); }
static inline int dec_neg(dec a, dec *r) { return dec_check_(-a, r); }
int dec_mul(dec a, dec b, dec *r);
int dec_div(dec a, dec b, dec *r);

/* To a whole number, toward minus and plus infinity. */
dec dec_floor(dec a);
dec dec_ceil(dec a);
int dec_is_whole(dec a);

/* Parse [+-]digits[.digits] from exactly n bytes (no spaces, no exponent;
 * "5." and ".5" are accepted, as spreadsheets write them).
 * DEC_EDIGITS when more than DEC_DIGITS significant fraction digits. */
int dec_parse(const char *s, size_t n, dec *out);

/* Shortest form: 90, 87.5, -0.25.  buf needs DEC_BUFSZ bytes.  Returns buf. */
#define DEC_BUFSZ 32
char *dec_format(dec a, char *buf);

const char *dec_strerror(int err);

#endif
