#!/usr/bin/env bash
# npm run rehearsal: installs what is missing, builds the bundles if they are absent, and plays the push-to-main
# pipeline twice (the second release rolled back automatically), then the nightly backup and a restore drill,
# all with the real action bundles against local servers. Exits 0 only if every expected outcome happened.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Bundles are committed; build them only in a checkout that has none.
[ -d dist ] || npm run build
exec npx tsx scripts/rehearsal/main.ts "$@"
