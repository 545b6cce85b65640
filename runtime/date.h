/* date.h — calendar dates as days since 1970-01-01 (proleptic Gregorian). */
#ifndef TALLY_DATE_H
#define TALLY_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_MIN (-719162)  /* 0001-01-01 */
#define DATE_MAX 2932896    /* 9999-12-31 */
#define DATE_BUFSZ 16

/* Days since the epoch of a valid date, or 0 with *ok = 0 when the day does
 * not exist (2023-02-30) or the year is outside 1..9999. */
int64_t date_from_ymd(int y, int m, int d, int *ok);
void date_to_ymd(int64_t days, int *y, int *m, int *d);

/* Parse YYYY-MM-DD or YYYY/M/D from exactly n bytes.  0 on success, -1 when
 * the text is not a date, -2 when it looks like one but the day does not
 * exist. */
int date_parse(const char *s, size_t n, int64_t *out);

/* YYYY-MM-DD; buf needs DATE_BUFSZ bytes.  Returns buf. */
char *date_format(int64_t days, char *buf);

#endif
