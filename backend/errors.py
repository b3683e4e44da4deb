"""Named exceptions that services raise. They carry data, never translated text."""

from __future__ import annotations


class DomainError(Exception):
    """Base class for expected failures that the edges turn into typed errors."""


class NotAllowed(DomainError):
    """The actor may not do this. ``action`` names what was refused."""

    def __init__(self, action: str):
        super().__init__(action)
        self.action = action


class NotFound(DomainError):
    """No ``entity`` with this ``key`` is visible to the actor."""

    def __init__(self, entity: str, key: object = None):
        super().__init__(f"{entity} {key!r}")
        self.entity = entity
        self.key = key


class Invalid(DomainError):
    """A value is unacceptable. ``code`` is a stable machine-readable reason."""

    def __init__(self, field: str, code: str, **params: object):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.params = params


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
