#!/bin/sh
# run-unit.sh -- run every cmocka unit test binary given, count their test
# cases from cmocka's own summary lines, print
# "unit: N passed, N failed, N skipped" and fail if any case failed.
#
#   sh tests/run-unit.sh [--counts FILE] BINARY...
#
# --counts FILE also writes "PASSED FAILED SKIPPED" to FILE, for the total
# that make check prints last (tests/summary.sh).  A binary that fails
# without cmocka's FAILED line (a crash, a sanitizer report) counts as one
# failed case.
counts=
if [ "${1:-}" = --counts ]; then
	counts=$2
	shift 2
fi
passed=0 failed=0 skipped=0
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

# sum LABEL: the total of cmocka's "[  LABEL ] N test(s)" counts in $out
# (stdout and stderr share the file, so a count may follow other text).
sum() {
	grep -o "\[  $1 *\] [0-9][0-9]*" "$out" | awk '{ s += $NF } END { print s + 0 }'
}

for t in "$@"; do
	"$t" > "$out" 2>&1
	rc=$?
	cat "$out"
	p=$(sum PASSED) f=$(sum FAILED) s=$(sum SKIPPED)
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || {
		f=1
		echo "FAIL $(basename "$t"): exit status $rc"
	}
	sed -n "s/^\[  SKIPPED \] \([A-Za-z_][A-Za-z0-9_]*\)\$/skip $(basename "$t") \1/p" "$out" |
	    sort -u
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
[ -z "$counts" ] || echo "$passed $failed $skipped" > "$counts"
echo "unit: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
