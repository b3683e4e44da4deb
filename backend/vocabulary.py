"""Closed vocabularies: the codes a field may hold, each with an English description.

A vocabulary is declared once, next to the model that owns it, and the peewee field points at it with
``choices=``. Its codes are what is stored, sent through the API, exported and written to the audit trail,
so they stay lowercase ``snake_case`` and are never renamed. Members are strings (``ComplaintStatus.OPEN ==
"open"``), so services compare and store them as they do any code. The API turns each vocabulary into an
enumeration whose values are these codes, described by the class docstring and each member's description.

    class ClockKind(Vocabulary):
        \"\"\"What a working-day clock times.\"\"\"

        ACKNOWLEDGE = "acknowledge", "The time to acknowledge the complaint."
        RESPOND = "respond", "The time to respond to the complaint."
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Self

_listeners: list[Callable[[type[Vocabulary]], Any]] = []


class Vocabulary(enum.StrEnum):
    """A closed set of codes. Each member is written ``NAME = "code", "What the code means."``."""

    description: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for listener in _listeners:
            listener(cls)

    def __new__(cls, code: str, description: str) -> Vocabulary:
        member = str.__new__(cls, code)
        member._value_ = code
        member.description = description
        return member

    @classmethod
    def of(cls, code: str) -> Self:
        """The member whose code is ``code``. Raises ValueError for a code not in the vocabulary."""
        for member in cls:
            if member.value == code:
                return member
        raise ValueError(f"{code!r} is not a {cls.__name__} code")

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """Every code, in declaration order, as plain strings."""
        return tuple(str(member.value) for member in cls)


def vocabulary_of(model_field: Any) -> type[Vocabulary] | None:
    """The vocabulary a peewee field holds (its ``choices``), or None for a field without one."""
    choices = getattr(model_field, "choices", None)
    return choices if isinstance(choices, type) and issubclass(choices, Vocabulary) else None


def when_declared(listener: Callable[[type[Vocabulary]], Any]) -> None:
    """Call ``listener`` with every vocabulary declared so far, then with each one as it is declared."""
    _listeners.append(listener)
    for vocabulary in all_vocabularies():
        listener(vocabulary)


def all_vocabularies() -> list[type[Vocabulary]]:
    """Every vocabulary declared so far (each module that declares one must have been imported)."""
    found: list[type[Vocabulary]] = []
    pending = list(Vocabulary.__subclasses__())
    while pending:
        vocabulary = pending.pop(0)
        found.append(vocabulary)
        pending.extend(vocabulary.__subclasses__())
    return found
