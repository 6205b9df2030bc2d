"""Configuration from the environment, read once at start-up.

A bad value stops the process with one line naming the variable, so a broken release fails its
deployment instead of serving half-configured.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

# Counted from import, which is process start for uvicorn: /health reports it as uptime_seconds.
STARTED_MONOTONIC = time.monotonic()


class ConfigError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str  # libpq form (postgresql://...), usable by psycopg2
    redis_url: Optional[str]
    app_version: str
    # TEST HOOK (rehearsals/tests only): the database check fails once the process is this many seconds old.
    chaos_db_fail_after_seconds: Optional[float]


def libpq_url(raw: str) -> str:
    """Accept postgres://, postgresql:// and postgresql+psycopg2:// (Heroku/DO/SQLAlchemy spellings)."""
    url = raw.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("postgres", "postgresql", "postgresql+psycopg2"):
        raise ConfigError("DATABASE_URL must be a postgres:// or postgresql:// URL")
    return "postgresql://" + rest


def url_password(url: str) -> Optional[str]:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _optional_seconds(name: str) -> Optional[float]:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}")
    return value


def load() -> Settings:
    raw_db = os.environ.get("DATABASE_URL", "")
    if raw_db.strip() == "":
        raise ConfigError("DATABASE_URL is not set")
    redis_url = os.environ.get("REDIS_URL", "").strip() or None
    return Settings(
        database_url=libpq_url(raw_db),
        redis_url=redis_url,
        app_version=os.environ.get("APP_VERSION", "").strip() or "unknown",
        chaos_db_fail_after_seconds=_optional_seconds("CHAOS_DB_FAIL_AFTER_SECONDS"),
    )


def uptime_seconds() -> float:
    return time.monotonic() - STARTED_MONOTONIC
