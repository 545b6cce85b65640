#!/bin/sh
# tests/badcsv.sh — malformed and awkward CSV files through `tally run`.
#
# Every case runs
#     $TALLY run tests/cli/data/mini.tally FILE --format jsonl
# and compares standard output, "--- stderr", standard error and
# "--- exit N" with tests/badcsv/NAME.expected byte for byte (the same
# layout as tests/cli.sh).  Small inputs are committed as tests/badcsv/NAME.csv;
# big ones (cells over the 1 MiB limit, rows over 4096 cells, a header of a
# million columns) are written at run time to build/badcsv-tmp/NAME.csv, so
# that the paths in messages are the same on every run.
#
# Each case also checks the record accounting, whatever the expected file says:
#   - standard error ends with "N rows: S scored (R rated, V vetoed, B below
#     every level), E errors" (and "; K rows of empty cells skipped" when
#     there are such rows) and S + E == N;
#   - standard output has exactly N JSON lines whose "row" numbers increase
#     (rows are numbered as a spreadsheet shows them, blank lines included),
#     S of them results and E of them error rows;
#   - the exit status is 1 when E > 0, and 0 or 1 otherwise.
# A file refused as a whole (no header, a bad header) says "0 rows" and writes
# no JSON line.
#
# UPDATE=1 rewrites the expected files instead of comparing: review the diff
# before committing them.  Some expected files hold behaviour that is known to
# be wrong; those cases are marked KNOWN below.
#
# Usage (from the repository root): TALLY=build/san/tally sh tests/badcsv.sh

TALLY=${TALLY:-build/rel/tally}
POLICY=tests/cli/data/mini.tally
D=tests/badcsv
TMP=build/badcsv-tmp
rm -rf "$TMP"
mkdir -p "$TMP"
pass=0
fail=0
. tests/capture.sh

# failed MESSAGE: inside a case, mark it failed (it is counted once, at its
# end); outside one, count a failure now.
incase=0
failed() {
  echo "FAIL: $*"
  if [ "$incase" = 1 ]; then ok=0; else fail=$((fail + 1)); fi
}

