"""Run the portal's named GraphQL operations in-process, as the viewer.

Each ``portal/operations/*.graphql`` file holds named operations. Pages call :func:`run` with
an operation name, so they can never see more than the API would show the same person.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import get_locale, gettext

from backend.context import get_request_id
from portal.security import current_actor
from schema.context import Context

logger = logging.getLogger(__name__)
OPERATIONS_DIR = Path(__file__).resolve().parent / "operations"
NAME = re.compile(r"^\s*(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)


class OperationFailed(RuntimeError):
    """A registered operation returned GraphQL errors: a bug, not a user mistake."""


@dataclass(frozen=True)
class Operation:
    name: str
    document: str
    sha256: str


@lru_cache(maxsize=1)
def registry() -> dict[str, Operation]:
    """Load every operation file; the whole file is the document so fragments can be shared."""
    operations: dict[str, Operation] = {}
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        text = path.read_text()
        digest = hashlib.sha256(text.encode()).hexdigest()
        for _kind, name in NAME.findall(text):
            if name in operations:
                raise ValueError(f"operation {name} is defined twice")
            operations[name] = Operation(name, text, digest)
    return operations


def context_for_request() -> Context:
    return Context(
        actor=current_actor(), locale=str(get_locale() or "en"), gettext=gettext, request_id=get_request_id()
    )


def run(name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """Execute the named operation as the current viewer and return its data."""
    operation = registry()[name]
    schema = current_app.extensions["learnloop.schema"]
    result = schema.execute_sync(
        operation.document, variable_values=variables or {}, context_value=context_for_request(), operation_name=name
    )
    if result.errors:
        for error in result.errors:
            logger.error("operation %s failed (request %s): %s", name, get_request_id(), error.message)
        raise OperationFailed(name)
    return result.data or {}
