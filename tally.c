/* tally.c — the command line: check, build, run, disasm.
 *
 * Exit status: 0 all well; 1 the policy has errors, a file cannot be used,
 * or some records are error rows; 2 the command was used wrongly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "compiler/diff.h"
#include "compiler/diffout.h"
#include "compiler/examples.h"
#include "compiler/fmt.h"
#include "compiler/impact.h"
#include "runtime/csv.h"
#include "runtime/disasm.h"
#include "runtime/encoding.h"
#include "runtime/prog.h"
#include "runtime/run.h"
#include "runtime/date.h"
#include "runtime/pop.h"
#include "runtime/write.h"

#define TALLY_VERSION "0.1.0"

static const char *const usage_main =
    "usage: tally COMMAND [ARGS]\n"
    "\n"
    "Tally compiles a union rating standard written in the Tally language to\n"
    "verified bytecode and scores union records with it.\n"
    "\n"
    "commands:\n"
    "  check POLICY                    check a policy; report errors and warnings\n"
    "  build POLICY -o OUT.tbc         compile a policy to bytecode\n"
    "  run POLICY|TBC DATA.csv         score the records of a CSV file\n"
    "  test POLICY                     run the policy's examples, report coverage\n"
    "  disasm TBC|POLICY               print bytecode in readable form\n"
    "  diff OLD NEW [--data DATA.csv]  what changed between two policies, and\n"
    "                                  which unions it moves\n"
    "  fmt POLICY... [-w|--check]      lay a policy out regularly (meaning unchanged)\n"
    "\n"
    "  tally COMMAND --help            help for one command\n"
    "  tally --version                 the version\n";

static const char *const usage_check =
    "usage: tally check POLICY\n"
    "\n"
    "Parse and check POLICY (a .tally file).  Diagnostics go to standard error\n"
    "as file:line:col: error|warning: message, with the line and a caret.\n"
    "Exit status 0 when there are no errors (warnings allowed), 1 otherwise.\n";

static const char *const usage_build =
    "usage: tally build POLICY -o OUT.tbc\n"
    "\n"
    "Compile POLICY to bytecode.  The same source always gives the same bytes.\n"
    "Exit status 0 on success, 1 when the policy has errors.\n";

static const char *const usage_run =
    "usage: tally run POLICY|TBC DATA.csv [-o OUT] [--format csv|jsonl|table] [--explain]\n"
    "                 [--encoding utf-8|gb18030] [--as-of YYYY-MM-DD] [--summary]\n"
    "\n"
    "Score every record of DATA.csv.  POLICY may be a .tally source (compiled\n"
    "first) or a .tbc file (verified before anything runs).  Header cells name\n"
    "inputs by name or by label.  A record that cannot be read or scored\n"
    "becomes an error row naming the row, the column, the value and what was\n"
    "expected; no record is dropped.\n"
    "\n"
    "  -o OUT           write results to OUT instead of standard output\n"
    "  --format F       csv (default), jsonl, or table (aligned, for reading)\n"
    "  --explain        a points ledger per union: every item before and after\n"
    "                   its clamp, what each deduction took and each award\n"
    "                   gave, the vetoes, the distance to the next level\n"
    "                   (with --format jsonl: the same as data)\n"
    "  --encoding E     the encoding of DATA.csv: utf-8 (default) or gb18030\n"
    "                   (also gbk, gb2312); a GB18030 file read as UTF-8 is\n"
    "                   recognised and refused with this hint\n"
    "  --as-of DATE     the date that date rules count from (within 3 years,\n"
    "                   years since, this year); default: the policy's `as of`\n"
    "  --summary        after every record is scored: the levels overall and\n"
    "                   by category, the quotas, each target with its value and\n"
    "                   goal, the audit samples.  Printed to standard output\n"
    "                   instead of the records (give -o to keep them too);\n"
    "                   with --format jsonl, as one JSON object\n"
    "\n"
    "A policy with an enforced quota reads DATA.csv twice: once to rank the\n"
    "records, once to score them with the quota applied.\n"
    "\n"
    "A summary goes to standard error.  Exit status 0 when every record was\n"
    "scored, 1 when there were error rows or the input could not be used.\n";

static const char *const usage_test =
    "usage: tally test POLICY [--as-of YYYY-MM-DD] [--strict]\n"
    "\n"
    "Run the example blocks of POLICY: each example's record is scored by the\n"
    "compiled policy and every expectation compared.  A failure prints what\n"
    "was expected, what came out, and the record's ledger.  Then the coverage\n"
    "of the passing examples: rules that never moved points, checks never seen\n"
    "failing, vetoes never fired, levels never reached, score thresholds never\n"
    "met exactly or half a point under, categories never used.\n"
    "\n"
    "  --as-of DATE     the date for date rules (default: the policy's)\n"
    "  --strict         a coverage gap fails the run too\n"
    "\n"
    "Exit status 0 when every example passed (and, with --strict, nothing is\n"
    "uncovered), 1 otherwise.\n";

static const char *const usage_diff =
    "usage: tally diff OLD NEW [--format text|markdown|json] [--data DATA.csv]\n"
    "                  [--table T | --old-table T | --new-table T] [--as-of DATE]\n"
    "                  [--encoding utf-8|gb18030] [--color auto|always|never] [-o OUT]\n"
    "\n"
    "Compare two policies (.tally or .tbc) by meaning, not by text: items are\n"
    "matched by number and wording, rules by their reason, levels, inputs and\n"
    "indices by name.  Spacing, comments and order make no difference.  Each\n"
    "change is said in words, with the old and new rule in the language and\n"
    "changed wording marked character by character.\n"
    "\n"
    "  --format F       text (default), markdown (for a circular), json\n"
    "  --data DATA.csv  score the records with both policies: the level matrix\n"
    "                   (old × new), the unions that change level and what\n"
    "                   moved them, each target old → new, the score\n"
    "                   distribution before and after (- reads standard input)\n"
    "  --table T        compare only table T of each policy (its title, its\n"
    "                   category value, or its number, 1 for the first)\n"
    "  --old-table T, --new-table T\n"
    "                   one table of OLD against another of NEW: two\n"
    "                   categories of one standard (OLD and NEW may be the\n"
    "                   same file), or two cities' tables; with only one of\n"
    "                   them, the table against the other policy's own\n"
    "                   sections (a standard without tables)\n"
    "  --as-of DATE     the date that date rules count from, for --data\n"
    "                   (default: each policy's own `as of`)\n"
    "  --encoding E     the encoding of DATA.csv: utf-8 (default) or gb18030\n"
    "  --color W        colour the text output: auto (on a terminal, unless\n"
    "                   NO_COLOR is set), always, never\n"
    "  -o OUT           write to OUT instead of standard output\n"
    "\n"
    "Exit status, as diff(1): 0 the policies mean the same, 1 they differ,\n"
    "2 trouble (a policy with errors, a file that cannot be read).\n";

static const char *const usage_fmt =
    "usage: tally fmt POLICY            print POLICY laid out regularly\n"
    "       tally fmt -w POLICY...      rewrite the files whose layout changes\n"
    "       tally fmt --check POLICY... list the files whose layout would change\n"
    "\n"
    "Only blanks change: two spaces of indentation per open brace (a line that\n"
    "continues a statement keeps how far past it its author indented it), no\n"
    "trailing blanks, one blank line at most, CRLF to LF.  Comments, strings,\n"
    "the spacing inside a line and the order of everything stay as written.\n"
    "Each file is compiled before and after: the bytecode must be the same\n"
    "(tally diff finds no change), or nothing is written.\n"
    "\n"
    "Exit status: 0 done (with --check: every file is laid out already), 1 with\n"
    "--check when some file is not, 2 trouble.\n";

static const char *const usage_disasm =
    "usage: tally disasm TBC|POLICY\n"
    "\n"
    "Verify TBC and print its tables and code (a .tally policy is compiled\n"
    "first).\n";

/* ---- helpers ------------------------------------------------------------- */

