/* record.c — header matching and cell parsing; see record.h. */
#include "record.h"
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "text.h"

void rec_column_letters(size_t col, char buf[8]) {
  char tmp[8];
  int n = 0;
  col++;
  while (col && n < 7) {
    tmp[n++] = (char)('A' + (col - 1) % 26);
    col = (col - 1) / 26;
  }
  for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = 0;
}

/* Trim blanks from both ends: ASCII space, tab and line breaks (a quoted
 * cell typed with a trailing Enter), the no-break space
 * U+00A0 (pasted from web pages), the ideographic space U+3000 and a stray
 * byte order mark U+FEFF (a file saved twice with one). */
static void rec_trim(const char **s, size_t *n) {
  const char *p = *s;
  size_t len = *n;
  for (;;) {
    if (len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) { p++; len--; }
    else if (len >= 2 && !memcmp(p, "\xc2\xa0", 2)) { p += 2; len -= 2; }
    else if (len >= 3 && (!memcmp(p, "\xe3\x80\x80", 3) || !memcmp(p, "\xef\xbb\xbf", 3))) { p += 3; len -= 3; }
    else break;
  }
  for (;;) {
    if (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n')) len--;
    else if (len >= 2 && !memcmp(p + len - 2, "\xc2\xa0", 2)) len -= 2;
    else if (len >= 3 && (!memcmp(p + len - 3, "\xe3\x80\x80", 3) || !memcmp(p + len - 3, "\xef\xbb\xbf", 3))) len -= 3;
    else break;
  }
  *s = p;
  *n = len;
}

int rec_column_used(const rec_map *m, size_t c) {
  for (uint32_t i = 0; i < m->p->ninputs; i++)
    if (m->col_of_input[i] == (int32_t)c) return 1;
  return 0;
}

int rec_row_blank(const csv_row *row) {
  for (size_t c = 0; c < row->ncells; c++) {
    const char *s = row->cells[c].text;
    size_t n = row->cells[c].len;
    rec_trim(&s, &n);
    if (n) return 0;
  }
  return 1;
}

char *rec_quote(const char *s, char *buf, size_t n) {
  size_t k = 0;
  if (n < 8) { if (n) buf[0] = 0; return buf; }
  buf[k++] = '"';
  while (*s && k + 12 < n) {
    unsigned char c = (unsigned char)*s;
    /* control characters, and invisible ones that make two names look alike */
    if (c < 0x20 || c == 0x7F) {
      k += (size_t)snprintf(buf + k, n - k, "\\x%02X", c);
      s++;
    } else if (!strncmp(s, "\xe2\x80\x8b", 3) || !strncmp(s, "\xe2\x80\x8c", 3) || !strncmp(s, "\xe2\x80\x8d", 3) ||
               !strncmp(s, "\xef\xbb\xbf", 3)) {
      k += (size_t)snprintf(buf + k, n - k, "\\u%s", s[2] == '\xbf' ? "FEFF" : s[2] == '\x8b' ? "200B" : s[2] == '\x8c' ? "200C" : "200D");
      s += 3;
    } else {
      buf[k++] = *s++;
    }
  }
  if (*s) k += (size_t)snprintf(buf + k, n - k, "…");
  buf[k++] = '"';
  buf[k] = 0;
  return buf;
}

int rec_map_init(rec_map *m, const prog *p, const csv_row *h, char *err, size_t errsz) {
  memset(m, 0, sizeof *m);
  m->p = p;
  m->ncols = h->ncells;
  m->col_of_input = malloc((p->ninputs ? p->ninputs : 1) * sizeof *m->col_of_input);
  m->col_name = calloc(h->ncells ? h->ncells : 1, sizeof *m->col_name);
  size_t total = 1;
  for (size_t c = 0; c < h->ncells; c++) total += h->cells[c].len + 1;
  m->names = malloc(total);
  if (!m->col_of_input || !m->col_name || !m->names) {
    snprintf(err, errsz, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < p->ninputs; i++) m->col_of_input[i] = -1;
  size_t used = 0;
  for (size_t c = 0; c < h->ncells; c++) {
    const char *s = h->cells[c].text;
    size_t n = h->cells[c].len;
    rec_trim(&s, &n);
    memcpy(m->names + used, s, n);
    m->names[used + n] = 0;
    m->col_name[c] = m->names + used;
    used += n + 1;
    int found = 0;
    for (uint32_t i = 0; i < p->ninputs && !found; i++) {
      const prog_input *in = &p->inputs[i];
      if ((strlen(in->name) == n && !memcmp(in->name, s, n)) ||
          (strlen(in->label) == n && !memcmp(in->label, s, n))) {
        found = 1;
        if (m->col_of_input[i] >= 0) {
          char a[8], b[8];
          rec_column_letters((size_t)m->col_of_input[i], a);
          rec_column_letters(c, b);
          snprintf(err, errsz, "columns %s and %s are both input '%s' (\"%s\"); keep one", a, b, in->name, in->label);
          return -1;
        }
        m->col_of_input[i] = (int32_t)c;
      }
    }
    if (!found) m->nignored++;
  }
  if (used == h->ncells) { /* every cell blank */
    snprintf(err, errsz, "the header row is empty: it must name the columns (by input name or label)");
    return -1;
  }
  for (uint32_t i = 0; i < p->ninputs; i++) {
    const prog_input *in = &p->inputs[i];
    if (m->col_of_input[i] < 0 && !(in->flags & TBC_IN_DEFAULT) && !(in->flags & TBC_IN_KEY)) {
      size_t len = (size_t)snprintf(err, errsz, "no column for the required input '%s' (\"%s\"): name a column \"%s\" or \"%s\"",
                                    in->name, in->label, in->label, in->name);
      /* the likely culprits: a one-column header that is really another
       * separator, or the columns that matched nothing */
      const char *one = m->ncols == 1 ? m->col_name[0] : NULL;
      if (one && (strchr(one, ';') || strchr(one, '\t') || strstr(one, "，")))
        snprintf(err + len, errsz - len, "; the header is a single column: Tally reads comma-separated files, "
                 "and this one looks separated by %s", strchr(one, ';') ? "semicolons" : strchr(one, '\t') ? "tabs" : "full-width commas (，)");
      else if (m->nignored) {
        /* the first few, which is where a misspelt header usually is */
        len += (size_t)snprintf(err + len, errsz - len, "; columns that match no input:");
        unsigned shown = 0;
        for (size_t c = 0; c < m->ncols && len < errsz; c++)
          if (!rec_column_used(m, c) && shown++ < 6) {
            char q[96], letters[8];
            rec_column_letters(c, letters);
            int w = snprintf(err + len, errsz - len, " %s %s", letters, rec_quote(m->col_name[c], q, sizeof q));
            txt_fit(err + len, errsz - len, w);
            len += (size_t)w;
          }
        if (shown > 6 && len < errsz) snprintf(err + len, errsz - len, " and %u more", shown - 6);
      }
      return -1;
    }
  }
  return 0;
}

void rec_map_free(rec_map *m) {
  free(m->col_of_input);
  free(m->col_name);
  free(m->names);
  free(m->keybuf);
  memset(m, 0, sizeof *m);
}

/* ---- values ----------------------------------------------------------------- */

/* Yes/no as forms write them.  ASCII words ignore case. */
static int rec_bool(const char *s, size_t n, int64_t *v) {
  static const char *const yes[] = {"是", "有", "√", "✓", "✔", "y", "yes", "true", "t", "1", "对"};
  static const char *const no[] = {"否", "无", "×", "✗", "✘", "n", "no", "false", "f", "0", "x", "错"};
  char low[8];
  if (n == 3 && !memcmp(s, "是", 3)) { *v = 1; return 0; } /* the usual two, first */
  if (n == 3 && !memcmp(s, "否", 3)) { *v = 0; return 0; }
  if (n == 0 || n >= sizeof low) return -1;
  for (size_t i = 0; i < n; i++) low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
  low[n] = 0;
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    if (!strcmp(low, yes[i])) { *v = 1; return 0; }
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    if (!strcmp(low, no[i])) { *v = 0; return 0; }
  return -1;
}

static void rec_range_words(const prog_input *in, char *buf, size_t n) {
  char a[DEC_BUFSZ], b[DEC_BUFSZ];
  int has_min = in->flags & TBC_IN_MIN, has_max = in->flags & TBC_IN_MAX;
  if (in->type == TBC_T_DATE) {
    char da[DATE_BUFSZ], db[DATE_BUFSZ];
    if (has_min && has_max) snprintf(buf, n, " from %s to %s", date_format(in->min, da), date_format(in->max, db));
    else if (has_min) snprintf(buf, n, " on or after %s", date_format(in->min, da));
    else if (has_max) snprintf(buf, n, " on or before %s", date_format(in->max, db));
    else buf[0] = 0;
    return;
  }
  if (has_min && has_max) snprintf(buf, n, " from %s to %s", dec_format(in->min, a), dec_format(in->max, b));
  else if (has_min) snprintf(buf, n, " of %s or more", dec_format(in->min, a));
  else if (has_max) snprintf(buf, n, " of %s or less", dec_format(in->max, b));
  else buf[0] = 0;
}

/* What a cell of this input should hold, for error messages. */
static void rec_expected(const prog_input *in, char *buf, size_t n) {
  char range[80];
  rec_range_words(in, range, sizeof range);
  switch (in->type) {
  case TBC_T_BOOL: snprintf(buf, n, "yes or no (是/否, Y/N, √/×, 1/0)"); break;
  case TBC_T_INT: snprintf(buf, n, "a whole number%s", range); break;
  case TBC_T_NUMBER: snprintf(buf, n, "a number%s", range); break;
  case TBC_T_PERCENT: snprintf(buf, n, "a percentage%s, like 85%% or 85", range); break;
  case TBC_T_DATE: snprintf(buf, n, "a date%s, like 2024-06-30", range); break;
  case TBC_T_ENUM: {
    size_t len = (size_t)snprintf(buf, n, "one of");
    for (uint32_t k = 0; k < in->nvals && len < n; k++) {
      int w;
      if (strcmp(in->val_name[k], in->val_label[k]))
        w = snprintf(buf + len, n - len, "%s %s (%s)", k ? "," : "", in->val_label[k], in->val_name[k]);
      else
        w = snprintf(buf + len, n - len, "%s %s", k ? "," : "", in->val_label[k]);
      txt_fit(buf + len, n - len, w);
      len += (size_t)w;
    }
    break;
  }
  default: snprintf(buf, n, "text"); break;
  }
}

/* Parse one cell; returns 0, or -1 with *why set to a short reason. */
static int rec_value(const prog_input *in, const char *s, size_t n, int64_t *v, const char **why) {
  *why = NULL;
  switch (in->type) {
  case TBC_T_BOOL: return rec_bool(s, n, v);
  case TBC_T_INT:
  case TBC_T_NUMBER:
  case TBC_T_PERCENT: {
    if (in->type == TBC_T_PERCENT) {
      if (n >= 1 && s[n - 1] == '%') n--;
      else if (n >= 3 && !memcmp(s + n - 3, "\xef\xbc\x85", 3)) n -= 3; /* ％ */
      while (n && s[n - 1] == ' ') n--;
    }
    int e = dec_parse(s, n, v);
    if (e == DEC_EDIGITS) { *why = "has more than 3 decimal places"; return -1; }
    if (e == DEC_EOVERFLOW) { *why = "is too large (at most 1000000000000000)"; return -1; }
    if (e != DEC_OK) return -1;
    if (in->type == TBC_T_INT && !dec_is_whole(*v)) { *why = "is not a whole number"; return -1; }
    break;
  }
  case TBC_T_DATE: {
    int r = date_parse(s, n, v);
    if (r == -2) { *why = "is not a day of the calendar"; return -1; }
    if (r) return -1;
    break;
  }
  case TBC_T_ENUM:
    for (uint32_t k = 0; k < in->nvals; k++)
      if ((strlen(in->val_name[k]) == n && !memcmp(in->val_name[k], s, n)) ||
          (strlen(in->val_label[k]) == n && !memcmp(in->val_label[k], s, n))) {
        *v = k;
        return 0;
      }
    return -1;
  default:
    return -1;
  }
  if (((in->flags & TBC_IN_MIN) && *v < in->min) || ((in->flags & TBC_IN_MAX) && *v > in->max)) {
    *why = "is out of range";
    return -1;
  }
  return 0;
}

const char *rec_key(rec_map *m, const csv_row *row) {
  const prog *p = m->p;
  if (p->key == TBC_NONE || m->col_of_input[p->key] < 0 || (size_t)m->col_of_input[p->key] >= row->ncells)
    return NULL;
  const char *s = row->cells[m->col_of_input[p->key]].text;
  size_t n = row->cells[m->col_of_input[p->key]].len;
  rec_trim(&s, &n);
  if (n + 1 > m->keycap) {
    char *b = realloc(m->keybuf, n + 1);
    if (!b) return NULL;
    m->keybuf = b;
    m->keycap = n + 1;
  }
  memcpy(m->keybuf, s, n);
  m->keybuf[n] = 0;
  return m->keybuf;
}


void rec_missing(const rec_map *m, uint32_t input, char *err, size_t errsz) {
  const prog_input *in = &m->p->inputs[input];
  int32_t c = m->col_of_input[input];
  char col[8];
  rec_column_letters((size_t)c, col);
  snprintf(err, errsz, "column \"%s\" (%s): blank, but '%s' is required (%s)", m->col_name[c], col, in->name,
           in->label);
}

int rec_parse(rec_map *m, const csv_row *row, int64_t *slots, const char **key, char *err,
              size_t errsz) {
  const prog *p = m->p;
  *key = rec_key(m, row);
  if (row->ncells != m->ncols) {
    snprintf(err, errsz, "%zu cell%s, but the header has %zu columns", row->ncells, row->ncells == 1 ? "" : "s",
             m->ncols);
    return -1;
  }
  for (uint32_t i = 0; i < p->ninputs; i++) {
    const prog_input *in = &p->inputs[i];
    int32_t c = m->col_of_input[i];
    const char *s = "";
    size_t n = 0;
    if (c >= 0 && (size_t)c < row->ncells) {
      s = row->cells[c].text;
      n = row->cells[c].len;
      rec_trim(&s, &n);
    }
    if (in->type == TBC_T_TEXT) { /* the key, taken above */
      slots[i] = 0;
      continue;
    }
    if (n == 0) {
      /* A blank without a default is an error only if the record needs it:
       * the VM stops on reading it (rec_missing says so), while a rule or a
       * check that does not apply to this record never reads it. */
      slots[i] = (in->flags & TBC_IN_DEFAULT) ? in->def : VM_MISSING;
      continue;
    }
    const char *why;
    if (rec_value(in, s, n, &slots[i], &why) != 0) {
      char col[8], expected[400];
      rec_column_letters((size_t)c, col);
      rec_expected(in, expected, sizeof expected);
      size_t shown = n;
      if (shown > 60) { /* cut long values at a character boundary */
        shown = 60;
        while (shown && ((unsigned char)s[shown] & 0xC0) == 0x80) shown--;
      }
      int w = snprintf(err, errsz, "column \"%s\" (%s): \"%.*s%s\" %s; expected %s", m->col_name[c], col,
                       (int)shown, s, shown < n ? "…" : "", why ? why : "is not valid", expected);
      txt_fit(err, errsz, w);
      return -1;
    }
  }
  return 0;
}
