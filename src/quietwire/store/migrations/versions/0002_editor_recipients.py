"""Editors hold their age recipient; seals record who a submission was encrypted to.

Before this revision the recipients lived in the config file, apart from the editors, and a
submission was delivered only to the editors that existed when it arrived: one sent before
the first `editors add` went to nobody and was purged unread. Now:

- `editors.recipient`: the editor's age key. Accounts made earlier get none (nothing says
  which key is theirs); `doctor` and `serve` refuse them until `editors set-recipient`.
- `unclaimed_recipients`: the config's recipients, moved here (the caller hands them over
  as `legacy_recipients`); every one is kept, none dropped, and reported until an editor
  claims it.
- `seals`: every existing submission is recorded as sealed to those recipients, the best
  knowledge there is of what it was encrypted to, so an editor who claims one of them is
  delivered what is still waiting.
- `deletion_requests`: a source deleted by one editor while others have not fetched it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("editors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_editors_recipient"), ["recipient"], unique=False)
    unclaimed = op.create_table(
        "unclaimed_recipients",
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recipient"),
    )
    op.create_table(
        "seals",
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("submission_id", "recipient"),
    )
    with op.batch_alter_table("seals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seals_recipient"), ["recipient"], unique=False)
    op.create_table(
        "deletion_requests",
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("editor_id", sa.String(length=32), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["editor_id"], ["editors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "editor_id"),
    )

    legacy = list(dict.fromkeys(context.config.attributes.get("legacy_recipients", ())))
    if not legacy:
        return
    from datetime import UTC, datetime

    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    op.bulk_insert(unclaimed, [{"recipient": r, "created": hour} for r in legacy])
    # One INSERT ... SELECT per recipient: every submission already stored is sealed to it.
    seals = sa.table("seals", sa.column("submission_id"), sa.column("recipient"))
    submissions = sa.table("submissions", sa.column("id"))
    for r in legacy:
        op.execute(
            seals.insert().from_select(
                ["submission_id", "recipient"],
                sa.select(submissions.c.id, sa.literal(r, sa.String(100))),
            )
        )


def downgrade() -> None:
    op.drop_table("deletion_requests")
    with op.batch_alter_table("seals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seals_recipient"))
    op.drop_table("seals")
    op.drop_table("unclaimed_recipients")
    with op.batch_alter_table("editors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_editors_recipient"))
        batch_op.drop_column("recipient")