/* "cannot read P: …", naming the limit when the file was too large. */
static void read_error(const char *path) {
  if (errno == EFBIG)
    fprintf(stderr, "tally: cannot read %s: larger than %u bytes, the limit\n", path, COMPILE_MAX_FILE);
  else
    fprintf(stderr, "tally: cannot read %s: %s\n", path, strerror(errno));
}

static int want_help(int argc, char **argv) {
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
  return 0;
}

static int usage_error(const char *usage, const char *fmt, const char *arg) {
  fputs("tally: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n\n", stderr);
  fputs(usage, stderr);
  return 2;
}

/* Bytecode by its name or by its magic: a .tbc whose magic was damaged must
 * be refused as bytecode, not read as a policy. */
static int is_tbc(const char *path, const char *data, size_t len) {
  size_t n = strlen(path);
  return (n >= 4 && !strcmp(path + n - 4, ".tbc")) || (len >= 4 && !memcmp(data, TBC_MAGIC, 4));
}

/* Load POLICY, compiling it if it is source.  On success the caller owns
 * *out (prog_free) and *len_out is the bytecode size. */
/* Compile for running: errors are shown in full; warnings (a policy may
 * acknowledge its document's own arithmetic) are `tally check`'s business,
 * said here in one line.  0, or 1 when there were errors. */
