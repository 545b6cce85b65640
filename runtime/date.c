/* date.c — day numbers from civil dates and back.
 *
 * Works in eras of 400 years (146097 days), in which the Gregorian calendar
 * repeats exactly; years start on 1 March so that the leap day is last. */
#include "date.h"

#include <stdio.h>

static int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return (m == 2 && leap) ? 29 : dm[m - 1];
}

int64_t date_from_ymd(int y, int m, int d, int *ok) {
  *ok = y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
        d <= days_in_month(y, m);
  if (!*ok) return 0;
  int64_t yy = m <= 2 ? y - 1 : y;
  int64_t era = floor_div(yy, 400);
  int64_t yoe = yy - era * 400;
  int64_t mp = (m + 9) % 12; /* March is 0 */
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void date_to_ymd(int64_t days, int *y, int *m, int *d) {
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Reads 1..max digits; returns how many, 0 if none. */
static size_t digits(const char *s, size_t n, size_t max, int *v) {
  size_t i = 0;
  *v = 0;
  while (i < n && i < max && s[i] >= '0' && s[i] <= '9') *v = *v * 10 + (s[i++] - '0');
  return i;
}

int date_parse(const char *s, size_t n, int64_t *out) {
  int y, m, d;
  size_t i = digits(s, n, 4, &y);
  if (i != 4 || i >= n || (s[i] != '-' && s[i] != '/')) return -1;
  char sep = s[i++];
  size_t k = digits(s + i, n - i, 2, &m);
  if (k == 0 || i + k >= n || s[i + k] != sep) return -1;
  i += k + 1;
  k = digits(s + i, n - i, 2, &d);
  if (k == 0 || i + k != n) return -1;
  int ok;
  *out = date_from_ymd(y, m, d, &ok);
  return ok ? 0 : -2;
}

char *date_format(int64_t days, char *buf) {
  int y, m, d;
  date_to_ymd(days, &y, &m, &d);
  snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
  return buf;
}
