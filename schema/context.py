"""What every resolver can see: the acting person, their language and the request id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backend.context import ANONYMOUS, Actor


def _identity(message: str) -> str:
    return message


@dataclass
class Context:
    actor: Actor = ANONYMOUS
    locale: str = "en"
    gettext: Callable[[str], str] = _identity
    request_id: str | None = None
    # Set by the HTTP edge so resolvers can add headers (for example, cookies are never set here).
    response: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
