"""Persistence: SQLAlchemy tables, Alembic migrations, the audited command transaction."""
