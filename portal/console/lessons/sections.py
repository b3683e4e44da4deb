"""The sections of the learning area, shown as its own navigation on every lessons page.

Each page module adds its sections at import with :func:`section`; the navigation lists them by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from portal.security import current_actor


@dataclass(frozen=True)
class Section:
    position: int
    endpoint: str
    label: Any  # a lazy translatable string
    roles: frozenset[str] | None  # None: every member of staff


SECTIONS: list[Section] = []


def section(position: int, endpoint: str, label: Any, roles: frozenset[str] | None = None) -> None:
    """Add a section to the learning area's navigation; ``roles`` limits who sees it (None: all staff)."""
    SECTIONS.append(Section(position, endpoint, label, roles))
    SECTIONS.sort(key=lambda found: found.position)


def section_links() -> list[tuple[str, str, Any]]:
    """(endpoint, address, label) of each section the signed-in person may open, in order."""
    actor = current_actor()
    return [
        (found.endpoint, url_for(found.endpoint), found.label)
        for found in SECTIONS
        if found.roles is None or actor.has_role(*found.roles)
    ]
