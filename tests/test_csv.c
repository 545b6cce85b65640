/* test_csv.c — unit tests for the streaming CSV reader (runtime/csv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/csv.h"

/* ---- helpers ---- */

#define NCELLS(...) \
  (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* The next row must be a good row on line `line` holding exactly these cells. */
#define EXPECT_ROW(r, line, ...) \
  expect_row((r), (line), (const char *const[]){__VA_ARGS__}, \
             NCELLS(__VA_ARGS__))

/* The next row must be CSV_BAD with this message, cell and number of cells. */
#define EXPECT_BAD(r, line, cell, ncells, msg) \
  expect_bad((r), (line), (cell), (ncells), (msg))

static void expect_row(csv_reader *r, long line, const char *const *cells,
                       size_t n) {
  csv_row row;
  int rc = csv_next(r, &row);
  if (rc != CSV_ROW) print_error("row error: %s\n", row.error ? row.error : "-");
  assert_int_equal(rc, CSV_ROW);
  assert_int_equal(row.line, line);
  assert_int_equal(row.ncells, n);
  assert_null(row.error);
  assert_int_equal(row.error_cell, 0);
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(row.cells[i].text, cells[i]);
    assert_int_equal(row.cells[i].len, strlen(cells[i]));
  }
}

static csv_row expect_bad(csv_reader *r, long line, size_t cell,
                          size_t ncells, const char *msg) {
  csv_row row;
  assert_int_equal(csv_next(r, &row), CSV_BAD);
  assert_int_equal(row.line, line);
  assert_int_equal(row.error_cell, cell);
  assert_int_equal(row.ncells, ncells);
  assert_non_null(row.error);
  assert_string_equal(row.error, msg);
  return row;
}

static void expect_eof(csv_reader *r) {
  csv_row row;
  assert_int_equal(csv_next(r, &row), CSV_EOF);
  assert_int_equal(row.ncells, 0);
  assert_int_equal(csv_next(r, &row), CSV_EOF); /* and it stays there */
}

static csv_reader *mem(const char *s) {
  csv_reader *r = csv_open_mem(s, strlen(s));
  assert_non_null(r);
  return r;
}

/* A string of n copies of c, freshly allocated. */
static char *repeat(char c, size_t n) {
  char *s = malloc(n + 1);
  assert_non_null(s);
  memset(s, c, n);
  s[n] = '\0';
  return s;
}

/* A tmpfile holding data[0..n), rewound. */
static FILE *file_with(const char *data, size_t n) {
  FILE *f = tmpfile();
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  rewind(f);
  return f;
}

#define MSG_STRAY(n)                                                         \
  "cell " #n " has a stray quote: a quote may only open a cell (to put a "   \
  "quote inside a cell, quote the whole cell and write the quote as \"\")"
#define AFTER_RULE                                                           \
  "a closing quote must be followed by a comma or the end of the line"
#define MSG_NUL(n)                                                           \
  "cell " #n " contains a NUL byte; the file may be UTF-16 or binary "       \
  "(save it as UTF-8 CSV)"
#define MSG_UTF8(n, byte, off)                                               \
  "cell " #n " is not valid UTF-8 (byte " byte " at offset " #off "); if "   \
  "the file is GBK or GB18030, save it as UTF-8 or read it with --encoding gb18030"

/* ---- plain reading ---- */

static void test_simple_rows(void **state) {
  (void)state;
  csv_reader *r = mem("a,b,c\n1,2,3\n");
  EXPECT_ROW(r, 1, "a", "b", "c");
  EXPECT_ROW(r, 2, "1", "2", "3");
  expect_eof(r);
  csv_close(r);
}

static void test_single_cell_and_spaces_kept(void **state) {
  (void)state;
  csv_reader *r = mem("x\n a , b \n");
  EXPECT_ROW(r, 1, "x");
  EXPECT_ROW(r, 2, " a ", " b ");
  expect_eof(r);
  csv_close(r);
}

static void test_quoted_cells(void **state) {
  (void)state;
  csv_reader *r = mem("\"a\",\"b c\",d\n\"\"\n\"\",\"\"\n");
  EXPECT_ROW(r, 1, "a", "b c", "d");
  EXPECT_ROW(r, 2, ""); /* an empty quoted cell is a row, not a blank line */
  EXPECT_ROW(r, 3, "", "");
  expect_eof(r);
  csv_close(r);
}

