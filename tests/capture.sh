# tests/capture.sh — sourced by tests/cli.sh and tests/badcsv.sh: the one
# definition of an expected file's layout.
#
# capture EXPECTED CMD...: run CMD, write its standard output, a line
# "--- stderr", its standard error and "--- exit N" to $TMP/actual (and to
# EXPECTED when UPDATE is set); $status is CMD's exit status.  Returns 0 when
# $TMP/actual equals EXPECTED byte for byte.
capture() {
  cap_expected=$1
  shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  status=$?
  {
    cat "$TMP/out"
    echo "--- stderr"
    cat "$TMP/err"
    echo "--- exit $status"
  } >"$TMP/actual"
  if [ -n "$UPDATE" ]; then
    cp "$TMP/actual" "$cap_expected"
  fi
  cmp -s "$TMP/actual" "$cap_expected"
}