static int compile_quietly(const char *path, const char *text, size_t len, compile_result *cr) {
  char *diags = NULL;
  size_t dlen = 0;
  FILE *df = open_memstream(&diags, &dlen);
  compile_source(path, text, len, df ? df : stderr, 1, cr);
  if (df) fclose(df);
  if (cr->errors) {
    if (diags) fputs(diags, stderr);
    fprintf(stderr, "%s: %d error%s\n", path, cr->errors, cr->errors == 1 ? "" : "s");
  } else if (cr->warnings) {
    fprintf(stderr, "%s: %d warning%s (tally check %s shows %s)\n", path, cr->warnings, cr->warnings == 1 ? "" : "s",
            path, cr->warnings == 1 ? "it" : "them");
  }
  free(diags);
  return cr->errors ? 1 : 0;
}

/* --as-of DATE or --as-of=DATE at argv[*i]: 1 if it is one (and *i moves
 * past its value); *bad is then the text when it is not a date, else NULL. */
static int as_of_option(int argc, char **argv, int *i, int64_t *as_of, const char **bad) {
  const char *a = argv[*i];
  if (strcmp(a, "--as-of") && strncmp(a, "--as-of=", 8)) return 0;
  const char *d = a[7] == '=' ? a + 8 : (*i + 1 < argc ? argv[++*i] : "");
  *bad = date_parse(d, strlen(d), as_of) != 0 ? d : NULL;
  return 1;
}

/* --encoding E or --encoding=E at argv[*i]: 1 if it is one (and *i moves
 * past its value); *enc becomes NULL (UTF-8) or "GB18030"; *bad is the text
 * when it names no encoding Tally reads, else NULL. */
static int encoding_option(int argc, char **argv, int *i, const char **enc, const char **bad) {
  const char *a = argv[*i];
  if (strcmp(a, "--encoding") && strncmp(a, "--encoding=", 11)) return 0;
  const char *e = a[10] == '=' ? a + 11 : (*i + 1 < argc ? argv[++*i] : "");
  *bad = NULL;
  if (!strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8")) *enc = NULL;
  else if (!strcasecmp(e, "gb18030") || !strcasecmp(e, "gbk") || !strcasecmp(e, "gb2312")) *enc = "GB18030";
  else *bad = e;
  return 1;
}

/* The records, readable twice: in itself when it can seek, else (a pipe)
 * a temporary copy, in being closed unless it is stdin.  NULL, said and
 * in closed, when no copy can be kept. */
static FILE *rereadable(FILE *in, const char *path) {
  if (fseek(in, 0, SEEK_CUR) == 0) return in;
  FILE *copy = tmpfile();
  char buf[65536];
  size_t k;
  while (copy && (k = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, k, copy) != k) break;
  int bad = !copy || ferror(in) || ferror(copy) || fseek(copy, 0, SEEK_SET) != 0;
  if (bad) fprintf(stderr, "tally: %s: cannot keep a copy to read twice: %s\n", path, strerror(errno));
  if (bad && copy) fclose(copy);
  if (in != stdin) fclose(in);
  return bad ? NULL : copy;
}

static int load_policy(const char *path, prog **out, size_t *len_out) {
  size_t len;
  char *data = compile_read_file(path, &len);
  if (!data) {
    read_error(path);
    return 1;
  }
  uint8_t *tbc = (uint8_t *)data;
  size_t tbc_len = len;
  compile_result cr = {0};
  if (!is_tbc(path, data, len)) {
    if (compile_quietly(path, data, len, &cr)) {
      compile_result_free(&cr);
      free(data);
      return 1;
    }
    tbc = cr.tbc;
    tbc_len = cr.tbc_len;
  }
  prog_error err;
  *out = prog_load(tbc, tbc_len, &err);
  *len_out = tbc_len;
  compile_result_free(&cr);
  free(data);
  if (!*out) {
    fprintf(stderr, "tally: %s: refused at byte %llu: %s\n", path, (unsigned long long)err.offset, err.msg);
    return 1;
  }
  return 0;
}

/* ---- commands ----------------------------------------------------------------- */

static int cmd_check(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_check, stdout); return 0; }
  if (argc != 3) return usage_error(usage_check, "check takes one policy%s", "");
  size_t len;
  char *text = compile_read_file(argv[2], &len);
  if (!text) {
    read_error(argv[2]);
    return 1;
  }
  compile_result cr;
  compile_source(argv[2], text, len, stderr, 1, &cr);
  int rc = cr.errors ? 1 : 0;
  if (cr.errors || cr.warnings)
    fprintf(stderr, "%s: %d error%s, %d warning%s\n", argv[2], cr.errors, cr.errors == 1 ? "" : "s",
            cr.warnings, cr.warnings == 1 ? "" : "s");
  compile_result_free(&cr);
  free(text);
  return rc;
}