static void test_escaped_quotes(void **state) {
  (void)state;
  csv_reader *r = mem("\"say \"\"hi\"\"\",\"\"\"\"\n\"\"\"a\"\"\"\n");
  EXPECT_ROW(r, 1, "say \"hi\"", "\"");
  EXPECT_ROW(r, 2, "\"a\"");
  expect_eof(r);
  csv_close(r);
}

static void test_comma_in_quotes(void **state) {
  (void)state;
  csv_reader *r = mem("\"1,000\",\",\",\",a,\"\n");
  EXPECT_ROW(r, 1, "1,000", ",", ",a,");
  expect_eof(r);
  csv_close(r);
}

static void test_lf_in_quotes(void **state) {
  (void)state;
  csv_reader *r = mem("\"a\nb\",c\nd\n\"\n\n\"\ne\n");
  EXPECT_ROW(r, 1, "a\nb", "c");
  EXPECT_ROW(r, 3, "d");
  EXPECT_ROW(r, 4, "\n\n");
  EXPECT_ROW(r, 7, "e");
  expect_eof(r);
  csv_close(r);
}

static void test_crlf_in_quotes(void **state) {
  (void)state;
  csv_reader *r = mem("\"a\r\nb\"\r\nc\r\n");
  EXPECT_ROW(r, 1, "a\r\nb");
  EXPECT_ROW(r, 3, "c");
  expect_eof(r);
  csv_close(r);
}

static void test_cr_in_quotes(void **state) {
  (void)state;
  /* A lone CR and then CR CR LF: three line breaks inside the quotes. */
  csv_reader *r = mem("\"a\rb\r\r\nc\"\nd\n");
  EXPECT_ROW(r, 1, "a\rb\r\r\nc");
  EXPECT_ROW(r, 5, "d");
  expect_eof(r);
  csv_close(r);
}

static void test_crlf_endings(void **state) {
  (void)state;
  csv_reader *r = mem("a,b\r\nc,d\r\n");
  EXPECT_ROW(r, 1, "a", "b");
  EXPECT_ROW(r, 2, "c", "d");
  expect_eof(r);
  csv_close(r);
}

static void test_cr_endings(void **state) {
  (void)state;
  csv_reader *r = mem("a,b\rc,d\r\"e\"\r");
  EXPECT_ROW(r, 1, "a", "b");
  EXPECT_ROW(r, 2, "c", "d");
  EXPECT_ROW(r, 3, "e");
  expect_eof(r);
  csv_close(r);
}

static void test_mixed_endings(void **state) {
  (void)state;
  csv_reader *r = mem("a\r\nb\rc\nd\n\re");
  EXPECT_ROW(r, 1, "a");
  EXPECT_ROW(r, 2, "b");
  EXPECT_ROW(r, 3, "c");
  EXPECT_ROW(r, 4, "d");
  EXPECT_ROW(r, 6, "e"); /* LF then CR is two breaks, not one */
  expect_eof(r);
  csv_close(r);
}

static void test_bom_stripped(void **state) {
  (void)state;
  csv_reader *r = mem("\xEF\xBB\xBFname,pay\n\"x\",1\n");
  EXPECT_ROW(r, 1, "name", "pay");
  EXPECT_ROW(r, 2, "x", "1");
  expect_eof(r);
  csv_close(r);
  r = mem("\xEF\xBB\xBF\"q\"\n"); /* a quote right after the mark */
  EXPECT_ROW(r, 1, "q");
  expect_eof(r);
  csv_close(r);
}

static void test_bom_only(void **state) {
  (void)state;
  csv_reader *r = mem("\xEF\xBB\xBF");
  expect_eof(r);
  csv_close(r);
  r = mem("\xEF\xBB\xBF\r\n\n");
  expect_eof(r);
  csv_close(r);
}

static void test_bom_later_is_data(void **state) {
  (void)state;
  /* Only a mark at the very start is dropped; later it is U+FEFF text. */
  csv_reader *r = mem("a\n\xEF\xBB\xBF" "b\n");
  EXPECT_ROW(r, 1, "a");
  EXPECT_ROW(r, 2, "\xEF\xBB\xBF" "b");
  expect_eof(r);
  csv_close(r);
}

static void test_empty_input(void **state) {
  (void)state;
  csv_reader *r = csv_open_mem("", 0);
  assert_non_null(r);
  expect_eof(r);
  csv_close(r);
  r = csv_open_mem(NULL, 0);
  assert_non_null(r);
  expect_eof(r);
  csv_close(r);
}

