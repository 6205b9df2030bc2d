"""Alembic environment: the URL comes from DATABASE_URL, never from alembic.ini.

Self-contained on purpose (no import of the app package): the PRE_DEPLOY job and the pipeline's migrate
action run it with nothing but Alembic, SQLAlchemy and psycopg2 installed.
"""

from __future__ import annotations

import os
import sys
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# No ORM models: revisions are written by hand, autogenerate is not used.
target_metadata = None


def database_url() -> str | None:
    """DATABASE_URL as a SQLAlchemy psycopg2 URL; accepts postgres:// and postgresql:// spellings."""
    raw = os.environ.get("DATABASE_URL", "").strip()
    if not raw:
        return None
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme not in ("postgres", "postgresql", "postgresql+psycopg2"):
        sys.exit("DATABASE_URL must be a postgres:// or postgresql:// URL")
    # SQLAlchemy 1.4+ rejects the postgres:// alias that Heroku-style providers still hand out.
    return "postgresql+psycopg2://" + rest


def run_migrations_offline() -> None:
    """`alembic upgrade head --sql`: render SQL only. Works without a database (and without DATABASE_URL)."""
    url = database_url()
    options = {"url": url} if url else {"dialect_name": "postgresql"}
    context.configure(
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        transaction_per_migration=True,
        **options,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    if url is None:
        sys.exit("DATABASE_URL is not set")
    # The URL goes straight to create_engine: putting it into the ini config would break on '%' in passwords.
    engine = create_engine(url, poolclass=pool.NullPool, connect_args={"connect_timeout": 10})
    with engine.connect() as connection:
        # One transaction per revision: a failure keeps every earlier revision applied and recorded.
        context.configure(connection=connection, target_metadata=target_metadata, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