static int cmd_build(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_build, stdout); return 0; }
  const char *in = NULL, *out = NULL;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1]) return usage_error(usage_build, "unknown option %s", argv[i]);
    else if (!in) in = argv[i];
    else return usage_error(usage_build, "unexpected argument %s", argv[i]);
  }
  if (!in || !out) return usage_error(usage_build, "build needs a policy and -o OUT.tbc%s", "");
  size_t len;
  char *text = compile_read_file(in, &len);
  if (!text) {
    read_error(in);
    return 1;
  }
  compile_result cr;
  compile_source(in, text, len, stderr, 1, &cr);
  int rc = 0;
  if (cr.errors) {
    fprintf(stderr, "%s: %d error%s\n", in, cr.errors, cr.errors == 1 ? "" : "s");
    rc = 1;
  } else {
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(cr.tbc, 1, cr.tbc_len, f) != cr.tbc_len || fclose(f) != 0) {
      fprintf(stderr, "tally: cannot write %s: %s\n", out, strerror(errno));
      rc = 1;
    }
  }
  compile_result_free(&cr);
  free(text);
  return rc;
}

static int cmd_disasm(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_disasm, stdout); return 0; }
  if (argc != 3) return usage_error(usage_disasm, "disasm takes one .tbc file or policy%s", "");
  prog *p;
  size_t len;
  if (load_policy(argv[2], &p, &len)) return 1;
  disasm_print(stdout, p, len);
  prog_free(p);
  return 0;
}

/* Make *in read UTF-8: convert it from `encoding`, or, reading UTF-8, look
 * at the first block of a file and refuse one in GB18030 with a hint
 * (rather than hundreds of error rows of garbled text). */
static int open_records(FILE **in, const char *path, const char *encoding) {
  char err[256];
  if (encoding) {
    FILE *conv = enc_to_utf8(*in, encoding, err, sizeof err);
    if (!conv) {
      fprintf(stderr, "tally: %s: %s\n", path, err);
      if (*in != stdin) fclose(*in);
      return 1;
    }
    if (*in != stdin) fclose(*in);
    *in = conv;
    return 0;
  }
  struct stat st;
  if (fstat(fileno(*in), &st) != 0 || !S_ISREG(st.st_mode)) return 0; /* a pipe cannot be read twice */
  static const size_t block = 65536;
  char *buf = malloc(block);
  size_t n = buf ? fread(buf, 1, block, *in) : 0;
  int gb = buf && enc_looks_gb18030(buf, n);
  free(buf);
  if (gb) {
    fprintf(stderr, "tally: %s: the file is not UTF-8; it looks like GB18030 (GBK), as older spreadsheets save Chinese\n"
                    "hint: run again with --encoding gb18030, or save the file as \"CSV UTF-8\"\n", path);
    fclose(*in);
    return 1;
  }
  if (fseek(*in, 0, SEEK_SET) != 0) {
    fprintf(stderr, "tally: %s: cannot read it from the start again: %s\n", path, strerror(errno));
    fclose(*in);
    return 1;
  }
  return 0;
}