static void test_blank_lines_skipped(void **state) {
  (void)state;
  csv_reader *r = mem("\n\na,b\n\r\n\rc\n\n");
  EXPECT_ROW(r, 3, "a", "b");
  EXPECT_ROW(r, 6, "c");
  expect_eof(r);
  csv_close(r);
  r = mem("\n\r\n\r\r\n");
  expect_eof(r);
  csv_close(r);
}

static void test_last_row_without_newline(void **state) {
  (void)state;
  csv_reader *r = mem("a,b\nc,d");
  EXPECT_ROW(r, 1, "a", "b");
  EXPECT_ROW(r, 2, "c", "d");
  expect_eof(r);
  csv_close(r);
  r = mem("x\n\"q,\"\"r\"");
  EXPECT_ROW(r, 1, "x");
  EXPECT_ROW(r, 2, "q,\"r");
  expect_eof(r);
  csv_close(r);
}

static void test_empty_cells(void **state) {
  (void)state;
  csv_reader *r = mem("a,,b\na,\n,\n,a\n,,\na,");
  EXPECT_ROW(r, 1, "a", "", "b");
  EXPECT_ROW(r, 2, "a", "");
  EXPECT_ROW(r, 3, "", "");
  EXPECT_ROW(r, 4, "", "a");
  EXPECT_ROW(r, 5, "", "", "");
  EXPECT_ROW(r, 6, "a", ""); /* trailing comma at the end of the input */
  expect_eof(r);
  csv_close(r);
}

static void test_mem_respects_length(void **state) {
  (void)state;
  /* The reader must stop at len even though the string goes on. */
  const char *s = "a,b\ncd,e";
  csv_reader *r = csv_open_mem(s, 5);
  assert_non_null(r);
  EXPECT_ROW(r, 1, "a", "b");
  EXPECT_ROW(r, 2, "c");
  expect_eof(r);
  csv_close(r);
}

static void test_chinese_text(void **state) {
  (void)state;
  csv_reader *r = mem("姓名,岗位,月薪\n张三,\"车间，一组\",5000\n"
                      "\"李四\",\"质检\n夜班\",4800.50\n");
  EXPECT_ROW(r, 1, "姓名", "岗位", "月薪");
  EXPECT_ROW(r, 2, "张三", "车间，一组", "5000");
  EXPECT_ROW(r, 3, "李四", "质检\n夜班", "4800.50");
  expect_eof(r);
  csv_close(r);
}

static void test_utf8_edges_valid(void **state) {
  (void)state;
  csv_reader *r = mem("\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,"
                      "\xEE\x80\x80,\xEF\xBF\xBF,\xF0\x90\x80\x80,"
                      "\xF4\x8F\xBF\xBF,ok\xE2\x82\xAC" "12345678\n");
  EXPECT_ROW(r, 1, "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
             "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80",
             "\xF4\x8F\xBF\xBF", "ok\xE2\x82\xAC" "12345678");
  expect_eof(r);
  csv_close(r);
}

/* ---- errors, each followed by a good row ---- */

static void test_stray_quote(void **state) {
  (void)state;
  csv_reader *r = mem("x,ab\"c,d\n1,2\n");
  csv_row row = EXPECT_BAD(r, 1, 2, 1, MSG_STRAY(2));
  assert_string_equal(row.cells[0].text, "x"); /* the cell before it */
  EXPECT_ROW(r, 2, "1", "2");
  expect_eof(r);
  csv_close(r);
}

static void test_stray_quote_skips_to_line_break(void **state) {
  (void)state;
  /* The rest of the broken line, commas and quotes included, is dropped. */
  csv_reader *r = mem("a\"b,\"c,d\"\r\n\"ok\"\rz\"");
  EXPECT_BAD(r, 1, 1, 0, MSG_STRAY(1));
  EXPECT_ROW(r, 2, "ok");
  EXPECT_BAD(r, 3, 1, 0, MSG_STRAY(1));
  expect_eof(r);
  csv_close(r);
}

