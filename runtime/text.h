/* text.h — UTF-8 checks and display width (for carets and aligned tables).
 *
 * Display width comes from libutf8proc, not from wcwidth(), so that it does
 * not depend on the locale: a Chinese character is two columns everywhere. */
#ifndef TALLY_TEXT_H
#define TALLY_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or values above
 * U+10FFFF); else 0 and *bad = offset of the first bad byte. */
int txt_utf8_valid(const char *s, size_t n, size_t *bad);

/* Columns that s[0..n) takes on a terminal; tabs count as one. */
size_t txt_width(const char *s, size_t n);

/* Number of code points in s[0..n). */
size_t txt_chars(const char *s, size_t n);

/* After snprintf(buf, size, …) returned `wanted`: if the text was cut, cut
 * it back to a whole character and end it with "…", so that a message is
 * never left holding half a Chinese character. */
void txt_fit(char *buf, size_t size, int wanted);

/* Write s, then spaces up to `width` columns (left-aligned), or spaces
 * first (right-aligned when right != 0). */
void txt_pad(FILE *f, const char *s, size_t width, int right);

#endif
