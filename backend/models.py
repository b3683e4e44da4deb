"""Every model, for migrations, tests and the schema check: found in the domains' ``models`` modules.

A model is a peewee model class defined in ``backend/<domain>/models.py`` (or in another module of the domain and
imported there, as ``backend/privacy/models.py`` does); nothing else lists it. :data:`ALL_MODELS`
puts them in the order their foreign keys need (each after the models it points to), a deterministic order, the
same on every run. The models are also importable from here by name (``from backend.models import Complaint``).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from peewee import Model, sort_models  # type: ignore[attr-defined]  # peewee's stubs leave it out

import backend

MODELS_MODULE = "models"


def model_modules() -> list[ModuleType]:
    """``backend.<domain>.models`` for every domain package that has one, in name order."""
    return [
        importlib.import_module(f"{backend.__name__}.{domain.name}.{MODELS_MODULE}")
        for domain in sorted(pkgutil.iter_modules(backend.__path__), key=lambda found: found.name)
        if domain.ispkg and _has_models(domain.name)
    ]


def _has_models(domain: str) -> bool:
    package = importlib.import_module(f"{backend.__name__}.{domain}")
    return any(found.name == MODELS_MODULE for found in pkgutil.iter_modules(package.__path__))


def models_in(module: ModuleType) -> list[type[Model]]:
    """The model classes ``module`` defines itself, or imports from a sibling module of its own domain (a domain
    may keep a model beside the code that uses it), in the order it holds them; never another domain's."""
    package = module.__name__.rpartition(".")[0]
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Model)
        and (value.__module__ == module.__name__ or value.__module__.rpartition(".")[0] == package)
    ]


def all_models() -> list[type[Model]]:
    """Every model in the domains' models modules as they are now, each after the models its foreign keys need."""
    return list(sort_models([model for module in model_modules() for model in models_in(module)]))


ALL_MODELS = all_models()
_BY_NAME = {model.__name__: model for model in ALL_MODELS}


def __getattr__(name: str) -> Any:
    """A model by its class name, as ``from backend.models import Complaint`` asks."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
