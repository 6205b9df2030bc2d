"""volunteers

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "volunteers",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    # Case-insensitive uniqueness: Jane@Church.org and jane@church.org are one volunteer.
    op.create_index("ix_volunteers_email_lower", "volunteers", [sa.text("lower(email)")], unique=True)


def downgrade() -> None:
    op.drop_index("ix_volunteers_email_lower", table_name="volunteers")
    op.drop_table("volunteers")
