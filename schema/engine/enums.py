"""Closed vocabularies as GraphQL enums: one enum per :class:`backend.vocabulary.Vocabulary`.

Each enum is named after its vocabulary (``ComplaintStatus``) and its values are the stored codes
themselves (``received``, ``partly_upheld``), not SCREAMING_CASE: the API, CSV exports, the audit trail and
the portal then all read the same code. Every value carries its vocabulary's English description.

The vocabulary class itself becomes the enum, so an input typed by it hands services its members, which
are strings equal to the codes, and any stored code (a plain string) serialises as itself.
"""

from __future__ import annotations

import inspect
from typing import Any

import strawberry

from backend.vocabulary import Vocabulary, when_declared


def graphql_enum(vocabulary: type[Vocabulary]) -> type[Vocabulary]:
    """Make ``vocabulary`` a GraphQL enum (once) and return it."""
    if "__strawberry_definition__" not in vars(vocabulary):
        strawberry.enum(
            vocabulary,
            description=inspect.cleandoc(vocabulary.__doc__ or "") or None,
            graphql_name_from="value",
        )
        described = {member.value: member.description for member in vocabulary}
        definition: Any = vocabulary.__strawberry_definition__  # type: ignore[attr-defined]
        for value in definition.values:
            value.description = described[value.value]
    return vocabulary


# Strawberry makes an enum of any Enum class the moment a type annotated with it is declared, with its own
# defaults (SCREAMING_CASE names, no descriptions). So every vocabulary becomes an enum here first, as soon
# as it is declared; ``schema/__init__.py`` imports this module before any type is.
when_declared(graphql_enum)
