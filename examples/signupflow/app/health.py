"""The /health body the pipeline's health gate reads (DESIGN.md, health-gate contract)."""

from __future__ import annotations

from typing import Callable, Dict, Iterable, Optional, Tuple

from .settings import Settings

MAX_ERROR_LENGTH = 200


def safe_error(exc: BaseException, secrets: Iterable[Optional[str]]) -> str:
    """One line for the body: never the DSN or a password, whatever the driver put in its message."""
    first_line = (str(exc).strip().splitlines() or [""])[0]
    # Longest first, so a URL is masked whole before the password inside it.
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        first_line = first_line.replace(secret, "***")
    text = f"error: {type(exc).__name__}"
    if first_line:
        text += f": {first_line}"
    return text[:MAX_ERROR_LENGTH]


def run_checks(
    settings: Settings,
    uptime: float,
    ping_database: Callable[[], None],
    ping_redis: Optional[Callable[[], None]],
    secrets: Iterable[Optional[str]],
) -> Tuple[int, Dict[str, object]]:
    """Returns (HTTP status, body). The redis check is present only when REDIS_URL is set."""
    secrets = list(secrets)
    checks: Dict[str, str] = {}

    chaos_after = settings.chaos_db_fail_after_seconds
    if chaos_after is not None and uptime >= chaos_after:
        # TEST HOOK: stands in for a release that breaks after going live (see README, "Chaos hook").
        checks["database"] = f"error: chaos: CHAOS_DB_FAIL_AFTER_SECONDS={chaos_after:g} elapsed (test hook)"
    else:
        try:
            ping_database()
            checks["database"] = "ok"
        except Exception as exc:  # any failure is a failing check, reported without secrets
            checks["database"] = safe_error(exc, secrets)

    if ping_redis is not None:
        try:
            ping_redis()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = safe_error(exc, secrets)

    healthy = all(value == "ok" for value in checks.values())
    body: Dict[str, object] = {
        "status": "healthy" if healthy else "unhealthy",
        "version": settings.app_version,
        "uptime_seconds": int(uptime),
        "checks": checks,
    }
    return (200 if healthy else 503), body
