#!/usr/bin/env bash
# The test command (npm test): installs what is missing, starts the local stack once (PostgreSQL, Ceph RGW,
# OCI registry on free loopback ports), runs every jest suite against it, and stops the stack on every exit path.
#   npm test                    all suites
#   npm test -- __tests__/kit   jest arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/app-pipeline-test.XXXXXX")
# Every temporary file of the run (tests, servers, bundles they start) lands here and goes with it.
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
stack_pid=""
cleanup() {
  if [ -n "$stack_pid" ] && kill -0 "$stack_pid" 2>/dev/null; then
    kill -TERM "$stack_pid" 2>/dev/null || true
    wait "$stack_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# node itself (not npx) so that `kill; wait` lasts until the servers are down.
node --import tsx test-support/stack-cli.ts start --json "$work/stack.json" >"$work/stack.log" 2>&1 &
stack_pid=$!
for _ in $(seq 1 240); do
  [ -s "$work/stack.json" ] && break
  kill -0 "$stack_pid" 2>/dev/null || { cat "$work/stack.log" >&2; echo "test: the local stack failed to start" >&2; exit 1; }
  sleep 0.5
done
[ -s "$work/stack.json" ] || { cat "$work/stack.log" >&2; echo "test: the local stack did not start within 120 s" >&2; exit 1; }

export APP_PIPELINE_STACK="$work/stack.json"
status=0
NODE_OPTIONS=--experimental-vm-modules NODE_NO_WARNINGS=1 npx jest --json --outputFile="$work/results.json" "$@" || status=$?
# One plain closing line, the same whatever the runner prints above it.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' "$work/results.json" || echo "Tests: 0 passed, 1 failed"
exit "$status"
