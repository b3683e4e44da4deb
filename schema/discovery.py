"""Find what the domains declare, so that a new module in a domain package is served with no list to edit.

A domain is a package of ``schema`` (all but the engine). Any module in it may hold:

- ``RESOURCES``: the resources it declares, a list;
- ``mutations``: its :class:`~schema.engine.mutations.Mutations` collection;
- ``QUERIES``: strawberry types whose fields join the root Query (plain queries such as ``viewer``).

Domains, and the modules in each, are taken in name order, so the published schema's order depends on names
alone: never on the file system, nor on the order modules happen to be imported in.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from types import ModuleType
from typing import NamedTuple

from schema.engine.declare import Resource
from schema.engine.mutations import Mutations

ROOT = "schema"
#: Packages of ``schema`` that are not domains.
NOT_DOMAINS = frozenset({"engine"})


class Declarations(NamedTuple):
    """What some modules declare, in order: resources, mutations and root query types."""

    resources: list[Resource]
    mutations: Mutations
    queries: tuple[type, ...]


def gather(package: str) -> Declarations:
    """What the modules of ``package`` declare, module by module in name order (a subpackage's in its place)."""
    return combined(_declared_in(module) for module in _modules(importlib.import_module(package)))


def domains(root: str = ROOT) -> Declarations:
    """What every domain declares, domain by domain in name order."""
    parent = importlib.import_module(root)
    return combined(
        gather(f"{root}.{found.name}")
        for found in sorted(pkgutil.iter_modules(parent.__path__), key=lambda found: found.name)
        if found.ispkg and found.name not in NOT_DOMAINS
    )


def combined(parts: Iterable[Declarations]) -> Declarations:
    """One set of declarations from several, in the order given."""
    resources: list[Resource] = []
    mutations: list[Mutations] = []
    queries: list[type] = []
    for part in parts:
        resources.extend(part.resources)
        mutations.append(part.mutations)
        queries.extend(part.queries)
    return Declarations(resources, Mutations(*mutations), tuple(queries))


def _modules(package: ModuleType) -> list[ModuleType]:
    """The modules directly in ``package``, in name order: every folder on its path is looked in."""
    names = sorted({found.name for found in pkgutil.iter_modules(package.__path__)})
    return [importlib.import_module(f"{package.__name__}.{name}") for name in names]


def _declared_in(module: ModuleType) -> Declarations:
    if hasattr(module, "__path__"):
        return gather(module.__name__)
    collection = getattr(module, "mutations", None)
    return Declarations(
        list(getattr(module, "RESOURCES", [])),
        collection if isinstance(collection, Mutations) else Mutations(),
        tuple(getattr(module, "QUERIES", ())),
    )