static void test_char_after_closing_quote(void **state) {
  (void)state;
  csv_reader *r = mem("a,\"ab\"c,d\n\"x\" ,y\n\"p\"\xE4\xB8\xAD\nok,1\n");
  EXPECT_BAD(r, 1, 2, 1,
             "cell 2 has 'c' after its closing quote on line 1; " AFTER_RULE);
  EXPECT_BAD(r, 2, 1, 0,
             "cell 1 has ' ' after its closing quote on line 2; " AFTER_RULE);
  EXPECT_BAD(r, 3, 1, 0,
             "cell 1 has byte 0xE4 after its closing quote on line 3; " AFTER_RULE);
  EXPECT_ROW(r, 4, "ok", "1");
  expect_eof(r);
  csv_close(r);
}

static void test_unterminated_quote(void **state) {
  (void)state;
  csv_reader *r = mem("a,b\nc,\"d,e\nf\ng\n");
  EXPECT_ROW(r, 1, "a", "b");
  csv_row row = EXPECT_BAD(r, 2, 2, 1,
                           "cell 2 opens a quote on line 2 that is never "
                           "closed, so the rest of the file (to line 4) was read as that cell");
  assert_string_equal(row.cells[0].text, "c");
  assert_int_equal(row.end_line, 4);
  expect_eof(r);
  csv_close(r);
}

static void test_unterminated_quote_after_escape(void **state) {
  (void)state;
  /* "" is an escaped quote, so this cell is still open at the end. */
  csv_reader *r = mem("\n\n\"abc\"\"");
  csv_row row = EXPECT_BAD(r, 3, 1, 0,
             "cell 1 opens a quote on line 3 that is never closed, so the "
             "rest of the file (to line 3) was read as that cell");
  assert_int_equal(row.blank_before, 2);
  assert_int_equal(row.end_line, 3);
  expect_eof(r);
  csv_close(r);
}

static void test_nul_byte(void **state) {
  (void)state;
  static const char data[] = "a,b\0c,d\nx,y\n";
  csv_reader *r = csv_open_mem(data, sizeof data - 1);
  assert_non_null(r);
  EXPECT_BAD(r, 1, 2, 1, MSG_NUL(2));
  EXPECT_ROW(r, 2, "x", "y");
  expect_eof(r);
  csv_close(r);
}

static void test_nul_in_quoted_cell_keeps_structure(void **state) {
  (void)state;
  /* The bad row still ends where its quoted line break says it does. */
  static const char data[] = "\"a\0\nb,\",c\nd\n";
  csv_reader *r = csv_open_mem(data, sizeof data - 1);
  assert_non_null(r);
  EXPECT_BAD(r, 1, 1, 0, MSG_NUL(1));
  EXPECT_ROW(r, 3, "d");
  expect_eof(r);
  csv_close(r);
}

static void test_invalid_utf8(void **state) {
  (void)state;
  csv_reader *r = mem("a,b,hello\xB9,z\nok\n");
  csv_row row = EXPECT_BAD(r, 1, 3, 2, MSG_UTF8(3, "0xB9", 5));
  assert_string_equal(row.cells[1].text, "b");
  EXPECT_ROW(r, 2, "ok");
  expect_eof(r);
  csv_close(r);
}

static void test_gbk_text(void **state) {
  (void)state;
  /* "中文" in GBK, in a quoted cell that spans a line. */
  csv_reader *r = mem("\"x\n\xD6\xD0\xCE\xC4\",1\n\xE4\xB8\xAD\xE6\x96\x87\n");
  EXPECT_BAD(r, 1, 1, 0, MSG_UTF8(1, "0xD6", 2));
  EXPECT_ROW(r, 3, "中文");
  expect_eof(r);
  csv_close(r);
}

static void test_utf8_strictness(void **state) {
  (void)state;
  csv_reader *r = mem("\xC0\xAF\n"                /* overlong '/' */
                      "ab\xE0\x80\xAF\n"          /* overlong, 3 bytes */
                      "\xF0\x80\x80\xAF\n"        /* overlong, 4 bytes */
                      "\xED\xA0\x80\n"            /* surrogate U+D800 */
                      "\xF4\x90\x80\x80\n"        /* above U+10FFFF */
                      "\xF5\x80\x80\x80\n"        /* never a lead byte */
                      "x,\"\xE4\xB8\"\n"          /* cut short at the end */
                      "\xE4\xB8" "a\n"            /* cut short inside */
                      "\xFF\n"
                      "fine\n");
  EXPECT_BAD(r, 1, 1, 0, MSG_UTF8(1, "0xC0", 0));
  EXPECT_BAD(r, 2, 1, 0, MSG_UTF8(1, "0xE0", 2));
  EXPECT_BAD(r, 3, 1, 0, MSG_UTF8(1, "0xF0", 0));
  EXPECT_BAD(r, 4, 1, 0, MSG_UTF8(1, "0xED", 0));
  EXPECT_BAD(r, 5, 1, 0, MSG_UTF8(1, "0xF4", 0));
  EXPECT_BAD(r, 6, 1, 0, MSG_UTF8(1, "0xF5", 0));
  EXPECT_BAD(r, 7, 2, 1, MSG_UTF8(2, "0xE4", 0));
  EXPECT_BAD(r, 8, 1, 0, MSG_UTF8(1, "0xE4", 0));
  EXPECT_BAD(r, 9, 1, 0, MSG_UTF8(1, "0xFF", 0));
  EXPECT_ROW(r, 10, "fine");
  expect_eof(r);
  csv_close(r);
}

