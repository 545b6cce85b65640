/* text.c — UTF-8 validation and display width. */
#include "text.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* Offset of the first byte >= 0x80 in s[i..n), or n. */
static size_t txt_ascii_span(const unsigned char *s, size_t i, size_t n) {
  while (i + 8 <= n) {
    uint64_t w;
    memcpy(&w, s + i, 8); /* a word at a time: cells and names are mostly ASCII */
    if (w & UINT64_C(0x8080808080808080)) break;
    i += 8;
  }
  while (i < n && s[i] < 0x80) i++;
  return i;
}

/* Length of the valid multi-byte sequence at s (avail bytes there), or 0.
 * The second byte's range excludes overlongs (E0, F0), surrogates (ED) and
 * values above U+10FFFF (F4). */
static size_t txt_utf8_seq(const unsigned char *s, size_t avail) {
  unsigned b = s[0], lo = 0x80, hi = 0xBF;
  size_t n;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) n = 3;
  else if (b >= 0xF0 && b <= 0xF4) n = 4;
  else return 0;
  if (b == 0xE0) lo = 0xA0;
  else if (b == 0xED) hi = 0x9F;
  else if (b == 0xF0) lo = 0x90;
  else if (b == 0xF4) hi = 0x8F;
  if (avail < n || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < n; k++)
    if ((s[k] & 0xC0) != 0x80) return 0;
  return n;
}

int txt_utf8_valid(const char *s, size_t n, size_t *bad) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  for (;;) {
    i = txt_ascii_span(p, i, n);
    if (i == n) return 1;
    size_t k = txt_utf8_seq(p + i, n - i);
    if (k == 0) {
      *bad = i;
      return 0;
    }
    i += k;
  }
}

size_t txt_width(const char *s, size_t n) {
  size_t w = 0, i = 0;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) { w++; i++; continue; } /* invalid byte: one column */
    int cw = cp == '\t' ? 1 : utf8proc_charwidth(cp);
    w += cw > 0 ? (size_t)cw : 0;
    i += (size_t)k;
  }
  return w;
}

size_t txt_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

void txt_pad(FILE *f, const char *s, size_t width, int right) {
  size_t w = txt_width(s, strlen(s));
  if (right) for (size_t i = w; i < width; i++) fputc(' ', f);
  fputs(s, f);
  if (!right) for (size_t i = w; i < width; i++) fputc(' ', f);
}

void txt_fit(char *buf, size_t size, int wanted) {
  if (wanted < 0 || (size_t)wanted < size || size < 4) return;
  size_t len = size - 4; /* room for "…" and the NUL */
  while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80) len--;
  memcpy(buf + len, "…", 4);
}
