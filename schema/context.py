"""What every resolver can see: the acting person, their language and the request id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backend.context import ANONYMOUS, Actor


def _identity(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    """Choose the English form and fill in ``%(num)s``, as Flask-Babel's ``ngettext`` does."""
    return (singular if n == 1 else plural) % {"num": n}


@dataclass
class Context:
    actor: Actor = ANONYMOUS
    locale: str = "en"
    gettext: Callable[[str], str] = _identity
    ngettext: Callable[[str, str, int], str] = _english_plural
    request_id: str | None = None
    # Set by the HTTP edge so resolvers can add headers (for example, cookies are never set here).
    response: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
