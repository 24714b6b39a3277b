"""Ids shown as the names people know: persons and seals."""

from __future__ import annotations

from dataclasses import dataclass

from app.admin.people import list_people
from app.admin.seals import list_seals
from app.workspace import OpenWorkspace

__all__ = ["Names", "read_names"]


@dataclass(frozen=True)
class Names:
    people: dict[str, str]
    seals: dict[str, str]

    def person(self, person_id: str | None) -> str:
        return "" if person_id is None else self.people.get(person_id, person_id)

    def seal(self, seal_id: str | None) -> str:
        return "" if seal_id is None else self.seals.get(seal_id, seal_id)


def read_names(opened: OpenWorkspace) -> Names:
    """Read on a background thread, like every other database read."""
    db = opened.db
    return Names(
        {p.id: p.name for p in list_people(db)},
        {s.id: s.name for s in list_seals(db)},
    )
