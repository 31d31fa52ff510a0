"""People: a display name and the chat nicks they use (``alice``, ``alice_``, ``@alice:matrix``).

Roles are granted to nicks; the store gives every actor the keys of all nicks of their
person, so a role granted under one nick holds under the others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from ptghub.core.errors import Conflict, InvalidInput, NotFound
from ptghub.core.model import Actor, nick_key
from ptghub.core.validate import MAX_NAME, check_nick, check_text
from ptghub.store import tables as t
from ptghub.store.engine import writing

# Every nick key of the person who uses nick key :key (none when no person does). Built
# once: it runs after every command that owes subscribers a notice.
_MINE, _THEIRS = t.nicks.alias("mine"), t.nicks.alias("theirs")
_ALIASES = (
    select(_THEIRS.c.nick_key)
    .select_from(_MINE.join(_THEIRS, _THEIRS.c.person_id == _MINE.c.person_id))
    .where(_MINE.c.nick_key == bindparam("key"))
)


def person_nicks(engine: Engine, person_id: int) -> list[str]:
    """The person's nicks (chat identities, and the one they act as on the web), by key."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(t.nicks.c.nick)
                .where(t.nicks.c.person_id == person_id)
                .order_by(t.nicks.c.nick_key)
            ).scalars()
        )


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    display_name: str
    nicks: tuple[str, ...]


class People:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, display_name: str, nicks: list[str]) -> Person:
        """Record a person with one or more nicks; a nick belongs to one person only."""
        name = check_text(display_name, what="display name", limit=MAX_NAME)
        if not nicks:
            raise InvalidInput("A person needs at least one nick.")
        checked = [check_nick(n) for n in nicks]
        try:
            with writing(self.engine) as conn:
                result = conn.execute(insert(t.people).values(display_name=name))
                assert result.inserted_primary_key is not None
                person_id = int(result.inserted_primary_key[0])
                conn.execute(
                    insert(t.nicks),
                    [{"nick_key": nick_key(n), "nick": n, "person_id": person_id} for n in checked],
                )
        except IntegrityError:
            taken = [p for n in checked if (p := self.find(n)) is not None]
            owner = taken[0] if taken else None
            raise Conflict(
                f"A nick is already taken by {owner.display_name} ({', '.join(owner.nicks)})."
                if owner
                else "The same nick is listed twice."
            ) from None
        return Person(person_id, name, tuple(checked))

    def find(self, nick: str) -> Person | None:
        with self.engine.connect() as conn:
            owner = conn.execute(
                select(t.nicks.c.person_id).where(t.nicks.c.nick_key == nick_key(nick))
            ).scalar()
        if owner is None:
            return None
        return next(p for p in self.list() if p.id == owner)

    def get(self, nick: str) -> Person:
        person = self.find(nick)
        if person is None:
            raise NotFound(f"No person uses the nick '{nick}'; 'ptghub person list' shows them.")
        return person

    def list(self) -> list[Person]:
        with self.engine.connect() as conn:
            people = conn.execute(select(t.people).order_by(t.people.c.id)).all()
            rows = conn.execute(select(t.nicks).order_by(t.nicks.c.nick_key)).all()
        by_person: dict[int, list[str]] = {}
        for row in rows:
            by_person.setdefault(row.person_id, []).append(row.nick)
        return [Person(p.id, p.display_name, tuple(by_person.get(p.id, []))) for p in people]

    @staticmethod
    def actor(conn: Connection, actor: Actor) -> Actor:
        """``actor`` with the keys of all nicks of its person (read on ``conn``)."""
        keys = conn.execute(_ALIASES, {"key": actor.key}).scalars()
        aliases = frozenset(keys) - {actor.key}
        if not aliases:
            return actor
        return replace(actor, aliases=aliases)

    def with_aliases(self, actor: Actor) -> Actor:
        """``actor`` as the store's write path sees it when roles matter (``actor``, on
        a connection of its own): for pages that show what a person may do."""
        with self.engine.connect() as conn:
            return People.actor(conn, actor)
