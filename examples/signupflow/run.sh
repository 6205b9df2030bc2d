#!/usr/bin/env bash
# Start SignUpFlow locally. Environment: DATABASE_URL (required), REDIS_URL (optional), APP_VERSION,
# PORT (default 8000), HOST (default 127.0.0.1), PYTHON (default Debian's /usr/bin/python3, which has
# fastapi/uvicorn/psycopg2/redis; the pyenv python3 on PATH does not).
set -euo pipefail
cd "$(dirname "$0")"
python="${PYTHON:-/usr/bin/python3}"
args=(-m uvicorn app.main:app --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}")
# uvicorn >= 0.20 caps the drain after SIGTERM itself; Debian's 0.17 lacks the flag, and there the app's
# statement/connect timeouts bound every request instead (see README, "Shutdown").
if "$python" -c 'import inspect, sys, uvicorn
sys.exit("timeout_graceful_shutdown" not in inspect.signature(uvicorn.Config).parameters)' 2>/dev/null; then
  args+=(--timeout-graceful-shutdown 25)
fi
exec "$python" "${args[@]}"
