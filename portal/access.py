"""Gate each area by role: anonymous visitors are sent to sign in, others get a 403."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from portal.extensions import login_manager
from portal.security import current_actor

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: str, hidden: bool = False) -> Callable[[F], F]:
    """Let only people with one of ``roles`` use the view; send visitors to sign in.

    Anyone else is refused with 403, or with 404 when ``hidden``: for pages whose neighbours answer "not found"
    to those who may not use them, so that the two kinds of page cannot be told apart.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_actor().has_role(*roles):
                abort(404 if hidden else 403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
