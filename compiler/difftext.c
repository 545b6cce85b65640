/* difftext.c — characters in common between two texts.
 *
 * The wording of a standard changes a phrase at a time, inside sentences
 * without spaces, so the comparison is by character (code point): the
 * longest common subsequence, then runs of one character that happen to
 * match between two changes are folded into the change (a stray "的" in
 * common makes a highlight harder to read, not easier).
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* Texts longer than this (in characters, after the common start and end
 * are set aside) are compared as one block: the table would be too big. */
#define DF_LCS_CELLS (1u << 22)

/* The byte offset of each code point of s, and one past the end. */
static size_t df_offsets(const char *s, size_t **off) {
  size_t n = strlen(s), k = 0;
  *off = malloc((n + 1) * sizeof **off);
  if (!*off) abort();
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) (*off)[k++] = i;
  (*off)[k] = n;
  return k;
}

static int df_same_char(const char *a, const size_t *ao, size_t i, const char *b, const size_t *bo, size_t j) {
  size_t la = ao[i + 1] - ao[i], lb = bo[j + 1] - bo[j];
  return la == lb && !memcmp(a + ao[i], b + bo[j], la);
}

/* match[i] = the character of b that a's i-th is paired with, or -1. */
static void df_lcs(const char *a, const size_t *ao, size_t n, const char *b, const size_t *bo, size_t m, long *match) {
  for (size_t i = 0; i < n; i++) match[i] = -1;
  size_t pre = 0, suf = 0;
  while (pre < n && pre < m && df_same_char(a, ao, pre, b, bo, pre)) {
    match[pre] = (long)pre;
    pre++;
  }
  while (suf < n - pre && suf < m - pre && df_same_char(a, ao, n - 1 - suf, b, bo, m - 1 - suf)) {
    match[n - 1 - suf] = (long)(m - 1 - suf);
    suf++;
  }
  size_t N = n - pre - suf, M = m - pre - suf;
  if (!N || !M || (N + 1) * (M + 1) > DF_LCS_CELLS) return;
  /* L[i][j]: the common length of a[pre+i..] and b[pre+j..] */
  uint32_t *L = calloc((N + 1) * (M + 1), sizeof *L);
  if (!L) abort();
  for (size_t i = N; i-- > 0;)
    for (size_t j = M; j-- > 0;) {
      uint32_t *c = &L[i * (M + 1) + j];
      if (df_same_char(a, ao, pre + i, b, bo, pre + j)) *c = L[(i + 1) * (M + 1) + j + 1] + 1;
      else {
        uint32_t down = L[(i + 1) * (M + 1) + j], right = L[i * (M + 1) + j + 1];
        *c = down >= right ? down : right;
      }
    }
  for (size_t i = 0, j = 0; i < N && j < M;) {
    if (df_same_char(a, ao, pre + i, b, bo, pre + j)) {
      match[pre + i] = (long)(pre + j);
      i++, j++;
    } else if (L[(i + 1) * (M + 1) + j] >= L[i * (M + 1) + j + 1]) i++;
    else j++;
  }
  free(L);
}

size_t df_spans(const char *a, const char *b, df_span **out) {
  size_t *ao, *bo;
  size_t n = df_offsets(a, &ao), m = df_offsets(b, &bo);
  long *match = malloc((n + 1) * sizeof *match);
  if (!match) abort();
  df_lcs(a, ao, n, b, bo, m, match);
  /* A matched run of one character between two changes joins them. */
  for (size_t i = 0; i < n; i++) {
    if (match[i] < 0) continue;
    int alone = (i == 0 || match[i - 1] != match[i] - 1) && (i + 1 >= n || match[i + 1] != match[i] + 1);
    int inside = i > 0 && i + 1 < n && match[i] > 0 && (size_t)match[i] + 1 < m;
    if (alone && inside) match[i] = -1;
  }
  df_span *v = malloc((2 * (n + m) + 1) * sizeof *v);
  if (!v) abort();
  size_t k = 0, i = 0, j = 0;
  while (i < n || j < m) {
    size_t i0 = i, j0 = j;
    while (i < n && match[i] < 0) i++;          /* a's characters until the next match */
    size_t jend = i < n ? (size_t)match[i] : m; /* b's up to its partner */
    j = jend;
    if (i > i0) v[k++] = (df_span){'-', a + ao[i0], ao[i] - ao[i0]};
    if (j > j0) v[k++] = (df_span){'+', b + bo[j0], bo[j] - bo[j0]};
    size_t e0 = i;
    while (i < n && match[i] >= 0 && (size_t)match[i] == j) i++, j++;
    if (i > e0) v[k++] = (df_span){'=', a + ao[e0], ao[i] - ao[e0]};
  }
  free(ao);
  free(bo);
  free(match);
  *out = v;
  return k;
}

int df_similarity(const char *a, const char *b) {
  if (!strcmp(a, b)) return 1000;
  size_t *ao, *bo;
  size_t n = df_offsets(a, &ao), m = df_offsets(b, &bo);
  long *match = malloc((n + 1) * sizeof *match);
  if (!match) abort();
  df_lcs(a, ao, n, b, bo, m, match);
  size_t common = 0;
  for (size_t i = 0; i < n; i++) common += match[i] >= 0;
  free(ao);
  free(bo);
  free(match);
  return n + m ? (int)(2000 * common / (n + m)) : 1000;
}
