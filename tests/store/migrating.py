"""Moving a test database to any revision of the migrations, as older ptghubs left it."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from ptghub.store.engine import MIGRATIONS, make_engine, migrating

SCRIPTS = ScriptDirectory(str(MIGRATIONS))


def revisions() -> list[str]:
    """Every revision in store/migrations/versions, oldest first (one line of them)."""
    return [script.revision for script in SCRIPTS.walk_revisions()][::-1]


def has_downgrade(revision: str) -> bool:
    """Whether the revision's module can undo it: it has a ``downgrade`` that does more
    than refuse."""
    downgrade = getattr(SCRIPTS.get_revision(revision).module, "downgrade", None)
    return downgrade is not None and "NotImplementedError" not in inspect.getsource(downgrade)


def _run(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with migrating(engine) as connection:  # as ptghub itself migrates
        config.attributes["connection"] = connection
        step(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Down to ``revision``; "base" undoes them all."""
    _run(engine, command.downgrade, revision)


def at_revision(database_url: str, revision: str) -> Engine:
    """An engine on the database, brought up to ``revision``."""
    engine = make_engine(database_url)
    upgrade(engine, revision)
    return engine
