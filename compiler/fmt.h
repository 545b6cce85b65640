/* fmt.h — a policy's layout made regular, its meaning untouched.
 *
 * Only blanks outside strings and comments change: indentation becomes two
 * spaces per open brace, a line that continues a statement keeps how far
 * its author indented it past the statement (a condition under its check,
 * a second string of a long text), trailing blanks go, tabs and ideographic
 * spaces (U+3000) in indentation become spaces, CRLF becomes LF, runs of
 * blank lines become one, and the file ends with one line feed.  Spacing
 * inside a line is the author's (reasons aligned in a column stay so), and
 * so are comments, strings and the order of everything.
 */
#ifndef TALLY_FMT_H
#define TALLY_FMT_H

#include <stddef.h>

/* Format text[0..len) into *out (malloc'd, NUL-terminated, *out_len
 * bytes).  Returns 0, or -1 with a message in err (a string that does not
 * end on its line, a stray "}": the layout cannot be worked out). */
int fmt_source(const char *text, size_t len, char **out, size_t *out_len, char *err, size_t errsz);

#endif
