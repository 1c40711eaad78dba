#!/bin/sh
# summary.sh -- the last line of make check: the sum of the counts files
# ("PASSED FAILED SKIPPED") that run-unit.sh and integration/run.sh wrote,
# as "N passed, N failed, N skipped".  A missing file (its runner did not
# finish) counts as a failure.
passed=0 failed=0 skipped=0
for f in "$@"; do
	if ! read -r p x s < "$f" 2>/dev/null; then
		echo "summary: no counts in $f" >&2
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + p)) failed=$((failed + x)) skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
