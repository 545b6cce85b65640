/* encoding.c — GB18030 recognised and converted; see encoding.h. */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "text.h"

/* Whether p[0..k) is the start of a UTF-8 sequence that the end of the
 * block cut short. */
static int cut_sequence(const unsigned char *p, size_t k) {
  size_t need = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
  if (need == 0 || need > 4 || k >= need) return 0;
  for (size_t i = 1; i < k; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  return 1;
}

int enc_looks_gb18030(const char *buf, size_t n) {
  size_t bad;
  if (txt_utf8_valid(buf, n, &bad)) return 0;
  if (cut_sequence((const unsigned char *)buf + bad, n - bad)) return 0;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == (iconv_t)-1) return 0;
  char out[4096];
  char *in = (char *)buf;
  size_t left = n;
  int ok = 1;
  while (left > 0) {
    char *o = out;
    size_t room = sizeof out;
    if (iconv(cd, &in, &left, &o, &room) == (size_t)-1) {
      if (errno == E2BIG) continue;
      ok = errno == EINVAL; /* cut at the end of the block: fine */
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

FILE *enc_to_utf8(FILE *in, const char *from, char *err, size_t errsz) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1) {
    snprintf(err, errsz, "unknown encoding '%s' (try gb18030)", from);
    return NULL;
  }
  FILE *out = tmpfile();
  if (!out) {
    snprintf(err, errsz, "cannot make a temporary file: %s", strerror(errno));
    iconv_close(cd);
    return NULL;
  }
  char ibuf[65536], obuf[4 * 65536];
  size_t have = 0;      /* bytes in ibuf not yet converted (a cut sequence) */
  long long done = 0;   /* bytes of the input converted so far */
  int ok = 1, eof = 0;
  while (ok && !eof) {
    size_t got = fread(ibuf + have, 1, sizeof ibuf - have, in);
    if (got == 0) eof = 1;
    have += got;
    char *ip = ibuf;
    size_t left = have;
    while (left > 0) {
      char *op = obuf;
      size_t room = sizeof obuf;
      size_t r = iconv(cd, &ip, &left, &op, &room);
      fwrite(obuf, 1, (size_t)(op - obuf), out);
      if (r != (size_t)-1 || errno == E2BIG) continue;
      if (errno == EINVAL && !eof) break; /* a sequence cut by the block: read on */
      snprintf(err, errsz, "byte %lld is not %s (0x%02X); if the file is UTF-8, leave out --encoding",
               done + (ip - ibuf), from, (unsigned char)*ip);
      ok = 0;
      break;
    }
    done += ip - ibuf;
    memmove(ibuf, ip, left);
    have = left;
  }
  if (ok && ferror(in)) {
    snprintf(err, errsz, "read error: %s", strerror(errno));
    ok = 0;
  }
  iconv_close(cd);
  if (!ok || fflush(out) != 0 || fseek(out, 0, SEEK_SET) != 0) {
    if (ok) snprintf(err, errsz, "cannot write the temporary file: %s", strerror(errno));
    fclose(out);
    return NULL;
  }
  return out;
}