static int cmd_run(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_run, stdout); return 0; }
  const char *policy = NULL, *data = NULL, *outpath = NULL;
  out_format fmt = OUT_CSV;
  int explain = 0, summary = 0;
  int64_t as_of = INT32_MIN;
  const char *bad = NULL;
  const char *encoding = NULL; /* NULL: UTF-8 */
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-o") && i + 1 < argc) outpath = argv[++i];
    else if (!strcmp(a, "--explain")) explain = 1;
    else if (!strcmp(a, "--summary")) summary = 1;
    else if (as_of_option(argc, argv, &i, &as_of, &bad)) {
      if (bad) return usage_error(usage_run, "--as-of wants a date like 2025-12-31, not '%s'", bad);
    }
    else if (encoding_option(argc, argv, &i, &encoding, &bad)) {
      if (bad) return usage_error(usage_run, "unknown encoding '%s' (utf-8 or gb18030)", bad);
    }
    else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
      const char *f = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
      if (!strcmp(f, "csv")) fmt = OUT_CSV;
      else if (!strcmp(f, "jsonl")) fmt = OUT_JSONL;
      else if (!strcmp(f, "table")) fmt = OUT_TABLE;
      else return usage_error(usage_run, "unknown format '%s' (csv, jsonl or table)", f);
    } else if (a[0] == '-' && a[1]) return usage_error(usage_run, "unknown option %s", a);
    else if (!policy) policy = a;
    else if (!data) data = a;
    else return usage_error(usage_run, "unexpected argument %s", a);
  }
  if (!policy || !data) return usage_error(usage_run, "run needs a policy and a CSV file%s", "");
  prog *p;
  size_t len;
  if (load_policy(policy, &p, &len)) return 1;
  FILE *in = strcmp(data, "-") ? fopen(data, "rb") : stdin;
  if (!in) {
    fprintf(stderr, "tally: cannot read %s: %s\n", data, strerror(errno));
    prog_free(p);
    return 1;
  }
  if (open_records(&in, data, encoding)) {
    prog_free(p);
    return 1;
  }
  run_opts opts = {as_of != INT32_MIN ? as_of : p->as_of, NULL, 0};
  if (p->uses_as_of && opts.as_of == INT32_MIN) {
    fprintf(stderr, "tally: %s: its date rules need an as-of date: give --as-of YYYY-MM-DD, or write `as of` in the "
                    "policy's header\n", policy);
    if (in != stdin) fclose(in);
    prog_free(p);
    return 1;
  }
  int ranked = pop_needs_ranking(p);
  if (summary || p->nquotas || p->ntargets || p->naudits || ranked) {
    opts.pop = pop_new(p);
    if (!opts.pop) {
      fputs("tally: out of memory\n", stderr);
      if (in != stdin) fclose(in);
      prog_free(p);
      return 1;
    }
  }
  /* an enforced quota ranks every record first: a second reading */
  if (ranked) {
    if (!(in = rereadable(in, data))) {
      pop_free(opts.pop);
      prog_free(p);
      return 1;
    }
    out_counts first = {0};
    csv_reader *rd = csv_open_file(in);
    opts.ranking = 1;
    int rc1 = rd ? run_csv(p, rd, data, NULL, &first, stderr, &opts) : 1;
    csv_close(rd);
    opts.ranking = 0;
    if ((rc1 && !first.rows) || pop_rank_finish(opts.pop) != 0 || fseek(in, 0, SEEK_SET) != 0) {
      if (in != stdin) fclose(in);
      pop_free(opts.pop);
      prog_free(p);
      return 1;
    }
  }
  FILE *out = outpath && strcmp(outpath, "-") ? fopen(outpath, "wb") : summary ? NULL : stdout;
  FILE *sink = NULL;
  if (!out && summary && !outpath) out = sink = fopen("/dev/null", "wb");
  if (!out) {
    fprintf(stderr, "tally: cannot write %s: %s\n", outpath, strerror(errno));
    if (in != stdin) fclose(in);
    prog_free(p);
    return 1;
  }
  out_writer *w = out_new(out, p, fmt, explain);
  out_counts n = {0};
  csv_reader *rd = csv_open_file(in);
  int rc = w && rd ? run_csv(p, rd, data, w, &n, ranked ? NULL : stderr, &opts) : 1;
  csv_close(rd);
  if (w) out_finish(w);
  out_free(w);
  if (out != stdout && out != sink && fclose(out) != 0) {
    fprintf(stderr, "tally: cannot write %s: %s\n", outpath, strerror(errno));
    rc = 1;
  }
  if (sink) fclose(sink);
  if (in != stdin) fclose(in);
  out_summary(stderr, &n);
  if (summary && opts.pop) {
    if (fmt == OUT_JSONL) pop_summary_json(stdout, opts.pop, n.errors);
    else pop_summary(stdout, opts.pop, n.errors);
  } else if (opts.pop) {
    /* what the population rules did, in a line each; --summary has the rest */
    for (uint32_t q = 0; q < p->nquotas; q++) {
      const prog_quota *qu = &p->quotas[q];
      char b[DEC_BUFSZ];
      if (!(qu->flags & TBC_Q_ENFORCE)) continue;
      fprintf(stderr, "tally: quota: %s at most %s%%: %ld record%s moved down a level (--summary lists them)\n",
              out_level_name(p, (int32_t)qu->level), dec_format(qu->share, b), pop_demoted(opts.pop, q),
              pop_demoted(opts.pop, q) == 1 ? "" : "s");
    }
    if (p->ntargets || p->naudits)
      fprintf(stderr, "tally: %u target%s and %u audit%s: --summary shows them\n", p->ntargets, p->ntargets == 1 ? "" : "s",
              p->naudits, p->naudits == 1 ? "" : "s");
  }
  pop_free(opts.pop);
  prog_free(p);
  return rc;
}

