"""Every model is found in the domains' models modules, with no list to keep, in an order its foreign keys allow."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from peewee import CharField, sort_models

import backend.complaints.models
from backend import models
from backend.db import BaseModel

ROOT = Path(__file__).resolve().parent.parent


def defined_model_names(path: Path) -> set[str]:
    """The classes a models file defines on BaseModel, read from its text."""
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef) and any(ast.unparse(base) == "BaseModel" for base in node.bases)
    }


def sibling_model_names(path: Path) -> set[str]:
    """The models a models file imports from another module of its own domain, where that module defines them."""
    domain = path.parent.name
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"backend.{domain}."):
            sibling = path.parent / f"{node.module.rpartition('.')[2]}.py"  # type: ignore[union-attr]
            names |= {alias.name for alias in node.names} & defined_model_names(sibling)
    return names


def test_the_scan_sees_every_models_module() -> None:
    on_disk = sorted(f"backend.{path.parent.name}.models" for path in (ROOT / "backend").glob("*/models.py"))
    assert len(on_disk) >= 7
    assert [module.__name__ for module in models.model_modules()] == on_disk


def test_every_model_defined_in_a_models_module_is_in_all_models_once() -> None:
    defined = {
        name
        for path in (ROOT / "backend").glob("*/models.py")
        for name in defined_model_names(path) | sibling_model_names(path)
    }
    names = [model.__name__ for model in models.ALL_MODELS]
    assert sorted(names) == sorted(defined)


def test_a_model_imported_into_another_models_module_belongs_to_its_own() -> None:
    found = models.models_in(backend.complaints.models)
    assert backend.complaints.models.Complaint in found
    assert backend.complaints.models.User not in found  # imported from accounts


def test_a_model_kept_beside_its_domains_code_and_imported_into_its_models_module_belongs_to_it() -> None:
    import backend.privacy.models

    # The subject access requests are defined in models.py itself; the legal holds and erased records in holds.py.
    found = {model.__name__ for model in models.models_in(backend.privacy.models)}
    assert found == {"ErasedRecord", "LegalHold", "SubjectAccessRequest"}
    assert sibling_model_names(ROOT / "backend" / "privacy" / "models.py") == {"ErasedRecord", "LegalHold"}


def test_each_model_comes_after_the_models_its_foreign_keys_point_to() -> None:
    position = {model: index for index, model in enumerate(models.ALL_MODELS)}
    late = [
        f"{model.__name__}.{field.name} -> {target.__name__}"
        for model in models.ALL_MODELS
        for field, target in model._meta.refs.items()
        if target is not model and position[target] > position[model]
    ]
    assert late == []


def test_the_order_does_not_depend_on_the_order_models_are_found_in() -> None:
    shuffled = list(models.ALL_MODELS)
    random.Random(7).shuffle(shuffled)
    assert list(sort_models(shuffled)) == models.ALL_MODELS


def test_a_model_added_to_a_models_module_is_found_without_being_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    class Callback(BaseModel):
        note = CharField()

    Callback.__module__ = backend.complaints.models.__name__
    monkeypatch.setattr(backend.complaints.models, "Callback", Callback, raising=False)
    assert Callback in models.all_models()
    assert Callback not in models.ALL_MODELS  # the import-time list stays as it was


def test_a_model_is_importable_from_backend_models_by_name() -> None:
    from backend.models import Complaint

    assert Complaint is backend.complaints.models.Complaint
    with pytest.raises(AttributeError, match="Nothing"):
        models.Nothing  # noqa: B018