# done_case: count the case that just ran.
done_case() {
  incase=0
  if [ "$ok" = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

# check NAME CSV [nosummary]: run one case, compare, check the accounting.
# "nosummary": the command stops before the summary line (cannot open FILE).
check() {
  name=$1
  csv=$2
  expected=$D/$name.expected
  incase=1
  ok=1
  if ! capture "$expected" "$TALLY" run "$POLICY" "$csv" --format jsonl; then
    failed "$name: output differs from $expected"
    diff -u "$expected" "$TMP/actual" 2>&1 | head -40 | cut -c1-300
  fi

  if [ "$3" = nosummary ] || [ "$3" = refused ]; then
    if [ -s "$TMP/out" ] || [ "$status" != 1 ]; then
      failed "$name: expected no output and exit 1 (got exit $status)"
    fi
    done_case
    return
  fi

  # "N rows: S scored (R rated, V vetoed, B below every level), E errors"
  counts=$(tail -n 1 "$TMP/err" | sed -n \
    's/^\([0-9][0-9]*\) rows*: \([0-9][0-9]*\) scored ([0-9][0-9]* rated, [0-9][0-9]* vetoed, [0-9][0-9]* below every level), \([0-9][0-9]*\) errors*\(; [0-9][0-9]* rows* of empty cells skipped\)*$/\1 \2 \3/p')
  if [ -z "$counts" ]; then
    failed "$name: no summary line at the end of stderr: $(tail -n 1 "$TMP/err" | cut -c1-200)"
    done_case
    return
  fi
  set -- $counts
  n=$1 s=$2 e=$3
  if [ $((s + e)) != "$n" ]; then
    failed "$name: $s scored + $e errors != $n rows"
  fi
  if [ "$e" -gt 0 ] && [ "$status" != 1 ]; then
    failed "$name: $e error rows but exit status $status"
  fi
  if [ "$status" != 0 ] && [ "$status" != 1 ]; then
    failed "$name: exit status $status"
  fi
  # Inside a JSON string every quote is escaped, so ,"score": and ,"error":"
  # can only be keys.
  why=$(awk -v n="$n" -v s="$s" -v e="$e" '
    {
      if (index($0, "{\"row\":") != 1) bad = bad " line " NR " has no row number;"
      row = substr($0, 8) + 0
      if (row <= last) bad = bad " line " NR " row " row " does not follow row " last ";"
      last = row
      if (index($0, ",\"score\":")) sc++
      else if (index($0, ",\"error\":\"")) er++
      else bad = bad " line " NR " is neither a result nor an error;"
    }
    END {
      if (NR != n) bad = bad " " NR " JSON lines for " n " rows;"
      if (sc + 0 != s) bad = bad " " sc + 0 " results for " s " scored;"
      if (er + 0 != e) bad = bad " " er + 0 " error lines for " e " errors;"
      printf "%s", bad
    }' "$TMP/out")
  if [ -n "$why" ]; then
    failed "$name: accounting:$why"
  fi
  done_case
}

# ---- the committed corpus ---------------------------------------------------
# Reported with this suite and since fixed (the expected files show the fix):
# an unclosed quote names the lines it swallowed, values over the limit are
# "too large", "1 cell", column names are escaped in messages, a header refused
# by the reader is called the header, rows of empty cells are skipped and
# counted, a file in GB18030 is refused with a hint (no summary: it is not
# read), and rows are numbered as a spreadsheet shows them.
# Still open: the key's values are not checked for blanks or duplicates (that
# needs memory in the number of records).
for f in "$D"/*.csv; do
  name=$(basename "$f" .csv)
  case $name in
  gb18030_header) check "$name" "$f" refused ;;
  *) check "$name" "$f" ;;
  esac
done
for e in "$D"/*.expected; do
  name=$(basename "$e" .expected)
  case $name in
  cell_1mib | cell_10mb | cells_4097 | header_1m | long_line_100k | chunk_boundaries | directory | missing_file) ;;
  *)
    if [ ! -f "$D/$name.csv" ]; then failed "$e has no $name.csv"; fi
    ;;
  esac
done

# ---- generated at run time -------------------------------------------------
H7='id,held,rate,events,founded,kind,备注'

# Cells at the 1 MiB limit and one byte over, plain and quoted with line
# breaks inside; the last row checks that line numbers survived them.
{
  echo "$H7"
  printf 'A,是,90,1,2010-01-01,soe,'
  head -c 1048576 /dev/zero | tr '\0' a
  echo
  printf 'B,是,90,1,2010-01-01,soe,'
  head -c 1048577 /dev/zero | tr '\0' b
  echo
  # 1024 lines of 1023 bytes and a line break: exactly 1048576 bytes
  printf 'C,是,90,1,2010-01-01,soe,"'
  head -c 1047552 /dev/zero | tr '\0' c | fold -w 1023 | awk '{ print }'
  echo '"'
  printf 'D,是,90,1,2010-01-01,soe,"'
  head -c 1047552 /dev/zero | tr '\0' d | fold -w 1023 | awk '{ print }'
  echo 'd"'
  echo 'E,是,9"0,1,2010-01-01,soe,e'
  echo 'F,是,90,1,2010-01-01,soe,f'
} >"$TMP/cell_1mib.csv"
check cell_1mib "$TMP/cell_1mib.csv"

# A 10 MB quoted cell of 10011 lines, then a broken row to check its line.
{
  echo "$H7"
  printf 'A,是,90,1,2010-01-01,soe,"'
  head -c 10000000 /dev/zero | tr '\0' q | fold -w 999
  echo '"'
  echo 'B,是,9"0,1,2010-01-01,soe,b'
  echo 'C,是,90,1,2010-01-01,soe,c'
} >"$TMP/cell_10mb.csv"
check cell_10mb "$TMP/cell_10mb.csv"

# Rows of 4096 cells (the limit), 4097 cells, and 5006 cells whose quoted
# cells hold line breaks (the row is still read to its real end).
awk 'BEGIN {
  print "id,held,rate,events,founded,kind"
  printf "A,是,90,1,2010-01-01,soe"; for (i = 6; i < 4096; i++) printf ","; print ""
  printf "B,是,90,1,2010-01-01,soe"; for (i = 6; i < 4097; i++) printf ","; print ""
  printf "C,是,90,1,2010-01-01,soe"; for (i = 0; i < 5000; i++) printf ",\"a\nb\""; print ""
  print "D,是,9\"0,1,2010-01-01,soe"
  print "E,是,90,1,2010-01-01,soe"
}' >"$TMP/cells_4097.csv"
check cells_4097 "$TMP/cells_4097.csv"

# A header of a million columns: refused, and quickly.
awk 'BEGIN { printf "id,held,rate,events,founded,kind"; for (i = 6; i < 1000000; i++) printf ",x"; print ""
             print "A,是,90,1,2010-01-01,soe" }' >"$TMP/header_1m.csv"
t0=$(date +%s 2>/dev/null)
check header_1m "$TMP/header_1m.csv"
t1=$(date +%s 2>/dev/null)
if [ -n "$t0" ] && [ -n "$t1" ] && [ $((t1 - t0)) -gt 5 ]; then
  failed "header_1m: took $((t1 - t0)) s"
fi

# A valid line of 100 KB: a quoted cell full of commas.
awk 'BEGIN { print "id,held,rate,events,founded,kind,备注"
             printf "A,是,90,1,2010-01-01,soe,\""; for (i = 0; i < 50000; i++) printf "x,"; print "\""
             print "B,是,90,1,2010-01-01,soe,b" }' >"$TMP/long_line_100k.csv"
check long_line_100k "$TMP/long_line_100k.csv"

# The reader takes its input in 64 KiB chunks: put the awkward spots exactly
# on the chunk boundaries (a "" escape, a closing quote and its comma, CR|LF,
# a UTF-8 character, a quoted CRLF), each after a long padding row.
# at_boundary BEFORE AFTER (printf formats): a padding row, then BEFORE
# ending exactly on the next 64 KiB boundary, then AFTER.
CH=$TMP/chunk_boundaries.csv
echo "$H7" >"$CH"
boundary=65536
PAD='P,是,90,1,2010-01-01,soe,'
at_boundary() {
  have=$(wc -c <"$CH")
  before=$(printf "$1" | wc -c)
  prefix=$(printf '%s' "$PAD" | wc -c)
  pad=$((boundary - have - before - prefix - 1))
  {
    printf '%s' "$PAD"
    head -c "$pad" /dev/zero | tr '\0' p
    echo
    printf "$1"
  } >>"$CH"
  [ "$(wc -c <"$CH")" = "$boundary" ] || failed "chunk_boundaries: padding is off at $boundary"
  printf "$2" >>"$CH"
  boundary=$((boundary + 65536))
}
at_boundary 'Q1,是,90,1,2010-01-01,soe,"a"' '"b"\n'
at_boundary '"Q2"' ',是,90,1,2010-01-01,soe,n\n'
at_boundary 'Q3,是,90,1,2010-01-01,soe,n\r' '\nQ4,是,9"0,1,2010-01-01,soe,n\n'
at_boundary 'Q5,是,90,1,2010-01-01,soe,\346' '\230\257\n'
at_boundary '"Q6\r' '\nx",是,90,1,2010-01-01,soe,n\n'
printf 'Z,是,9"0,1,2010-01-01,soe,z\n' >>"$CH"
check chunk_boundaries "$CH"

# A directory named like a CSV file, and a file that does not exist.
mkdir "$TMP/directory.csv"
check directory "$TMP/directory.csv"
check missing_file "$TMP/missing_file.csv" nosummary

echo "badcsv: $pass passed, $fail failed"
[ "$fail" = 0 ]
