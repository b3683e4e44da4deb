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

from backend.vocabulary import Vocabulary, all_vocabularies


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


def register_vocabularies() -> None:
    """Make every vocabulary declared so far an enum, before a schema refers to any of them.

    An input or type annotated with a vocabulary would otherwise be made an enum by strawberry's own
    defaults (SCREAMING_CASE names, no descriptions) when the schema is built.
    """
    for vocabulary in all_vocabularies():
        graphql_enum(vocabulary)
