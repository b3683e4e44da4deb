"""Run the portal's named GraphQL operations in-process, as the viewer, and register them by hash.

Each ``portal/operations/*.graphql`` file holds named operations and fragments; a fragment may be
used from any file. Pages call :func:`run` with an operation name, so they can never see more
than the API would show the same person. Each operation is also a persisted query: its document
is that one operation plus the fragments it uses, printed canonically, and its sha256 is the id
that clients may send to ``/graphql`` instead of the text (``learnloop operations list``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, request
from flask_babel import get_locale, gettext, ngettext
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    Node,
    OperationDefinitionNode,
    parse,
    print_ast,
)

from backend.context import get_request_id
from backend.db import DatabaseUnavailable
from portal.security import current_actor
from schema.context import Context

logger = logging.getLogger(__name__)
OPERATIONS_DIR = Path(__file__).resolve().parent / "operations"


class OperationFailed(RuntimeError):
    """A registered operation returned GraphQL errors. ``codes`` holds their ``extensions.code``."""

    def __init__(self, name: str, codes: frozenset[str] = frozenset()):
        super().__init__(name)
        self.codes = codes


#: The HTTP status of a page that shows a problem of these types; any other problem is a 400.
PROBLEM_STATUS = {"ConflictError": 409, "RateLimitedError": 429}


@dataclass(frozen=True)
class MutationResult:
    """What a mutation gave back: its payload when it did what was asked, else the problem that stopped it.

    ``problem`` holds the ``MutationProblem`` fragment (``portal/operations/problems.graphql``): ``code``
    and ``message``, and for a ValidationError the ``field`` and ``problems`` to show on a form.
    """

    data: dict[str, Any]
    problem: dict[str, Any] | None = None

    @property
    def about_values(self) -> bool:
        """Whether the problem is with values of the input (a ValidationError), which a form can show by them."""
        return self.problem is not None and "problems" in self.problem

    @property
    def status(self) -> int:
        """The HTTP status of a page that shows the outcome: 200, or 409, 429 or 400 for a problem."""
        if self.problem is None:
            return 200
        return PROBLEM_STATUS.get(self.problem.get("__typename", ""), 400)


@dataclass(frozen=True)
class Operation:
    name: str
    kind: str
    document: str
    sha256: str


def _definitions() -> tuple[dict[str, OperationDefinitionNode], dict[str, FragmentDefinitionNode]]:
    operations: dict[str, OperationDefinitionNode] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        for definition in parse(path.read_text(), no_location=True).definitions:
            if isinstance(definition, OperationDefinitionNode):
                if definition.name is None:
                    raise ValueError(f"{path.name}: every operation needs a name")
                found: dict[str, Any] = operations
            elif isinstance(definition, FragmentDefinitionNode):
                found = fragments
            else:
                raise ValueError(f"{path.name}: only operations and fragments belong here")
            name = definition.name.value
            if name in found:
                raise ValueError(f"{path.name}: {name} is defined twice")
            found[name] = definition
    return operations, fragments


def _fragments_used(node: Node, fragments: dict[str, FragmentDefinitionNode], seen: set[str]) -> set[str]:
    """Add to ``seen`` the names of the fragments ``node`` spreads, directly or through other fragments."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, FragmentSpreadNode) and current.name.value not in seen:
            name = current.name.value
            if name not in fragments:
                raise ValueError(f"fragment {name} is used but not defined")
            seen.add(name)
            stack.append(fragments[name])
            continue
        for key in current.keys:
            value = getattr(current, key, None)
            children = value if isinstance(value, tuple | list) else (value,)
            stack.extend(child for child in children if isinstance(child, Node))
    return seen


@lru_cache(maxsize=1)
def registry() -> dict[str, Operation]:
    """Every operation by name. Its document is the operation and the fragments it uses, and nothing else."""
    operations, fragments = _definitions()
    registered: dict[str, Operation] = {}
    for name, node in operations.items():
        used = sorted(_fragments_used(node, fragments, set()))
        document = print_ast(DocumentNode(definitions=(node, *(fragments[f] for f in used))))
        digest = hashlib.sha256(document.encode()).hexdigest()
        registered[name] = Operation(name, node.operation.value, document, digest)
    return registered


@lru_cache(maxsize=1)
def persisted() -> dict[str, Operation]:
    """Every operation by the sha256 (lower-case hex) of its document."""
    return {operation.sha256: operation for operation in registry().values()}


def find_persisted(sha256: str) -> Operation | None:
    """Return the registered operation with this document hash, or ``None``."""
    return persisted().get(sha256.lower())


def find_registered_text(document: str) -> Operation | None:
    """Return the registered operation whose document is exactly ``document``, or ``None``."""
    return persisted().get(hashlib.sha256(document.encode()).hexdigest())


def context_for_request() -> Context:
    via = "console" if request.path.startswith("/console") else "portal"
    return Context(
        actor=current_actor(),
        locale=str(get_locale() or "en"),
        gettext=gettext,
        ngettext=ngettext,
        request_id=get_request_id(),
        extra={"logged_via": via},
    )


def run(name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """Execute the named operation as the current viewer and return its data."""
    operation = registry()[name]
    schema = current_app.extensions["learnloop.engine"].schema_for_actor(current_actor())
    result = schema.execute_sync(
        operation.document, variable_values=variables or {}, context_value=context_for_request(), operation_name=name
    )
    if result.errors:
        codes = frozenset(str((error.extensions or {}).get("code", "")) for error in result.errors)
        if "UNAVAILABLE" in codes:
            raise DatabaseUnavailable(name)  # answered with the 503 page (portal.errors)
        if codes != {"BAD_CURSOR"}:
            for error in result.errors:
                logger.error("operation %s failed (request %s): %s", name, get_request_id(), error.message)
        raise OperationFailed(name, codes)
    return result.data or {}


def run_page(name: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Run a paged operation; a stale or edited ``after`` cursor starts again from the first page."""
    try:
        return run(name, variables)
    except OperationFailed as failure:
        if failure.codes != {"BAD_CURSOR"} or not variables.get("after"):
            raise
        return run(name, {**variables, "after": None})


def run_mutation(name: str, variables: dict[str, Any] | None = None) -> MutationResult:
    """Run the named operation, whose one root field gives a payload or a Problem, and say which it gave."""
    (payload,) = run(name, variables).values()
    problem = problem_in(payload)
    return MutationResult(data={}, problem=problem) if problem is not None else MutationResult(data=payload)


def problem_in(payload: dict[str, Any]) -> dict[str, Any] | None:
    """``payload`` when its type implements the Problem interface of the viewer's schema, else None."""
    schema = current_app.extensions["learnloop.engine"].schema_for_actor(current_actor())._schema
    interface = schema.get_type("Problem")
    if not isinstance(interface, GraphQLInterfaceType):
        return None
    kinds = {kind.name for kind in schema.get_implementations(interface).objects}
    return payload if payload.get("__typename") in kinds else None
