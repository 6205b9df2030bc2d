"""FastAPI application: GET /health for the pipeline, plus the volunteer-scheduling endpoints.

Run (cwd examples/signupflow): ./run.sh, or
  /usr/bin/python3 -m uvicorn app.main:app --host 127.0.0.1 --port $PORT
"""

from __future__ import annotations

import logging
import sys
from typing import Callable, Optional
from urllib.parse import unquote

import psycopg2
import psycopg2.pool
import redis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from . import settings as settings_module
from .db import Database
from .domain import router as domain_router
from .health import run_checks

log = logging.getLogger("signupflow")

try:
    settings = settings_module.load()
except settings_module.ConfigError as exc:
    # One line, then exit: uvicorn would otherwise print a traceback around a configuration mistake.
    print(f"signupflow: configuration error: {exc}", file=sys.stderr, flush=True)
    sys.exit(2)

_db_password = settings_module.url_password(settings.database_url)
_redis_password = settings_module.url_password(settings.redis_url) if settings.redis_url else None
# Everything a driver might echo back; masked in /health error strings.
SECRETS = [
    settings.database_url,
    _db_password,
    unquote(_db_password) if _db_password else None,
    settings.redis_url,
    _redis_password,
    unquote(_redis_password) if _redis_password else None,
]

app = FastAPI(title="SignUpFlow", version=settings.app_version)
app.state.db = Database(settings.database_url)
app.include_router(domain_router)

_redis_client: Optional[redis.Redis] = (
    redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
    if settings.redis_url
    else None
)


def _ping_redis() -> None:
    assert _redis_client is not None
    _redis_client.ping()


@app.get("/health")
def health() -> JSONResponse:
    ping_redis: Optional[Callable[[], None]] = _ping_redis if _redis_client is not None else None
    status, body = run_checks(
        settings, settings_module.uptime_seconds(), app.state.db.ping, ping_redis, SECRETS
    )
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


@app.get("/livez")
def livez() -> dict:
    # Liveness only: no dependency checks, so a database outage does not make the platform restart
    # every instance in a loop (readiness, /health, takes them out of rotation instead).
    return {"status": "alive", "version": settings.app_version}


@app.get("/")
def index() -> dict:
    return {"service": "signupflow", "version": settings.app_version}


@app.exception_handler(psycopg2.OperationalError)
@app.exception_handler(psycopg2.pool.PoolError)
async def database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", type(exc).__name__)
    return JSONResponse({"detail": "database unavailable"}, status_code=503)


@app.on_event("shutdown")
def close_pool() -> None:
    app.state.db.close()
