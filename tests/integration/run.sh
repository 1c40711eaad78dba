#!/bin/sh
# run.sh -- run every test_* function of every tests/integration/t_*.sh,
# each in its own subshell and temp dir, and print
# "N passed, N failed, N skipped".  A test that calls skip (lib.sh) exits
# 77 and is counted as skipped, with its reason.
#
#   sh tests/integration/run.sh [FILTER]    (FILTER: substring of a name)
#
# PROCD_COUNTS=FILE also writes "PASSED FAILED SKIPPED" to FILE (make check
# adds them to the unit tests'); PROCD_SUMMARY_PREFIX goes before the line.
ROOT=$(pwd)
export ROOT
dir=$ROOT/tests/integration
passed=0 failed=0 skipped=0 failures=
per_test_timeout=${PROCD_TEST_TIMEOUT:-$((120 * ${PROCD_TEST_SLOW:-1}))}

for f in "$dir"/t_*.sh; do
	# A file whose tests build or install more than a test's usual
	# share says so: "# per-test timeout: SECONDS" (times SLOW).
	tmo=$(sed -n 's/^# per-test timeout: \([0-9]*\)$/\1/p' "$f")
	tmo=${PROCD_TEST_TIMEOUT:-${tmo:+$((tmo * ${PROCD_TEST_SLOW:-1}))}}
	tmo=${tmo:-$per_test_timeout}
	for t in $(grep -o '^test_[a-z0-9_]*' "$f"); do
		case "$t" in *"${1:-}"*) ;; *) continue ;; esac
		log=$(mktemp)
		timeout -k 5 "$tmo" sh -c "
		    . '$dir/lib.sh'; . '$f'; setup
		    trap teardown EXIT
		    trap 'exit 1' TERM INT
		    $t" >"$log" 2>&1
		rc=$?
		name="$(basename "$f" .sh) $t"
		case $rc in
		0)	passed=$((passed + 1))
			echo "ok   $name" ;;
		77)	skipped=$((skipped + 1))
			echo "skip $name: $(sed -n 's/^skip: //p' "$log" |
			    tail -1)" ;;
		*)	failed=$((failed + 1))
			failures="$failures $t"
			echo "FAIL $name"
			sed 's/^/    | /' "$log" | tail -30 ;;
		esac
		rm -f "$log"
	done
done
[ -z "$failures" ] || echo "failed:$failures"
[ -z "${PROCD_COUNTS:-}" ] ||
    echo "$passed $failed $skipped" > "$PROCD_COUNTS"
echo "${PROCD_SUMMARY_PREFIX:-}$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
