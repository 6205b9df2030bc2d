"""signups

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signups",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column(
            "volunteer_id",
            sa.BigInteger,
            sa.ForeignKey("volunteers.id", name="fk_signups_volunteer", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "event_id",
            sa.BigInteger,
            sa.ForeignKey("events.id", name="fk_signups_event", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        # A volunteer signs up for an event once; the unique index also serves lookups by volunteer.
        sa.UniqueConstraint("volunteer_id", "event_id", name="uq_signups_volunteer_event"),
    )
    op.create_index("ix_signups_event_id", "signups", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_signups_event_id", table_name="signups")
    op.drop_table("signups")
