#!/bin/sh
# run.sh -- run every test_* function of every tests/integration/t_*.sh,
# each in its own subshell and temp dir, and print "N passed, N failed".
#
#   sh tests/integration/run.sh [FILTER]    (FILTER: substring of a name)
ROOT=$(pwd)
export ROOT
dir=$ROOT/tests/integration
passed=0 failed=0 failures=
per_test_timeout=${PROCD_TEST_TIMEOUT:-120}

for f in "$dir"/t_*.sh; do
	for t in $(grep -o '^test_[a-z0-9_]*' "$f"); do
		case "$t" in *"${1:-}"*) ;; *) continue ;; esac
		log=$(mktemp)
		if timeout -k 5 "$per_test_timeout" sh -c "
		    . '$dir/lib.sh'; . '$f'; setup
		    trap teardown EXIT
		    trap 'exit 1' TERM INT
		    $t" >"$log" 2>&1; then
			passed=$((passed + 1))
			echo "ok   $(basename "$f" .sh) $t"
		else
			failed=$((failed + 1))
			failures="$failures $t"
			echo "FAIL $(basename "$f" .sh) $t"
			sed 's/^/    | /' "$log" | tail -30
		fi
		rm -f "$log"
	done
done
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
