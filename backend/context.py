"""Who is acting, and under which request id. Set at the request or task boundary."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass, field

from backend.vocabulary import Vocabulary


class Role(Vocabulary):
    """A role someone holds: it decides what they see and may do."""

    RESIDENT = "resident", "A resident: their own home, contacts and complaints."
    ADVOCATE = "advocate", "Acts for residents who consented: their contacts and complaints."
    PANEL_MEMBER = "panel_member", "A member of a scrutiny panel: published, redacted material only."
    STAFF = "staff", "Handles contacts and complaints."
    MANAGER = "manager", "Staff who also authorise extensions and edit the wording of messages."
    ADMIN = "admin", "Staff who also configure the complaints procedures and the site's settings."


ROLES = Role.codes()
STAFF_ROLES = frozenset({"staff", "manager", "admin"})

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


@dataclass(frozen=True)
class Actor:
    """The person (or their API token) on whose behalf a service runs."""

    user_id: int | None
    roles: frozenset[str] = field(default_factory=frozenset)
    token_id: int | None = None
    scope: str | None = None
    label: str = ""

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def can_write(self) -> bool:
        return self.token_id is None or self.scope == "write"


ANONYMOUS = Actor(user_id=None, label="anonymous")
SYSTEM = Actor(user_id=None, roles=frozenset({"system"}), label="system")


def set_request_id(value: str | None = None) -> str:
    request_id = value or uuid.uuid4().hex
    _request_id.set(request_id)
    return request_id


def get_request_id() -> str | None:
    return _request_id.get()
