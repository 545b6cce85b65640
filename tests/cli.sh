#!/bin/sh
# tests/cli.sh — the tally command, end to end, against expected files.
#
# Each case runs one command and compares its standard output, standard
# error and exit status with tests/golden/NAME (or tests/cli/.../NAME.expected)
# byte for byte.  UPDATE=1 rewrites the expected files instead: review the
# diff before committing them.
#
# Usage: TALLY=build/san/tally sh tests/cli.sh

TALLY=${TALLY:-build/rel/tally}
# A fixed scratch folder, so that paths in messages are the same every run.
TMP=build/cli-tmp
rm -rf "$TMP"
mkdir -p "$TMP"
pass=0
fail=0
. tests/capture.sh

# run NAME EXPECTED-FILE COMMAND...: stdout, then "--- stderr", then "--- exit N"
run() {
  name=$1
  expected=$2
  shift 2
  if capture "$expected" "$@"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name"
    diff -u "$expected" "$TMP/actual" | head -40
  fi
}

# expect NAME CONDITION-DESCRIPTION: count a check made by the shell itself
expect() {
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}

G=tests/golden
C=tests/cli

# ---- the seed policies: check, examples, golden results in every format ----
for f in policies/*.tally; do
  p=$(basename "$f" .tally)
  run "check $p" "$G/$p.check" "$TALLY" check "policies/$p.tally"
  run "test $p" "$G/$p.test.txt" "$TALLY" test --strict "policies/$p.tally"
  run "run $p csv" "$G/$p.out.csv" "$TALLY" run "policies/$p.tally" "policies/$p.csv"
  run "run $p jsonl" "$G/$p.out.jsonl" "$TALLY" run "policies/$p.tally" "policies/$p.csv" --format jsonl
  run "run $p table" "$G/$p.out.txt" "$TALLY" run "policies/$p.tally" "policies/$p.csv" --format table
  run "run $p explain" "$G/$p.explain.txt" "$TALLY" run "policies/$p.tally" "policies/$p.csv" --explain
  run "run $p summary" "$G/$p.summary.txt" "$TALLY" run "policies/$p.tally" "policies/$p.csv" --summary
  "$TALLY" test --strict "policies/$p.tally" >/dev/null 2>&1
  expect "every example of $p passes, and they cover its rules, checks, vetoes, levels and categories" $?
done

# The tutorial's policy is what docs/tutorial.md says it is: clean, tested.
"$TALLY" check docs/tutorial/city.tally >/dev/null 2>&1
expect "the tutorial's policy checks clean" $?
"$TALLY" test --strict docs/tutorial/city.tally >/dev/null 2>&1
expect "the tutorial's examples pass and cover the policy" $?
"$TALLY" run docs/tutorial/city.tally docs/tutorial/city.csv --summary >/dev/null 2>&1
expect "the tutorial's records are all scored" $?

# Guyuan's quota: ten unions of 95 93 91 91 90 85 80 75 70 50; at most 20%
# 五星级 gives two, and the two 91s and the 90 are moved down to 四星级.
run "Guyuan quota: the summary" "$G/guyuan-2023-quota.summary.txt" \
  "$TALLY" run policies/guyuan-2023.tally policies/guyuan-2023-quota.csv --summary
run "Guyuan quota: the summary as JSON" "$G/guyuan-2023-quota.summary.json" \
  "$TALLY" run policies/guyuan-2023.tally policies/guyuan-2023-quota.csv --summary --format jsonl
run "Hangzhou plan: the targets as JSON" "$G/hangzhou-2024-plan.summary.json" \
  "$TALLY" run policies/hangzhou-2024-plan.tally policies/hangzhou-2024-plan.csv --summary --format jsonl
run "Guyuan quota: the records" "$G/guyuan-2023-quota.out.txt" \
  "$TALLY" run policies/guyuan-2023.tally policies/guyuan-2023-quota.csv --format table
run "Guyuan quota: read from a pipe (twice, through a copy)" "$G/guyuan-2023-quota.out.txt" \
  sh -c "cat policies/guyuan-2023-quota.csv | '$TALLY' run policies/guyuan-2023.tally - --format table"
run "explain jsonl" "$G/rushan-2020-regional.explain.jsonl" \
  "$TALLY" run policies/rushan-2020-regional.tally policies/rushan-2020-regional.csv --format jsonl --explain

# The union of the issue: 88%, one competition, no childcare, two of four
# collective contracts missing → 87, 四星级 (item 5: 2, 6: 3, 12: 2, 20: 0).
head -1 policies/rushan-2020-enterprise.csv >"$TMP/87.csv"
grep '^乳山市宏远食品有限公司工会,' policies/rushan-2020-enterprise.csv >>"$TMP/87.csv"
run "the 87-point union" "$G/rushan-87.explain.txt" \
  "$TALLY" run policies/rushan-2020-enterprise.tally "$TMP/87.csv" --explain

# ---- bytecode: build, determinism, disasm, run from .tbc --------------------
"$TALLY" build policies/rushan-2020-enterprise.tally -o "$TMP/a.tbc"
"$TALLY" build policies/rushan-2020-enterprise.tally -o "$TMP/b.tbc"
cmp -s "$TMP/a.tbc" "$TMP/b.tbc"
expect "same source, same bytes" $?
run "disasm" "$G/rushan-2020-regional.disasm" sh -c \
  "'$TALLY' build policies/rushan-2020-regional.tally -o '$TMP/r.tbc' && '$TALLY' disasm '$TMP/r.tbc'"
"$TALLY" run "$TMP/a.tbc" policies/rushan-2020-enterprise.csv >"$TMP/from-tbc.csv" 2>/dev/null
sed '/^--- stderr$/,$d' "$G/rushan-2020-enterprise.out.csv" | cmp -s - "$TMP/from-tbc.csv"
expect "run from .tbc gives the same results as from source" $?
# Determinism: the same inputs give byte-identical output, in every format,
# from source and from bytecode, whatever the working directory holds.
for fmt in csv jsonl table; do
  for ex in "" --explain; do
    "$TALLY" run policies/rushan-2020-enterprise.tally policies/rushan-2020-enterprise.csv --format $fmt $ex >"$TMP/d1" 2>&1
    "$TALLY" run "$TMP/b.tbc" policies/rushan-2020-enterprise.csv --format $fmt $ex >"$TMP/d2" 2>&1
    cmp -s "$TMP/d1" "$TMP/d2"
    expect "byte-identical output ($fmt $ex)" $?
  done
done

# A damaged .tbc is refused with the reason and offset (every byte is
# walked by tests/test_load.c; here, through the command, every 97th).
size=$(wc -c <"$TMP/a.tbc")
i=0
bad=0
while [ "$i" -lt "$size" ]; do
  cp "$TMP/a.tbc" "$TMP/d.tbc"
  printf '\377' | dd of="$TMP/d.tbc" bs=1 seek="$i" conv=notrunc 2>/dev/null
  if cmp -s "$TMP/a.tbc" "$TMP/d.tbc"; then printf '\000' | dd of="$TMP/d.tbc" bs=1 seek="$i" conv=notrunc 2>/dev/null; fi
  "$TALLY" run "$TMP/d.tbc" policies/rushan-2020-enterprise.csv >/dev/null 2>"$TMP/d.err"
  st=$?
  if [ "$st" != 1 ] || ! grep -q "refused at byte" "$TMP/d.err"; then
    echo "damaged byte $i: exit $st: $(cat "$TMP/d.err")"
    bad=1
  fi
  i=$((i + 97))
done
expect "damaged bytecode is refused" $bad
run "damaged header" "$C/damaged.expected" sh -c \
  "head -c 100 '$TMP/a.tbc' > '$TMP/t.tbc'; '$TALLY' run '$TMP/t.tbc' policies/rushan-2020-enterprise.csv"

# ---- the whole language: examples, reuse, dates ---------------------------------
L="$C/lang"
run "tally test: a failing example shows the difference and the ledger" "$L/failing-example.expected" \
  "$TALLY" test "$L/failing-example.tally"
run "include and extends: check" "$L/extends-child.check.expected" "$TALLY" check "$L/extends-child.tally"
run "include and extends: run" "$L/extends-child.expected" "$TALLY" run "$L/extends-child.tally" "$L/child.csv" --explain
run "an include cycle is refused" "$L/cycle.expected" "$TALLY" check "$L/cycle-a.tally"
"$TALLY" check "$L/diamond-main.tally" >/dev/null 2>&1
expect "a file included by two included files is read once" $?
run "extends a policy of tables: check" "$L/tables-child.check.expected" "$TALLY" check "$L/tables-child.tally"
run "extends a policy of tables: run" "$L/tables-child.expected" "$TALLY" run "$L/tables-child.tally" "$L/tables.csv" --explain
run "an item of a table is removed inside the table" "$L/tables-remove-outside.expected" \
  "$TALLY" check "$L/tables-remove-outside.tally"
run "date rules without an as-of date" "$L/asof-missing.expected" "$TALLY" run "$L/asof.tally" "$L/asof.csv"
run "date rules as of 2025-12-31" "$L/asof-2025.expected" "$TALLY" run "$L/asof.tally" "$L/asof.csv" --as-of 2025-12-31
run "date rules as of 2026-01-01" "$L/asof-2026.expected" "$TALLY" run "$L/asof.tally" "$L/asof.csv" --as-of=2026-01-01 --format table

# ---- diagnostics: exact text --------------------------------------------------
for f in "$C"/diag/*.tally; do
  run "diagnostics $(basename "$f")" "${f%.tally}.expected" "$TALLY" check "$f"
done

# ---- bad policies: bounded time and memory, an error that names the limit ----
B="$TMP/bad"
mkdir -p "$B"
{ printf 'policy a.b "'; head -c 10485760 /dev/zero | tr '\000' x; printf '" { scale 1 }\n'; } >"$B/huge-string.tally"
{ printf 'policy a.b "c" { scale 1 }\nveto "v" if '; head -c 5000 /dev/zero | tr '\000' '('; printf 'x'
  head -c 5000 /dev/zero | tr '\000' ')'; printf '\n'; } >"$B/deep-parens.tally"
{ printf 'policy a.b "c" { scale 1 }\ninput { a bool "a" }\nveto "v" if a'
  yes ' and a' | head -n 200000 | tr -d '\n'; printf '\n'; } >"$B/long-chain.tally"
{ printf 'policy a.b "c" { scale 1 }\ninput { '; head -c 300 /dev/zero | tr '\000' n; printf ' bool "x" }\n'; } >"$B/long-name.tally"
awk 'BEGIN { print "policy a.b \"c\" { scale 1000000 }"; print "input { a bool \"a\" }";
             print "section \"s\" 1000000 {";
             for (i = 1; i <= 1000000; i++) printf "  item %d \"t\" 1 { zero unless a \"r\" }\n", i;
             print "}" }' >"$B/million-items.tally"
{ printf 'policy a.b "c" { scale 1 }\ninput { a bool "a" }\nveto "v" if a'
  yes ' and (a' | head -n 300 | tr -d '\n'; head -c 300 /dev/zero | tr '\000' ')'; printf '\n'; } >"$B/many-jumps.tally"
head -c 70000000 /dev/zero >"$B/huge-file.tally"
for f in huge-string deep-parens long-chain long-name million-items many-jumps huge-file; do
  run "bad policy $f" "$C/bad-policy-$f.expected" "$TALLY" check "$B/$f.tally"
done

# ---- records: good and bad data ----------------------------------------------------
for f in "$C"/data/*.csv; do
  run "data $(basename "$f")" "${f%.csv}.expected" "$TALLY" run "$C/data/mini.tally" "$f"
done
# A file saved in GB18030 (GBK) is recognised, and read with --encoding.
iconv -f UTF-8 -t GB18030 policies/rushan-2020-enterprise.csv >"$TMP/gb18030.csv"
run "gb18030 recognised" "$C/gb18030-refused.expected" "$TALLY" run policies/rushan-2020-enterprise.tally "$TMP/gb18030.csv"
"$TALLY" run policies/rushan-2020-enterprise.tally "$TMP/gb18030.csv" --encoding gb18030 >"$TMP/gb.out" 2>/dev/null
sed '/^--- stderr$/,$d' "$G/rushan-2020-enterprise.out.csv" | cmp -s - "$TMP/gb.out"
expect "gb18030 read with --encoding gives the same results" $?
run "utf-8 read as gb18030" "$C/gb18030-wrong.expected" \
  "$TALLY" run policies/rushan-2020-enterprise.tally policies/rushan-2020-enterprise.csv --encoding gbk

run "data as jsonl" "$C/data/bad_cells.jsonl.expected" "$TALLY" run "$C/data/mini.tally" "$C/data/bad_cells.csv" --format jsonl

# ---- tally diff -------------------------------------------------------------------
# A revision (tests/diff/rushan-2021-enterprise.tally: one deduction 2 → 3,
# item 21 added, 五星级 at 92): exactly those three changes, in all three
# formats, with the three sample unions that move (tests/diff/rushan-2021-
# impact.md has them by hand).
D=tests/diff
R=policies/rushan-2020-enterprise
run "diff revision text" "$G/diff-rushan-2021.txt" "$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --data $R.csv
"$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --data $R.csv >"$TMP/diff-utf8.txt" 2>/dev/null
run "diff revision markdown" "$G/diff-rushan-2021.md" "$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --data $R.csv --format markdown
run "diff revision json" "$G/diff-rushan-2021.json" "$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --data $R.csv --format json
"$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --format json 2>/dev/null | grep -q '"same":false,"count":3,'
expect "the revision is three changes" $?
# The records in GB18030, read with --encoding: the same report.
iconv -f UTF-8 -t GB18030 $R.csv >"$TMP/gb-data.csv"
"$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --data "$TMP/gb-data.csv" --encoding gb18030 2>/dev/null |
  sed "s#$TMP/gb-data.csv#$R.csv#" | cmp -s - "$TMP/diff-utf8.txt"
expect "diff --data in GB18030 gives the same report" $?
"$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --data "$TMP/gb-data.csv" >/dev/null 2>&1
[ $? = 2 ]
expect "diff --data in GB18030 without --encoding is refused" $?
# Colour only when asked for (or on a terminal): the changed character in red.
"$TALLY" diff $R.tally $D/rushan-2021-enterprise.tally --color always 2>/dev/null | grep -q "$(printf '\033')\[9;31m2"
expect "diff --color always marks the changed characters" $?
# Two categories of one standard, and two variants of one city's.
run "diff guyuan soe/nonpublic tables" "$G/diff-guyuan-tables.txt" \
  "$TALLY" diff policies/guyuan-2023.tally policies/guyuan-2023.tally --old-table soe_inst --new-table nonpublic
run "diff guyuan tables json" "$G/diff-guyuan-tables.json" \
  "$TALLY" diff policies/guyuan-2023.tally policies/guyuan-2023.tally --old-table 1 --new-table 2 --format json
run "diff rushan enterprise/regional" "$G/diff-rushan-variants.txt" "$TALLY" diff $R.tally policies/rushan-2020-regional.tally
# Two cities: Guyuan's state-owned table against Rushan's enterprise standard
# (no tables: its own sections), items matched by number.
run "diff two cities" "$G/diff-guyuan-rushan.json" \
  "$TALLY" diff policies/guyuan-2023.tally $R.tally --old-table soe_inst --format json
# Two made-up cities that number and word the same duties differently but
# share item keys: the items are paired by key.
run "diff cities with keys" "$G/diff-keys-cities.txt" "$TALLY" diff $D/keys-city-a.tally $D/keys-city-b.tally
# Reformatted, re-ordered: no change, status 0.
run "diff reformatted rushan" "$C/diff-reformatted-rushan.expected" "$TALLY" diff $R.tally $D/rushan-2020-enterprise-reformatted.tally
run "diff reformatted hangzhou" "$C/diff-reformatted-hangzhou.expected" \
  "$TALLY" diff policies/hangzhou-2025.tally $D/hangzhou-2025-reformatted.tally
# Every seed policy against its own bytecode: nothing.
same=0
for f in policies/*.tally; do
  "$TALLY" build "$f" -o "$TMP/self.tbc" 2>/dev/null || same=1
  "$TALLY" diff "$f" "$TMP/self.tbc" >/dev/null 2>&1 || same=1
  "$TALLY" diff "$TMP/self.tbc" "$f" --format json 2>/dev/null | grep -q '"same":true,"count":0,' || same=1
done
expect "every policy and its bytecode mean the same" $same
# A target's goal and a check's threshold changed: the targets' values and
# the unions the check moves (a copy of Hangzhou 2025, made here).
sed -e 's/share(rating >= "一星级") >= 95%/share(rating >= "一星级") >= 98%/' \
    -e 's/cadre_training and realname_rate >= 95%/cadre_training and realname_rate >= 94%/' \
    policies/hangzhou-2025.tally >"$TMP/hangzhou-2026.tally"
[ "$(cmp -l policies/hangzhou-2025.tally "$TMP/hangzhou-2026.tally" | wc -l)" -gt 0 ] && \
  [ "$(grep -c '>= 98%\|realname_rate >= 94%' "$TMP/hangzhou-2026.tally")" = 2 ]
expect "the Hangzhou copy has its two edits" $?
run "diff hangzhou target and check --data" "$G/diff-hangzhou-2026.txt" \
  "$TALLY" diff policies/hangzhou-2025.tally "$TMP/hangzhou-2026.tally" --data policies/hangzhou-2025.csv
# An enforced quota widened: both standards rank the records first; the
# union the old quota held back at 四星级 is 五星级 now.
sed 's/quota "五星级" at most 20% enforce/quota "五星级" at most 30% enforce/' policies/guyuan-2023.tally >"$TMP/guyuan-30.tally"
run "diff guyuan quota --data" "$G/diff-guyuan-quota.txt" \
  "$TALLY" diff policies/guyuan-2023.tally "$TMP/guyuan-30.tally" --data policies/guyuan-2023-quota.csv
# Trouble is status 2.
run "diff data lacks a column" "$C/diff-missing-column.expected" \
  "$TALLY" diff $R.tally policies/rushan-2020-regional.tally --data $R.csv
run "diff unknown table" "$C/diff-unknown-table.expected" \
  "$TALLY" diff policies/guyuan-2023.tally policies/guyuan-2023.tally --old-table soe_inst --new-table nosuch
run "diff missing file" "$C/diff-missing-file.expected" "$TALLY" diff $R.tally no/such/policy.tally
run "diff one policy" "$C/diff-usage.expected" "$TALLY" diff $R.tally

# ---- tally fmt ---------------------------------------------------------------------
# The shipped policies are laid out already; a messy one is laid out as the
# golden file says, once and for all (formatting it again changes nothing),
# and means the same (tally diff: no change, status 0).
"$TALLY" fmt --check policies/*.tally docs/tutorial/city.tally
expect "the policies and the tutorial are laid out by tally fmt" $?
run "fmt messy" "$C/fmt/messy.expected" "$TALLY" fmt $C/fmt/messy.tally
"$TALLY" fmt $C/fmt/messy.tally >"$TMP/messy.tally" 2>/dev/null
"$TALLY" fmt --check "$TMP/messy.tally" >/dev/null
expect "fmt twice is fmt once" $?
"$TALLY" fmt --check $C/fmt/messy.tally >/dev/null
[ $? = 1 ]
expect "fmt --check names a file that is not laid out, status 1" $?
run "diff messy and laid out" "$C/fmt/messy-diff.expected" "$TALLY" diff $C/fmt/messy.tally "$TMP/messy.tally"
# The hand-reformatted Rushan copy, laid out by fmt -w: still the same policy.
cp $D/rushan-2020-enterprise-reformatted.tally "$TMP/reformatted.tally"
"$TALLY" fmt -w "$TMP/reformatted.tally" && ! cmp -s "$TMP/reformatted.tally" $D/rushan-2020-enterprise-reformatted.tally &&
  "$TALLY" diff $R.tally "$TMP/reformatted.tally" >/dev/null 2>&1
expect "fmt -w rewrites the reformatted Rushan copy, and it means the same as the original" $?
printf 'section "S" 1 {\n  item 1 "t" 1 {\n' >"$TMP/open.tally"
run "fmt unbalanced" "$C/fmt/unbalanced.expected" "$TALLY" fmt "$TMP/open.tally"
"$TALLY" build $R.tally -o "$TMP/r.tbc" 2>/dev/null
run "fmt bytecode" "$C/fmt/bytecode.expected" "$TALLY" fmt "$TMP/r.tbc"

# ---- usage ---------------------------------------------------------------------
run "no arguments" "$C/usage-none.expected" "$TALLY"
run "unknown command" "$C/usage-unknown.expected" "$TALLY" frobnicate
run "run --help" "$C/usage-run-help.expected" "$TALLY" run --help
run "bad format" "$C/usage-format.expected" "$TALLY" run policies/rushan-2020-enterprise.tally x.csv --format xml
run "missing file" "$C/missing-file.expected" "$TALLY" check no/such/policy.tally
"$TALLY" --version | grep -q '^tally [0-9]'
expect "--version" $?

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