static int cmd_test(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_test, stdout); return 0; }
  const char *path = NULL;
  int strict = 0;
  int64_t as_of = INT32_MIN;
  const char *bad = NULL;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--strict")) strict = 1;
    else if (as_of_option(argc, argv, &i, &as_of, &bad)) {
      if (bad) return usage_error(usage_test, "--as-of wants a date like 2025-12-31, not '%s'", bad);
    } else if (a[0] == '-' && a[1]) return usage_error(usage_test, "unknown option %s", a);
    else if (!path) path = a;
    else return usage_error(usage_test, "unexpected argument %s", a);
  }
  if (!path) return usage_error(usage_test, "test takes one policy%s", "");
  size_t len;
  char *text = compile_read_file(path, &len);
  if (!text) {
    read_error(path);
    return 1;
  }
  if (is_tbc(path, text, len)) {
    fprintf(stderr, "tally: %s: the examples live in the policy's source; give the .tally file\n", path);
    free(text);
    return 1;
  }
  compile_result cr = {0};
  int rc = 1;
  if (compile_quietly(path, text, len, &cr) == 0) {
    prog_error err;
    prog *p = prog_load(cr.tbc, cr.tbc_len, &err);
    if (!p) {
      fprintf(stderr, "tally: %s: refused at byte %llu: %s\n", path, (unsigned long long)err.offset, err.msg);
    } else {
      examples_report rep;
      if (examples_run(path, cr.tree, p, as_of, stdout, &rep) == 0)
        rc = rep.failed || (strict && rep.gaps) || rep.examples == 0;
      else rep.examples = -1; /* could not run them: say nothing of their number */
      if (rep.examples == 0) fprintf(stdout, "%s: no examples: write example \"…\" { input { … } expect { … } }\n", path);
      prog_free(p);
    }
  }
  compile_result_free(&cr);
  free(text);
  return rc;
}