static void test_first_error_wins(void **state) {
  (void)state;
  /* A content error, then a structural one: the first is reported and the
   * line is still skipped because of the second. */
  csv_reader *r = mem("\xFF,a\"b,\"c\nok\n");
  EXPECT_BAD(r, 1, 1, 0, MSG_UTF8(1, "0xFF", 0));
  EXPECT_ROW(r, 2, "ok");
  expect_eof(r);
  csv_close(r);
}

static void test_error_row_without_newline(void **state) {
  (void)state;
  csv_reader *r = mem("ok\nab\"c");
  EXPECT_ROW(r, 1, "ok");
  EXPECT_BAD(r, 2, 1, 0, MSG_STRAY(1));
  expect_eof(r);
  csv_close(r);
}

/* ---- limits ---- */

static void test_cell_at_limit(void **state) {
  (void)state;
  size_t n = CSV_MAX_CELL;
  char *big = repeat('x', n);
  size_t len = n + 8;
  char *data = malloc(len + 1);
  assert_non_null(data);
  snprintf(data, len + 1, "a,%s\nb\n", big); /* "a," + cell + "\nb\n" */
  csv_reader *r = csv_open_mem(data, strlen(data));
  assert_non_null(r);
  csv_row row;
  assert_int_equal(csv_next(r, &row), CSV_ROW);
  assert_int_equal(row.ncells, 2);
  assert_string_equal(row.cells[0].text, "a");
  assert_int_equal(row.cells[1].len, n);
  assert_memory_equal(row.cells[1].text, big, n + 1); /* NUL included */
  EXPECT_ROW(r, 2, "b");
  expect_eof(r);
  csv_close(r);
  free(data);
  free(big);
}

static void test_cell_over_limit(void **state) {
  (void)state;
  size_t n = CSV_MAX_CELL + 1;
  char *big = repeat('y', n);
  size_t len = 2 * n + 32;
  char *data = malloc(len);
  assert_non_null(data);
  /* One unquoted and one quoted cell over the limit, then a good row. */
  snprintf(data, len, "a,%s,c\n\"%s\"\nok\n", big, big);
  csv_reader *r = csv_open_mem(data, strlen(data));
  assert_non_null(r);
  csv_row row =
      EXPECT_BAD(r, 1, 2, 1, "cell 2 is longer than 1048576 bytes, the limit");
  assert_string_equal(row.cells[0].text, "a");
  EXPECT_BAD(r, 2, 1, 0, "cell 1 is longer than 1048576 bytes, the limit");
  EXPECT_ROW(r, 3, "ok");
  expect_eof(r);
  csv_close(r);
  free(data);
  free(big);
}

/* Seventeen cells of a mebibyte each pass the cell limit but not the row's. */
static void test_row_over_limit(void **state) {
  (void)state;
  size_t n = CSV_MAX_CELL, cells = CSV_MAX_ROW / CSV_MAX_CELL + 1;
  char *big = repeat('z', n);
  size_t len = cells * (n + 1) + 16, at = 0;
  char *data = malloc(len);
  assert_non_null(data);
  for (size_t i = 0; i < cells; i++) {
    memcpy(data + at, big, n);
    at += n;
    data[at++] = i + 1 < cells ? ',' : '\n';
  }
  memcpy(data + at, "ok\n", 4);
  at += 3;
  csv_reader *r = csv_open_mem(data, at);
  assert_non_null(r);
  EXPECT_BAD(r, 1, 0, 15, "row is longer than 16777216 bytes, the limit"); /* the 16th cell and its terminators pass it */
  EXPECT_ROW(r, 2, "ok");
  expect_eof(r);
  csv_close(r);
  free(data);
  free(big);
}

