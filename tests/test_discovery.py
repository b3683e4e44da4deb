"""The API serves what the domain packages declare, found by looking, in name order."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import schema
import schema.audit
from schema import discovery
from schema.accounts.viewer import AccountsQuery
from schema.notifications.resources import NotificationsQuery
from schema.surveys.resources import SurveysQuery

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "schema" / "engine"

EXTRA_MODULE = '''
"""A module that stands in for one added to the audit domain."""

import strawberry

from schema.access import STAFF_ROLES
from schema.context import Context
from schema.engine.mutations import Mutations

mutations = Mutations()


@strawberry.type
class Echo:
    said: str


@mutations.add("auditEcho", roles=STAFF_ROLES, payload=Echo)
def echo(context: Context) -> Echo:
    """Say something back."""
    return Echo(said="hello")


RESOURCES = ["the new module's resource"]
QUERIES = ["the new module's query type"]
'''


@pytest.fixture
def extra_audit_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module ``schema.audit.zz_extra`` in a folder added to the audit package's path."""
    folder = tmp_path / "schema" / "audit"
    folder.mkdir(parents=True)
    (folder / "zz_extra.py").write_text(EXTRA_MODULE)
    monkeypatch.setattr(schema.audit, "__path__", [*schema.audit.__path__, str(folder)])
    name = "schema.audit.zz_extra"
    yield name
    sys.modules.pop(name, None)
    if hasattr(schema.audit, "zz_extra"):
        delattr(schema.audit, "zz_extra")


def test_the_scan_sees_every_domain_package() -> None:
    packages = sorted(path.parent.name for path in (ROOT / "schema").glob("*/__init__.py") if path.parent != ENGINE)
    assert {"accounts", "audit", "complaints"} <= set(packages)
    served = discovery.domains()
    for name in packages:
        package = importlib.import_module(f"schema.{name}")
        assert package.RESOURCES and all(resource in served.resources for resource in package.RESOURCES), name
        assert set(package.MUTATIONS) <= set(served.mutations), name


def test_domains_and_their_modules_go_in_name_order() -> None:
    names = [resource.name for resource in discovery.domains().resources]
    # accounts.resources, audit.resources, complaints.leaflets, complaints.resources, notifications, surveys
    assert names.index("Person") < names.index("AuditEvent") < names.index("StageLeaflet") < names.index("Contact")
    assert names.index("Contact") < names.index("MessageTemplate") < names.index("Survey")
    mutations = [spec.name for spec in discovery.domains().mutations]
    # accounts.mutations, accounts.phone, accounts.viewer, then complaints.leaflets before complaints.mutations
    assert mutations.index("apiTokenCreate") < mutations.index("viewerPhoneCodeSend")
    assert mutations.index("viewerPhoneCodeSend") < mutations.index("viewerProfileUpdate")
    assert mutations.index("stageLeafletSet") < mutations.index("complaintAcknowledge")


def _modules(package: str) -> list[Any]:
    found = importlib.import_module(package)
    return [
        importlib.import_module(f"{package}.{m.name}")
        for m in sorted(pkgutil.iter_modules(found.__path__), key=lambda m: m.name)
    ]


def test_root_query_types_come_from_each_modules_queries() -> None:
    queries = discovery.domains().queries
    expected = [
        query
        for domain in (
            "accounts",
            "audit",
            "cocreation",
            "complaints",
            "lessons",
            "notifications",
            "panels",
            "reports",
            "surveys",
        )
        for module in _modules(f"schema.{domain}")
        for query in getattr(module, "QUERIES", ())
    ]
    assert queries == tuple(expected)
    assert {AccountsQuery, NotificationsQuery, SurveysQuery} <= set(queries)


def test_a_domain_package_exports_what_its_modules_declare() -> None:
    from schema import complaints

    modules = _modules("schema.complaints")
    names = [m.__name__.rsplit(".", 1)[1] for m in modules]
    assert names == sorted(names) and {"leaflets", "mutations", "resources"} <= set(names)
    assert complaints.RESOURCES == [resource for m in modules for resource in getattr(m, "RESOURCES", [])]
    assert list(complaints.MUTATIONS) == [spec for m in modules if hasattr(m, "mutations") for spec in m.mutations]


def test_a_module_added_to_a_domain_is_served_in_its_place(extra_audit_module: str) -> None:
    found = discovery.domains()
    after = next(index for index, resource in enumerate(found.resources) if resource.name == "AuditEvent") + 1
    assert found.resources[after] == "the new module's resource"  # audit.resources, then audit.zz_extra
    assert "auditEcho" in [spec.name for spec in found.mutations]
    assert "the new module's query type" in found.queries
    assert extra_audit_module in sys.modules


def test_the_engine_package_is_not_a_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    from schema.engine import mutations

    monkeypatch.setattr(mutations, "RESOURCES", ["from the engine"], raising=False)
    assert "from the engine" not in discovery.domains().resources