static int cmd_diff(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_diff, stdout); return 0; }
  const char *paths[2] = {NULL, NULL}, *data = NULL, *outpath = NULL, *tables[2] = {NULL, NULL};
  const char *encoding = NULL; /* NULL: UTF-8 */
  df_format fmt = DF_TEXT;
  int colour = -1; /* auto */
  int64_t as_of = INT32_MIN;
  const char *bad = NULL;
  int npaths = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-o") && i + 1 < argc) outpath = argv[++i];
    else if (!strcmp(a, "--data") && i + 1 < argc) data = argv[++i];
    else if (!strcmp(a, "--table") && i + 1 < argc) tables[0] = tables[1] = argv[++i];
    else if (!strcmp(a, "--old-table") && i + 1 < argc) tables[0] = argv[++i];
    else if (encoding_option(argc, argv, &i, &encoding, &bad)) {
      if (bad) return usage_error(usage_diff, "unknown encoding '%s' (utf-8 or gb18030)", bad);
    }
    else if (!strcmp(a, "--new-table") && i + 1 < argc) tables[1] = argv[++i];
    else if (as_of_option(argc, argv, &i, &as_of, &bad)) {
      if (bad) return usage_error(usage_diff, "--as-of wants a date like 2025-12-31, not '%s'", bad);
    } else if ((!strcmp(a, "--format") || !strncmp(a, "--format=", 9))) {
      const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : "");
      if (!strcmp(v, "text")) fmt = DF_TEXT;
      else if (!strcmp(v, "markdown") || !strcmp(v, "md")) fmt = DF_MARKDOWN;
      else if (!strcmp(v, "json")) fmt = DF_JSON;
      else return usage_error(usage_diff, "unknown format '%s' (text, markdown or json)", v);
    } else if (!strcmp(a, "--color") || !strcmp(a, "--colour") || !strncmp(a, "--color=", 8) || !strncmp(a, "--colour=", 9)) {
      const char *eq = strchr(a, '=');
      const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : "");
      if (!strcmp(v, "auto")) colour = -1;
      else if (!strcmp(v, "always")) colour = 1;
      else if (!strcmp(v, "never")) colour = 0;
      else return usage_error(usage_diff, "--color wants auto, always or never, not '%s'", v);
    } else if (a[0] == '-' && a[1]) return usage_error(usage_diff, "unknown option %s", a);
    else if (npaths < 2) paths[npaths++] = a;
    else return usage_error(usage_diff, "unexpected argument %s", a);
  }
  if (npaths < 2) return usage_error(usage_diff, "diff takes two policies, the old and the new%s", "");
  if (data && (tables[0] || tables[1]))
    return usage_error(usage_diff, "--data scores whole standards; it does not go with the table options%s", "");
  prog *p[2] = {NULL, NULL};
  size_t len;
  for (int k = 0; k < 2; k++) {
    if (k == 1 && !strcmp(paths[0], paths[1])) { /* two tables of one policy: load it once */
      p[1] = p[0];
      break;
    }
    if (load_policy(paths[k], &p[k], &len)) {
      prog_free(p[0]);
      return 2;
    }
  }
  int rc = 2;
  df_list changes = {0};
  im_report im;
  int have_im = 0;
  char err[2400];
  df_scope sa = {tables[0]}, sb = {tables[1]};
  FILE *out = stdout;
  if (df_compare(p[0], p[1], &sa, &sb, &changes, err, sizeof err)) {
    fprintf(stderr, "tally: %s\n", err);
    goto done;
  }
  for (int k = 0; data && k < 2; k++)
    if (p[k]->uses_as_of && as_of == INT32_MIN && p[k]->as_of == INT32_MIN) {
      fprintf(stderr, "tally: %s: its date rules need an as-of date: give --as-of YYYY-MM-DD, or write `as of` in the "
                      "policy's header\n", paths[k]);
      goto done;
    }
  if (data) {
    FILE *in = !strcmp(data, "-") ? stdin : fopen(data, "rb");
    if (!in) {
      fprintf(stderr, "tally: cannot read %s: %s\n", data, strerror(errno));
      goto done;
    }
    if (open_records(&in, data, encoding)) goto done; /* it said why, and closed it */
    if (!(in = rereadable(in, data))) goto done; /* both standards read it */
    int bad_data = im_run(p[0], p[1], in, as_of, &im, err, sizeof err);
    if (in != stdin) fclose(in);
    if (bad_data) {
      fprintf(stderr, "tally: %s: %s\n", data, err);
      im_free(&im);
      goto done;
    }
    have_im = 1;
  }
  if (outpath && !(out = fopen(outpath, "w"))) {
    fprintf(stderr, "tally: cannot write %s: %s\n", outpath, strerror(errno));
    goto done;
  }
  const char *no_colour = getenv("NO_COLOR"); /* no-color.org: set and not empty */
  if (colour < 0) colour = !outpath && isatty(fileno(stdout)) && !(no_colour && *no_colour) && fmt == DF_TEXT;
  df_side side[2];
  for (int k = 0; k < 2; k++) {
    long t = tables[k] ? df_find_table(p[k], tables[k]) : -1;
    side[k] = (df_side){paths[k], p[k], t >= 0 ? p[k]->tables[t].title : NULL};
  }
  df_print(out, fmt, colour && fmt == DF_TEXT, &side[0], &side[1], &changes, have_im ? &im : NULL,
           data && !strcmp(data, "-") ? "standard input" : data);
  if (out != stdout && fclose(out) != 0) {
    fprintf(stderr, "tally: cannot write %s: %s\n", outpath, strerror(errno));
    goto done;
  }
  rc = df_count(&changes) ? 1 : 0;
done:
  if (have_im) im_free(&im);
  df_list_free(&changes);
  if (p[1] != p[0]) prog_free(p[1]);
  prog_free(p[0]);
  return rc;
}