/* A row of n cells "0", "1", ... separated by commas, plus "\nok\n". */
static char *many_cells(size_t n) {
  size_t cap = n * 6 + 8, len = 0;
  char *s = malloc(cap);
  assert_non_null(s);
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(s + len, cap - len, i ? ",%zu" : "%zu", i);
  snprintf(s + len, cap - len, "\nok\n");
  return s;
}

static void test_cells_at_limit(void **state) {
  (void)state;
  char *data = many_cells(CSV_MAX_CELLS);
  csv_reader *r = mem(data);
  csv_row row;
  assert_int_equal(csv_next(r, &row), CSV_ROW);
  assert_int_equal(row.ncells, CSV_MAX_CELLS);
  assert_string_equal(row.cells[0].text, "0");
  assert_string_equal(row.cells[CSV_MAX_CELLS - 1].text, "4095");
  EXPECT_ROW(r, 2, "ok");
  expect_eof(r);
  csv_close(r);
  free(data);
}

static void test_cells_over_limit(void **state) {
  (void)state;
  char *data = many_cells(CSV_MAX_CELLS + 1);
  csv_reader *r = mem(data);
  csv_row row = EXPECT_BAD(r, 1, 0, CSV_MAX_CELLS,
                           "row has more than 4096 cells, the limit");
  assert_string_equal(row.cells[CSV_MAX_CELLS - 1].text, "4095");
  EXPECT_ROW(r, 2, "ok");
  expect_eof(r);
  csv_close(r);
  free(data);
}

static void test_pointers_survive_growth(void **state) {
  (void)state;
  /* Small cells first, then one big enough to move the cell buffer. */
  size_t n = 300000;
  char *big = repeat('z', n);
  char *data = malloc(n + 64);
  assert_non_null(data);
  snprintf(data, n + 64, "first,\"se,cond\",%s,last\nsmall\n", big);
  csv_reader *r = mem(data);
  csv_row row;
  assert_int_equal(csv_next(r, &row), CSV_ROW);
  assert_int_equal(row.ncells, 4);
  assert_string_equal(row.cells[0].text, "first");
  assert_string_equal(row.cells[1].text, "se,cond");
  assert_string_equal(row.cells[2].text, big);
  assert_string_equal(row.cells[3].text, "last");
  EXPECT_ROW(r, 2, "small");
  expect_eof(r);
  csv_close(r);
  free(data);
  free(big);
}

/* ---- file input ---- */

static void test_file_simple(void **state) {
  (void)state;
  static const char data[] = "\xEF\xBB\xBFid,name\r\n1,\"张三\"\r\n\r\n2,x";
  FILE *f = file_with(data, sizeof data - 1);
  csv_reader *r = csv_open_file(f);
  assert_non_null(r);
  EXPECT_ROW(r, 1, "id", "name");
  EXPECT_ROW(r, 2, "1", "张三");
  EXPECT_ROW(r, 4, "2", "x");
  expect_eof(r);
  csv_close(r);
  fclose(f);
}

static void test_file_empty_and_bom_only(void **state) {
  (void)state;
  FILE *f = file_with("", 0);
  csv_reader *r = csv_open_file(f);
  assert_non_null(r);
  expect_eof(r);
  csv_close(r);
  fclose(f);
  f = file_with("\xEF\xBB\xBF", 3);
  r = csv_open_file(f);
  assert_non_null(r);
  expect_eof(r);
  csv_close(r);
  fclose(f);
}

static void test_file_read_error(void **state) {
  (void)state;
  FILE *f = fopen("/dev/null", "w"); /* reading a write-only stream fails */
  assert_non_null(f);
  csv_reader *r = csv_open_file(f);
  assert_non_null(r);
  csv_row row;
  assert_int_equal(csv_next(r, &row), CSV_IOERR);
  assert_int_equal(csv_next(r, &row), CSV_IOERR);
  csv_close(r);
  fclose(f);
}

/* A tricky stretch placed at every offset around a 64 KiB boundary, so that
 * each of its CRLFs, "" escapes and closing quotes is split by a chunk edge
 * at least once.  The pad row's length moves the stretch. */
