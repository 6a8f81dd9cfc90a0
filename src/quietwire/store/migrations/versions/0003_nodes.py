"""Several nodes on one database: the shared settings' fingerprint, node leases, blob owners.

- `instance_settings`: one row, written by the first node at `init`: the settings every
  node must share (KDF parameters, blob store) and an HMAC keyed with the pepper, never the
  pepper itself, so a node with another pepper is refused while a database dump alone still
  cannot test codenames offline.
- `node_leases`: each serving node renews its row; one that stops renewing is dead.
- `blob_records.node`: the node writing a blob, so a dead node's uploads are known dead.

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
        "instance_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pepper_check", sa.String(length=64), nullable=False),
        sa.Column("kdf_memory_kib", sa.Integer(), nullable=False),
        sa.Column("kdf_time_cost", sa.Integer(), nullable=False),
        sa.Column("blob_store", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "node_leases",
        sa.Column("node", sa.String(length=32), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("node"),
    )
    with op.batch_alter_table("blob_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("node", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_blob_records_node"), ["node"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("blob_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blob_records_node"))
        batch_op.drop_column("node")
    op.drop_table("node_leases")
    op.drop_table("instance_settings")