/* The bytecode of text, or NULL when it has errors (said nowhere: the
 * check only needs to know). */
static uint8_t *fmt_compile(const char *path, const char *text, size_t len, size_t *tbc_len) {
  FILE *sink = fopen("/dev/null", "w");
  compile_result cr = {0};
  compile_source(path, text, len, sink ? sink : stderr, 1, &cr);
  if (sink) fclose(sink);
  uint8_t *tbc = cr.errors ? NULL : cr.tbc;
  if (tbc) cr.tbc = NULL;
  *tbc_len = cr.tbc_len;
  compile_result_free(&cr);
  return tbc;
}

/* The same program: equal bytes but for the checksum and the source hash
 * (header bytes 12 to 23), which follow the text. */
static int fmt_same_program(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
  return na == nb && na >= TBC_HEADER_SIZE && !memcmp(a, b, 12) && !memcmp(a + 24, b + 24, na - 24);
}

static int cmd_fmt(int argc, char **argv) {
  if (want_help(argc, argv)) { fputs(usage_fmt, stdout); return 0; }
  int write = 0, check = 0, nfiles = 0, rc = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-w")) write = 1;
    else if (!strcmp(argv[i], "--check")) check = 1;
    else if (argv[i][0] == '-' && argv[i][1]) return usage_error(usage_fmt, "unknown option %s", argv[i]);
    else nfiles++;
  }
  if (!nfiles) return usage_error(usage_fmt, "fmt takes a policy%s", "");
  if (write && check) return usage_error(usage_fmt, "-w and --check do not go together%s", "");
  if (nfiles > 1 && !write && !check) return usage_error(usage_fmt, "to lay out several files, give -w or --check%s", "");
  for (int i = 2; i < argc; i++) {
    const char *path = argv[i];
    if (path[0] == '-' && path[1]) continue;
    size_t len, flen;
    char *text = compile_read_file(path, &len), *formatted = NULL, err[200];
    if (!text) {
      read_error(path);
      rc = 2;
      continue;
    }
    if (is_tbc(path, text, len)) {
      fprintf(stderr, "tally: %s: bytecode has no layout; give the .tally file\n", path);
      free(text);
      rc = 2;
      continue;
    }
    if (fmt_source(text, len, &formatted, &flen, err, sizeof err)) {
      fprintf(stderr, "tally: %s: %s\n", path, err);
      free(text);
      rc = 2;
      continue;
    }
    /* the meaning must not move: compile both (a policy with errors is
     * laid out all the same; there is no program to compare) */
    size_t la, lb;
    uint8_t *ta = fmt_compile(path, text, len, &la), *tb = ta ? fmt_compile(path, formatted, flen, &lb) : NULL;
    int same = !ta || (tb && fmt_same_program(ta, la, tb, lb));
    free(ta);
    free(tb);
    int changed = flen != len || memcmp(formatted, text, len) != 0;
    if (!same) {
      fprintf(stderr, "tally: %s: laying it out would change what it means; nothing written (a bug in tally fmt)\n", path);
      rc = 2;
    } else if (check) {
      if (changed) {
        printf("%s\n", path);
        if (!rc) rc = 1;
      }
    } else if (write) {
      if (changed) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(formatted, 1, flen, f) != flen || fclose(f) != 0) {
          fprintf(stderr, "tally: cannot write %s: %s\n", path, strerror(errno));
          rc = 2;
        }
      }
    } else {
      fwrite(formatted, 1, flen, stdout);
    }
    free(formatted);
    free(text);
  }
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) { fputs(usage_main, stderr); return 2; }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("tally %s (bytecode version %d)\n", TALLY_VERSION, TBC_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (!strcmp(cmd, "check")) return cmd_check(argc, argv);
  if (!strcmp(cmd, "build")) return cmd_build(argc, argv);
  if (!strcmp(cmd, "run")) return cmd_run(argc, argv);
  if (!strcmp(cmd, "disasm")) return cmd_disasm(argc, argv);
  if (!strcmp(cmd, "test")) return cmd_test(argc, argv);
  if (!strcmp(cmd, "diff")) return cmd_diff(argc, argv);
  if (!strcmp(cmd, "fmt")) return cmd_fmt(argc, argv);
  fprintf(stderr, "tally: unknown command '%s'\n\n%s", cmd, usage_main);
  return 2;
}