static void check_boundary(csv_reader *r, const char *pad) {
  EXPECT_ROW(r, 1, pad);
  EXPECT_ROW(r, 2, "a\"b", "c\r\nd", "");
  EXPECT_ROW(r, 5, "e", "f");
  EXPECT_ROW(r, 6, "\xE4\xB8\xAD");
  EXPECT_BAD(r, 7, 1, 0, MSG_STRAY(1));
  EXPECT_ROW(r, 8, "g\"", "h");
  expect_eof(r);
}

static void test_file_chunk_boundaries(void **state) {
  (void)state;
  static const char tail[] = "\"a\"\"b\",\"c\r\nd\",\"\"\r\n\r\ne,f\r"
                             "\xE4\xB8\xAD\r\nx\"y\r\n\"g\"\"\",h\r\n";
  const size_t chunk = 64 * 1024;
  for (size_t padlen = chunk - 48; padlen <= chunk; padlen++) {
    char *pad = repeat('p', padlen);
    size_t len = padlen + 2 + sizeof tail - 1;
    char *data = malloc(len + 1);
    assert_non_null(data);
    snprintf(data, len + 1, "%s\r\n%s", pad, tail);
    FILE *f = file_with(data, len);
    csv_reader *r = csv_open_file(f);
    assert_non_null(r);
    check_boundary(r, pad);
    csv_close(r);
    fclose(f);
    r = csv_open_mem(data, len);
    assert_non_null(r);
    check_boundary(r, pad);
    csv_close(r);
    free(data);
    free(pad);
  }
}

/* A generated file of more than 200 KiB: rows of varied cells and endings
 * written out, then read back through a FILE* and from memory. */
typedef struct {
  char **cells;
  size_t ncells;
  long line;
} gen_row;

typedef struct {
  char *text;
  size_t len, cap;
  long line;
  uint32_t seed;
} gen;

static uint32_t gen_rand(gen *g) {
  g->seed = g->seed * 1103515245u + 12345u;
  return g->seed >> 8;
}

static void gen_put(gen *g, const char *s, size_t n) {
  if (g->len + n + 1 > g->cap) {
    g->cap = (g->len + n + 1) * 2;
    g->text = realloc(g->text, g->cap);
    assert_non_null(g->text);
  }
  memcpy(g->text + g->len, s, n);
  g->len += n;
}

/* Count the line breaks in s the way the reader must (CRLF once). */
static long gen_breaks(const char *s) {
  long n = 0;
  for (size_t i = 0; s[i]; i++)
    if (s[i] == '\r' || (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))) n++;
  return n;
}

/* A cell made of up to five random parts, some of them tricky. */
static char *gen_cell(gen *g) {
  static const char *const parts[] = {
      "x", "42", "3.14", "a b", ",", "\"", "\n", "\r\n", "\r", "工资",
      "张三", "", "long-ish text with spaces"};
  size_t nparts = sizeof parts / sizeof parts[0];
  size_t k = gen_rand(g) % 6;
  char *s = calloc(1, 256); /* 5 parts of at most 25 bytes fit */
  assert_non_null(s);
  for (size_t i = 0; i < k; i++) strcat(s, parts[gen_rand(g) % nparts]);
  return s;
}

/* Write one cell, quoting it when it must be quoted, and at random. */
static void gen_write_cell(gen *g, const char *s, int must_quote) {
  int quote =
      must_quote || strpbrk(s, ",\"\r\n") != NULL || gen_rand(g) % 4 == 0;
  if (!quote) {
    gen_put(g, s, strlen(s));
    return;
  }
  gen_put(g, "\"", 1);
  for (; *s; s++) {
    gen_put(g, s, 1);
    if (*s == '"') gen_put(g, "\"", 1); /* "" escape */
  }
  gen_put(g, "\"", 1);
}

static void gen_write_row(gen *g, gen_row *row) {
  static const char *const ends[] = {"\n", "\r\n", "\r"};
  row->line = g->line;
  /* A lone empty unquoted cell would be a blank line, so it gets quotes. */
  int lone_empty = row->ncells == 1 && row->cells[0][0] == '\0';
  for (size_t i = 0; i < row->ncells; i++) {
    if (i) gen_put(g, ",", 1);
    gen_write_cell(g, row->cells[i], lone_empty);
    g->line += gen_breaks(row->cells[i]);
  }
  const char *end = ends[gen_rand(g) % 3];
  gen_put(g, end, strlen(end));
  g->line++;
  if (gen_rand(g) % 10 == 0) { /* now and then a blank line; not a bare LF,
                                   which would pair with a CR ending */
    gen_put(g, "\r\n", 2);
    g->line++;
  }
}

