#!/usr/bin/env bash
# Runs the suites that talk to DynamoDB Local again and again to show a flake is gone (or find one).
# Not part of CI: it takes RUNS times a suite run. Usage:
#   scripts/repeat-tests.sh                         # 10 runs of test/integration and test/contract
#   RUNS=20 scripts/repeat-tests.sh test/e2e        # other runs, other folders
# Each failed run's output is kept in test-output/repeat/run-<n>.log; the last line is the count.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-10}"
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then suites=(test/integration test/contract); fi
mkdir -p test-output/repeat
passed=0
for n in $(seq 1 "$runs"); do
  started=$(date +%s)
  if npx vitest run "${suites[@]}" >"test-output/repeat/run-$n.log" 2>&1; then
    passed=$((passed + 1)); rm -f "test-output/repeat/run-$n.log"; result=passed
  else
    result="FAILED (test-output/repeat/run-$n.log)"
  fi
  echo "run $n/$runs: $result in $(( $(date +%s) - started )) s"
done
echo "$passed of $runs runs passed (${suites[*]})"
[ "$passed" -eq "$runs" ]
