"""Alembic environment: run against the connection QuietWire hands over."""

from alembic import context

from quietwire.store._models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies tables (and works on PostgreSQL).
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