static void check_generated(csv_reader *r, const gen_row *rows, size_t n) {
  for (size_t i = 0; i < n; i++) {
    csv_row row;
    assert_int_equal(csv_next(r, &row), CSV_ROW);
    assert_int_equal(row.line, rows[i].line);
    assert_int_equal(row.ncells, rows[i].ncells);
    for (size_t k = 0; k < row.ncells; k++) {
      assert_string_equal(row.cells[k].text, rows[i].cells[k]);
      assert_int_equal(row.cells[k].len, strlen(rows[i].cells[k]));
    }
  }
  expect_eof(r);
}

static void test_file_large_generated(void **state) {
  (void)state;
  gen g = {.line = 1, .seed = 12345};
  size_t n = 0, cap = 1024;
  gen_row *rows = malloc(cap * sizeof *rows);
  assert_non_null(rows);
  while (g.len < 300 * 1024) {
    if (n == cap) {
      rows = realloc(rows, (cap *= 2) * sizeof *rows);
      assert_non_null(rows);
    }
    gen_row *row = &rows[n++];
    row->ncells = 1 + gen_rand(&g) % 8;
    row->cells = malloc(row->ncells * sizeof *row->cells);
    assert_non_null(row->cells);
    for (size_t k = 0; k < row->ncells; k++) row->cells[k] = gen_cell(&g);
    gen_write_row(&g, row);
  }
  FILE *f = file_with(g.text, g.len);
  csv_reader *r = csv_open_file(f);
  assert_non_null(r);
  check_generated(r, rows, n);
  csv_close(r);
  fclose(f);
  r = csv_open_mem(g.text, g.len);
  assert_non_null(r);
  check_generated(r, rows, n);
  csv_close(r);
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < rows[i].ncells; k++) free(rows[i].cells[k]);
    free(rows[i].cells);
  }
  free(rows);
  free(g.text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_simple_rows),
      cmocka_unit_test(test_single_cell_and_spaces_kept),
      cmocka_unit_test(test_quoted_cells),
      cmocka_unit_test(test_escaped_quotes),
      cmocka_unit_test(test_comma_in_quotes),
      cmocka_unit_test(test_lf_in_quotes),
      cmocka_unit_test(test_crlf_in_quotes),
      cmocka_unit_test(test_cr_in_quotes),
      cmocka_unit_test(test_crlf_endings),
      cmocka_unit_test(test_cr_endings),
      cmocka_unit_test(test_mixed_endings),
      cmocka_unit_test(test_bom_stripped),
      cmocka_unit_test(test_bom_only),
      cmocka_unit_test(test_bom_later_is_data),
      cmocka_unit_test(test_empty_input),
      cmocka_unit_test(test_blank_lines_skipped),
      cmocka_unit_test(test_last_row_without_newline),
      cmocka_unit_test(test_empty_cells),
      cmocka_unit_test(test_mem_respects_length),
      cmocka_unit_test(test_chinese_text),
      cmocka_unit_test(test_utf8_edges_valid),
      cmocka_unit_test(test_stray_quote),
      cmocka_unit_test(test_stray_quote_skips_to_line_break),
      cmocka_unit_test(test_char_after_closing_quote),
      cmocka_unit_test(test_unterminated_quote),
      cmocka_unit_test(test_unterminated_quote_after_escape),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_nul_in_quoted_cell_keeps_structure),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_gbk_text),
      cmocka_unit_test(test_utf8_strictness),
      cmocka_unit_test(test_first_error_wins),
      cmocka_unit_test(test_error_row_without_newline),
      cmocka_unit_test(test_cell_at_limit),
      cmocka_unit_test(test_cell_over_limit),
      cmocka_unit_test(test_row_over_limit),
      cmocka_unit_test(test_cells_at_limit),
      cmocka_unit_test(test_cells_over_limit),
      cmocka_unit_test(test_pointers_survive_growth),
      cmocka_unit_test(test_file_simple),
      cmocka_unit_test(test_file_empty_and_bom_only),
      cmocka_unit_test(test_file_read_error),
      cmocka_unit_test(test_file_chunk_boundaries),
      cmocka_unit_test(test_file_large_generated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
