#!/usr/bin/env bash
# Runs the suite with the deliberately wrong migrations in selftest/broken/ and checks
# that every case fails, each at the step selftest/broken/README.md names. Proves the
# suite's checks can fail. Takes about as long as the suite itself.
#
# The last line is "e2e-selftest: N passed, M failed"; exit 1 iff M > 0.
set -u
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp /tmp/unlink-e2e-selftest.XXXXXX)
trap 'rm -f "$out"' EXIT

E2E_MIGRATE_WITH=$E2E_DIR/selftest/broken bash "$E2E_DIR/run.sh" "$@" 2>&1 | tee "$out"

passed=0
failed=0
expect() { # CASE STEP-REGEX
    if grep -qE "^  \[$1\] ($2)  FAIL" "$out"; then
        echo "selftest: $1 failed at step $2 as it must"
        passed=$((passed + 1))
    elif grep -q "^PASS $1\$" "$out"; then
        echo "selftest: $1 PASSED with a wrong migration: the suite missed it"
        failed=$((failed + 1))
    elif grep -q "^FAIL $1 " "$out"; then
        echo "selftest: $1 failed, but not at step $2"
        failed=$((failed + 1))
    else
        echo "selftest: $1 did not run"
        failed=$((failed + 1))
    fi
}
cases=("$@")
[ "${#cases[@]}" -eq 0 ] && cases=(seed vars chain groups split exposed unread)
for c in "${cases[@]}"; do
    case $c in
        seed) expect seed c ;;
        vars) expect vars e ;;
        chain) expect chain c ;;
        groups) expect groups 'c|d|f' ;;
        split) expect split e ;;
        exposed) expect exposed b ;;
        unread) expect unread c ;;
        *) echo "selftest: no expectation for $c"; failed=$((failed + 1)) ;;
    esac
done
echo "e2e-selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
