"""PostgreSQL access: a small thread-safe pool for the domain endpoints, and a one-off ping for /health."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Optional

import psycopg2
import psycopg2.extensions
import psycopg2.pool

# Every query is bounded, so no request outlives the 25 s graceful-shutdown budget even on a uvicorn too
# old to enforce one itself (Debian's 0.17).
CONNECT_TIMEOUT_SECONDS = 3
STATEMENT_TIMEOUT_MS = 10_000
POOL_MAX_CONNECTIONS = 10


class Database:
    def __init__(self, url: str) -> None:
        self._url = url
        self._pool: Optional[psycopg2.pool.ThreadedConnectionPool] = None
        self._lock = threading.Lock()

    def _connect_kwargs(self, application_name: str, statement_timeout_ms: int) -> dict:
        return {
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": application_name,
            "options": f"-c statement_timeout={statement_timeout_ms}",
        }

    def _get_pool(self) -> psycopg2.pool.ThreadedConnectionPool:
        # Created lazily (minconn 0) so the app starts, and reports on /health, while the database is down.
        with self._lock:
            if self._pool is None:
                self._pool = psycopg2.pool.ThreadedConnectionPool(
                    0, POOL_MAX_CONNECTIONS, self._url, **self._connect_kwargs("signupflow", STATEMENT_TIMEOUT_MS)
                )
            return self._pool

    @contextmanager
    def transaction(self) -> Iterator[psycopg2.extensions.cursor]:
        """A cursor inside one transaction: committed on success, rolled back on any exception."""
        pool = self._get_pool()
        conn = pool.getconn()
        broken = False
        try:
            with conn.cursor() as cur:
                yield cur
            conn.commit()
        except BaseException as exc:
            broken = isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError)) or conn.closed != 0
            if not conn.closed:
                try:
                    conn.rollback()
                except psycopg2.Error:
                    broken = True
            raise
        finally:
            # A connection that failed at the transport level is dropped, not handed to the next request.
            pool.putconn(conn, close=broken or conn.closed != 0)

    def ping(self) -> None:
        """Open a fresh connection and run SELECT 1: proves reachability and credentials right now."""
        conn = psycopg2.connect(self._url, **self._connect_kwargs("signupflow-health", 3_000))
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchone()
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None
