"""Alembic environment: passu passes its own connection (see database.upgrade)."""

from alembic import context

from passu.portfolio.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - passu always passes a connection
    raise RuntimeError("run migrations through `passu init`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
