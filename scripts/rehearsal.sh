#!/usr/bin/env bash
# npm run rehearsal [-- --paths]: installs what is missing, builds the bundles if they are absent, and plays the
# README's workflows through the workflow runner (test-support/workflow-runner) against local servers: push ->
# gate -> ship, the rollback button, a bad release rolled back automatically, the nightly backup with pruning, the
# drill, and backup + migrate against a locked database; with --paths a PR preview's life and a promotion stopped
# in staging. Exits 0 only if every expected outcome happened (see scripts/rehearsal/main.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Bundles are committed; build them only in a checkout that has none.
[ -d dist ] || npm run build
exec npx tsx scripts/rehearsal/main.ts "$@"
