/* dec.c — exact decimal arithmetic; see dec.h. */
#include "dec.h"

#include <stdio.h>
#include <string.h>


/* Rounded quotient of n / d, halves away from zero.  Both within 2^126. */
__extension__ typedef __int128 dec_wide;

static dec_wide dec_round_div(dec_wide n, dec_wide d) {
  dec_wide q = n / d, rem = n % d;
  if (rem < 0) rem = -rem;
  dec_wide ad = d < 0 ? -d : d;
  if (2 * rem >= ad) q += ((n < 0) != (d < 0)) ? -1 : 1;
  return q;
}

static int dec_check_wide(dec_wide v, dec *r) {
  if (v > DEC_LIMIT || v < -DEC_LIMIT) return DEC_EOVERFLOW;
  *r = (dec)v;
  return DEC_OK;
}

int dec_mul(dec a, dec b, dec *r) {
  return dec_check_wide(dec_round_div((dec_wide)a * b, DEC_SCALE), r);
}

int dec_div(dec a, dec b, dec *r) {
  if (b == 0) return DEC_EDIVZERO;
  return dec_check_wide(dec_round_div((dec_wide)a * DEC_SCALE, b), r);
}

dec dec_floor(dec a) {
  dec f = a / DEC_SCALE * DEC_SCALE;
  return (f > a) ? f - DEC_SCALE : f;
}

dec dec_ceil(dec a) {
  dec f = a / DEC_SCALE * DEC_SCALE;
  return (f < a) ? f + DEC_SCALE : f;
}

int dec_is_whole(dec a) { return a % DEC_SCALE == 0; }

int dec_parse(const char *s, size_t n, dec *out) {
  size_t i = 0;
  int neg = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = (s[i++] == '-');
  dec whole = 0, frac = 0;
  size_t nwhole = 0, nfrac = 0;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nwhole++) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > DEC_LIMIT / DEC_SCALE) return DEC_EOVERFLOW;
  }
  if (i < n && s[i] == '.') {
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      if (nfrac < DEC_DIGITS) {
        frac = frac * 10 + (s[i] - '0');
        nfrac++;
      } else if (s[i] != '0') {
        return DEC_EDIGITS;
      }
    }
    if (nfrac == 0 && nwhole == 0) return DEC_ESYNTAX;
  }
  if (i != n || (nwhole == 0 && nfrac == 0)) return DEC_ESYNTAX;
  for (; nfrac < DEC_DIGITS; nfrac++) frac *= 10;
  dec v = whole * DEC_SCALE + frac;
  if (v > DEC_LIMIT) return DEC_EOVERFLOW;
  *out = neg ? -v : v;
  return DEC_OK;
}

/* Written by hand rather than with snprintf: the writers call it for every
 * item of every record. */
char *dec_format(dec a, char *buf) {
  /* |a| <= DEC_LIMIT, so negation cannot overflow. */
  uint64_t m = (uint64_t)(a < 0 ? -a : a);
  uint64_t whole = m / DEC_SCALE, frac = m % DEC_SCALE;
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + whole % 10);
    whole /= 10;
  } while (whole);
  char *p = buf;
  if (a < 0) *p++ = '-';
  while (n) *p++ = tmp[--n];
  if (frac) {
    *p++ = '.';
    for (uint64_t div = DEC_SCALE / 10; frac; div /= 10) {
      *p++ = (char)('0' + frac / div);
      frac %= div;
    }
  }
  *p = 0;
  return buf;
}

const char *dec_strerror(int err) {
  switch (err) {
  case DEC_OK: return "no error";
  case DEC_EOVERFLOW: return "number too large";
  case DEC_EDIVZERO: return "division by zero";
  case DEC_ESYNTAX: return "not a number";
  case DEC_EDIGITS: return "more than 3 decimal places";
  }
  return "unknown decimal error";
}
