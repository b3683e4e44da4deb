"""Persisted operations: the registry of the portal's operations by hash, and running them by hash."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from graphql import FragmentDefinitionNode, FragmentSpreadNode, OperationDefinitionNode, parse, validate, visit
from graphql.language import Visitor

import backend.config
from backend import config
from portal.operations import OPERATIONS_DIR, find_persisted, find_registered_text, registry
from tests import factories
from tests.conftest import Browser

NAMED_OPERATION = re.compile(r"^\s*(?:query|mutation)\s+([A-Za-z_]\w*)", re.MULTILINE)
AD_HOC = "{ viewer { email locale } }"


def override(monkeypatch: pytest.MonkeyPatch, **values: Any) -> None:
    monkeypatch.setattr(backend.config, "_current", config.current().with_overrides(**values))


def bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def by_hash(name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    digest = registry()[name].sha256
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}, "variables": variables or {}}


def error_of(response: Any) -> dict[str, Any]:
    return response.json["errors"][0]


def spreads(node: Any) -> set[str]:
    found: set[str] = set()

    class Collect(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_args: Any) -> None:
            found.add(spread.name.value)

    visit(node, Collect())
    return found


# --- The registry -------------------------------------------------------------------------------


def test_registry_holds_every_named_operation_in_the_files() -> None:
    names = {name for path in OPERATIONS_DIR.glob("*.graphql") for name in NAMED_OPERATION.findall(path.read_text())}
    assert names and set(registry()) == names


@pytest.mark.parametrize("name", sorted(registry()))
def test_each_document_is_one_operation_and_exactly_the_fragments_it_uses(name: str) -> None:
    document = parse(registry()[name].document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    assert [op.name.value for op in operations] == [name]
    assert fragments == spreads(document)


@pytest.mark.parametrize("name", sorted(registry()))
def test_each_hash_is_the_sha256_of_its_document(name: str) -> None:
    operation = registry()[name]
    assert operation.sha256 == hashlib.sha256(operation.document.encode()).hexdigest()
    assert find_persisted(operation.sha256) is operation
    assert find_persisted(operation.sha256.upper()) is operation
    assert find_registered_text(operation.document) is operation


def test_shared_fragment_travels_with_each_operation_that_uses_it() -> None:
    assert "fragment ViewerFields on Viewer" in registry()["Viewer"].document
    assert "fragment ViewerFields on Viewer" in registry()["ViewerProfileUpdate"].document
    assert "fragment" not in registry()["ConsoleApiTokens"].document


@pytest.mark.parametrize("name", sorted(registry()))
def test_each_operation_is_valid_against_the_widest_schema(app, name: str) -> None:
    # Admins see every type, so an operation any role runs validates here: a misspelt enum value or a String
    # variable feeding an enum fails at once rather than when a page first runs it.
    schema = app.extensions["learnloop.engine"].schema_for(frozenset({"admin"}), writable=True)
    assert [error.message for error in validate(schema._schema, parse(registry()[name].document))] == []


def test_hashes_are_unique() -> None:
    assert len({op.sha256 for op in registry().values()}) == len(registry())


def test_unknown_and_nearly_matching_text_is_not_registered() -> None:
    assert find_persisted("0" * 64) is None
    assert find_registered_text(registry()["Viewer"].document + " ") is None


# --- Running by hash ----------------------------------------------------------------------------


def test_apollo_style_hash_runs_the_registered_operation(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    response = browser.client.post("/graphql", json={**by_hash("Viewer"), "operationName": "Viewer"})
    assert response.status_code == 200
    assert response.json["data"]["viewer"]["email"] == user.email


def test_id_runs_the_registered_operation(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    response = browser.client.post("/graphql", json={"id": registry()["Viewer"].sha256})
    assert response.json["data"]["viewer"]["email"] == user.email


def test_hash_runs_over_get(browser: Browser) -> None:
    extensions = json.dumps(by_hash("Viewer")["extensions"])
    response = browser.client.get("/graphql", query_string={"extensions": extensions}, headers={"Accept": "*/*"})
    assert response.status_code == 200
    assert response.json["data"]["viewer"]["isAuthenticated"] is False


def test_mutation_by_hash_over_get_is_refused(signed_in, browser: Browser) -> None:
    signed_in("resident")
    digest = registry()["ViewerProfileUpdate"].sha256
    variables = json.dumps({"input": {"displayName": "Via GET"}})
    response = browser.client.get("/graphql", query_string={"id": digest, "variables": variables})
    assert response.status_code in (400, 405)
    assert response.json["errors"]


def test_mutation_by_hash_with_variables(signed_in, browser: Browser) -> None:
    signed_in("resident")
    response = browser.client.post("/graphql", json=by_hash("ViewerProfileUpdate", {"input": {"displayName": "Ada"}}))
    result = response.json["data"]["viewerProfileUpdate"]
    assert result["__typename"] == "Viewer" and result["displayName"] == "Ada"


def test_unknown_hash_is_reported_so_the_client_can_send_the_text(browser: Browser) -> None:
    payload = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}}
    response = browser.client.post("/graphql", json=payload)
    assert response.status_code == 200
    assert error_of(response)["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    assert response.json["data"] is None


def test_unknown_hash_message_is_in_the_viewers_language(browser: Browser) -> None:
    english = error_of(browser.client.post("/graphql", json={"id": "cd" * 32}))["message"]
    welsh = error_of(browser.client.post("/graphql", json={"id": "cd" * 32}, headers={"Accept-Language": "cy"}))
    assert welsh["message"] and welsh["message"] != english


def test_text_sent_with_its_hash_runs(browser: Browser) -> None:
    payload = {
        "query": AD_HOC,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(AD_HOC.encode()).hexdigest()}},
    }
    assert browser.client.post("/graphql", json=payload).json["data"]["viewer"]["locale"] == "en"


def test_text_sent_with_another_hash_is_refused(browser: Browser) -> None:
    payload = {"query": AD_HOC, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ef" * 32}}}
    response = browser.client.post("/graphql", json=payload)
    assert response.status_code == 400
    assert error_of(response)["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


@pytest.mark.parametrize(
    "payload",
    [
        {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "ab" * 32}}},
        {"extensions": {"persistedQuery": {"version": 1}}},
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 12}}},
        {"extensions": {"persistedQuery": "ab"}},
        {"id": 12},
        {"id": ["ab"]},
    ],
)
def test_malformed_persisted_query_gets_a_json_400(browser: Browser, payload: dict[str, Any]) -> None:
    response = browser.client.post("/graphql", json=payload)
    assert response.status_code == 400
    assert error_of(response)["extensions"]["code"] == "BAD_REQUEST"


# --- Browsers limited to registered operations ----------------------------------------------------


def test_browser_session_may_send_ad_hoc_text_while_the_setting_is_off(signed_in, browser: Browser) -> None:
    user = signed_in("resident")
    assert browser.graphql(AD_HOC).json["data"]["viewer"]["email"] == user.email


def test_browser_session_ad_hoc_text_is_refused_when_limited(signed_in, browser: Browser, monkeypatch) -> None:
    user = signed_in("resident")
    override(monkeypatch, graphql_cookie_persisted_only=True)
    mutation = 'mutation { viewerProfileUpdate(input: {displayName: "Ad hoc"}) { __typename } }'
    response = browser.graphql(mutation)
    assert response.status_code == 200
    assert error_of(response)["extensions"] == {"code": "PERSISTED_QUERY_REQUIRED"}
    from backend.accounts.models import User

    assert User.get_by_id(user.id).display_name != "Ad hoc"


def test_anonymous_ad_hoc_text_is_refused_when_limited(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_cookie_persisted_only=True)
    assert error_of(browser.graphql(AD_HOC))["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


def test_browser_session_may_run_by_hash_when_limited(signed_in, browser: Browser, monkeypatch) -> None:
    user = signed_in("resident")
    override(monkeypatch, graphql_cookie_persisted_only=True)
    assert browser.client.post("/graphql", json=by_hash("Viewer")).json["data"]["viewer"]["email"] == user.email


def test_browser_session_may_send_the_exact_registered_text_when_limited(signed_in, browser: Browser, monkeypatch):
    user = signed_in("resident")
    override(monkeypatch, graphql_cookie_persisted_only=True)
    assert browser.graphql(registry()["Viewer"].document).json["data"]["viewer"]["email"] == user.email


def test_token_holder_may_always_send_ad_hoc_text(browser: Browser, monkeypatch) -> None:
    override(monkeypatch, graphql_cookie_persisted_only=True)
    owner = factories.make_user("resident")
    _token, plain = factories.make_token(owner, "read")
    response = browser.client.post("/graphql", json={"query": AD_HOC}, headers=bearer(plain))
    assert response.json["data"]["viewer"]["email"] == owner.email


def test_registered_operations_skip_the_cost_limit(signed_in, browser: Browser, monkeypatch) -> None:
    user = signed_in("resident")
    override(monkeypatch, graphql_max_cost=1)
    assert browser.client.post("/graphql", json=by_hash("Viewer")).json["data"]["viewer"]["email"] == user.email
    assert error_of(browser.graphql(AD_HOC))["extensions"]["code"] == "COST_LIMIT_EXCEEDED"


def test_persisted_required_message_is_in_the_viewers_language(signed_in, browser: Browser, monkeypatch) -> None:
    signed_in("resident", locale="cy")
    override(monkeypatch, graphql_cookie_persisted_only=True)
    message = error_of(browser.graphql(AD_HOC))["message"]
    assert message and "registered" not in message


# --- The command line ---------------------------------------------------------------------------


def test_cli_lists_each_operation_with_its_hash() -> None:
    from portal.cli import main

    result = CliRunner().invoke(main, ["operations", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(registry())
    for operation in registry().values():
        assert any(line.split()[0] == operation.name and line.split()[-1] == operation.sha256 for line in lines)


def test_cli_prints_a_manifest_whose_bodies_hash_to_their_ids() -> None:
    from portal.cli import main

    result = CliRunner().invoke(main, ["operations", "list", "--json"])
    manifest = json.loads(result.output)
    assert {entry["name"] for entry in manifest["operations"]} == set(registry())
    for entry in manifest["operations"]:
        assert hashlib.sha256(entry["body"].encode()).hexdigest() == entry["id"]
        assert entry["type"] in ("query", "mutation")


@pytest.mark.parametrize("name", sorted(name for name, op in registry().items() if op.kind == "mutation"))
def test_every_mutation_spreads_the_problem_fragment(name: str) -> None:
    assert "MutationProblem" in spreads(parse(registry()[name].document))
