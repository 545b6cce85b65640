/* text.c — UTF-8 validation and display width. */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

int txt_utf8_valid(const char *s, size_t n, size_t *bad) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) { i++; continue; }
    size_t len;
    unsigned min, cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; cp = c & 0x07; }
    else { *bad = i; return 0; }
    if (i + len > n) { *bad = i; return 0; }
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) { *bad = i; return 0; }
      cp = cp << 6 | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *bad = i;
      return 0;
    }
    i += len;
  }
  return 1;
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
