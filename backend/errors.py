"""Named exceptions that services raise. They carry data, never translated text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager


class DomainError(Exception):
    """Base class for expected failures that the edges turn into typed errors."""


class NotAllowed(DomainError):
    """The actor may not do this. ``action`` names what was refused.

    ``code`` says why, where a rule (not the actor's role) refuses it: ``own_action`` when an action's owner would
    sign it off, ``own_story`` when a story's author would approve it. It is ``not_allowed`` otherwise.
    """

    def __init__(self, action: str, code: str = "not_allowed", **params: object):
        super().__init__(action)
        self.action = action
        self.code = code
        self.params = params


class NotFound(DomainError):
    """No ``entity`` with this ``key`` is visible to the actor."""

    def __init__(self, entity: str, key: object = None):
        super().__init__(f"{entity} {key!r}")
        self.entity = entity
        self.key = key


#: Where a value is in a service's input, in the service's own names: ``("decisions", 2, "reasons")``.
InputPath = tuple[str | int, ...]


class Invalid(DomainError):
    """A value is unacceptable. ``code`` is a stable machine-readable reason.

    ``field`` chooses the wording of the message. ``at`` says where the value is in the input and is
    ``(field,)`` unless given. One Invalid may stand for several problems with the same input (see
    :func:`gather`): ``problems`` lists each, and the first speaks for them all in ``field`` and ``code``.
    """

    def __init__(self, field: str, code: str, *, at: InputPath | None = None, **params: object):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.params = params
        self.at: InputPath = at if at is not None else (field,)
        self.problems: tuple[Invalid, ...] = (self,)

    @classmethod
    def many(cls, problems: Sequence[Invalid]) -> Invalid:
        """One error for every problem in ``problems`` (and theirs), in order; there must be at least one."""
        listed = tuple(problem for error in problems for problem in error.problems)
        first = listed[0]
        error = cls(first.field, first.code, at=first.at, **first.params)
        error.problems = listed
        return error

    def under(self, *prefix: str | int) -> Invalid:
        """The same problems, found inside the part of a larger input at ``prefix``."""
        if not prefix:
            return self
        return Invalid.many([Invalid(p.field, p.code, at=(*prefix, *p.at), **p.params) for p in self.problems])


class Problems:
    """The problems found so far while checking one input (see :func:`gather`)."""

    def __init__(self) -> None:
        self.found: list[Invalid] = []

    def add(self, field: str, code: str, *, at: InputPath | None = None, **params: object) -> None:
        """Record a problem and carry on checking."""
        self.found.append(Invalid(field, code, at=at, **params))

    @contextmanager
    def check(self, *under: str | int) -> Iterator[None]:
        """Record an Invalid raised in the block instead of stopping, placed under ``under`` in the input."""
        try:
            yield
        except Invalid as error:
            self.found.extend(error.under(*under).problems)


@contextmanager
def gather() -> Iterator[Problems]:
    """Check every part of one input, then raise one Invalid that lists every problem found.

    Use it as ``with gather() as problems:``, recording problems with ``problems.add`` or letting
    checks raise inside ``with problems.check():``. An Invalid raised straight out of the block joins
    the problems found before it.
    """
    problems = Problems()
    try:
        yield problems
    except Invalid as error:
        raise Invalid.many([*problems.found, error]) from None
    if problems.found:
        raise Invalid.many(problems.found)


class Conflict(DomainError):
    """The change clashes with the current state (``code`` says how)."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


class Throttled(DomainError):
    """Too many attempts; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after
