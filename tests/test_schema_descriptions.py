"""Every type, field, argument, input field and enum value of every published schema has a description.

Both halves are checked: what the engine generates (pages, filters, sort keys, aggregates, mutation results,
scalars) and what the domains declare (their types, inputs and fields, mostly from the models' help text).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)
from graphql.type.introspection import introspection_types
from graphql.type.scalars import specified_scalar_types

from schema import published
from schema.engine.declare import ToMany
from schema.engine.engine import Engine
from schema.engine.mutations import MutationSpec, record_mutations

#: Scalars whose descriptions say what a client sends; graphql-core describes ID.
SCALARS = ("DateTime", "Date", "JSON", "Upload", "ID")
SCHEMAS = list(published.published())


@dataclass(frozen=True)
class Gap:
    """A schema element without a description: a type, or a member of one, or an argument of a field."""

    type_name: str
    member: str | None = None
    argument: str | None = None

    @property
    def coordinate(self) -> str:
        """The schema coordinate: ``Type``, ``Type.member`` or ``Type.field(argument:)``."""
        text = self.type_name if self.member is None else f"{self.type_name}.{self.member}"
        return text if self.argument is None else f"{text}({self.argument}:)"


def gaps(schema: GraphQLSchema) -> Iterator[Gap]:
    """Every element of ``schema`` without a description, built-in scalars and introspection types aside."""
    for name, named in schema.type_map.items():
        if name in introspection_types or name in specified_scalar_types:
            continue
        if not named.description:
            yield Gap(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not field.description:
                    yield Gap(name, field_name)
                for argument_name, argument in field.args.items():
                    if not argument.description:
                        yield Gap(name, field_name, argument_name)
        elif isinstance(named, GraphQLInputObjectType):
            yield from (Gap(name, field_name) for field_name, field in named.fields.items() if not field.description)
        elif isinstance(named, GraphQLEnumType):
            yield from (Gap(name, value_name) for value_name, value in named.values.items() if not value.description)


def generated_mutations(engine: Engine) -> list[MutationSpec]:
    """The create, update and archive mutations the engine makes for configuration resources."""
    return [spec for r in engine.resources.values() if r.editable is not None for spec in record_mutations(r)]


class Owners:
    """Which declaration a gap's text belongs to: the name of a domain type, or None for the engine."""

    def __init__(self, engine: Engine, schema: strawberry.Schema):
        name_of = schema.config.name_converter.get_graphql_name
        self.root_fields: dict[tuple[str, str], str] = {}
        for base in engine.query_bases:
            definition = base.__strawberry_definition__
            self.root_fields.update({("Query", name_of(field)): definition.name for field in definition.fields})
        generated = {spec.name for spec in generated_mutations(engine)}
        declared = [spec for spec in engine.mutations if spec.name not in generated]
        # A declared mutation's texts count with its input type, or with its payload type when it takes no input.
        self.declared_mutations = {
            spec.name: spec.input.__strawberry_definition__.name if spec.input else spec.payload_name
            for spec in declared
        }
        self.payloads = {spec.payload_name: spec for spec in declared if spec.returns_node}
        self.generated_members = {
            resource.name: {"id"}
            | {name for m in resource.members if isinstance(m, ToMany) for name in (m.graphql_name, m.count_name)}
            for resource in engine.resources.values()
        }

    def of(self, gap: Gap) -> str | None:
        if gap.member is None:
            return gap.type_name if gap.type_name not in ("Query", "Mutation") else None
        if gap.type_name == "Mutation" and gap.member in self.declared_mutations:
            return None if gap.argument == "input" else self.declared_mutations[gap.member]
        if gap.type_name in ("Query", "Mutation"):
            return self.root_fields.get((gap.type_name, gap.member))
        if gap.type_name in self.payloads:
            spec = self.payloads[gap.type_name]
            return None if gap.member == spec.node_field else self.declared_mutations[spec.name]
        if gap.member in self.generated_members.get(gap.type_name, ()):
            return None
        return gap.type_name


def split(engine: Engine, role: str, scope: str, allowance: frozenset[str]) -> tuple[list[Gap], list[Gap]]:
    """The gaps of one published schema: (those the allowance does not cover, those it does)."""
    schema = engine.schema_for(frozenset({role}), writable=scope == "write")
    owners = Owners(engine, schema)
    failing, allowed = [], []
    for gap in gaps(schema._schema):
        (allowed if owners.of(gap) in allowance else failing).append(gap)
    return failing, allowed


@pytest.fixture(scope="module")
def engine(app: Any) -> Engine:
    return app.extensions["learnloop.engine"]


@pytest.mark.parametrize(("role", "scope"), SCHEMAS)
def test_published_schema_has_a_description_everywhere(engine, role, scope) -> None:
    failing, _allowed = split(engine, role, scope, frozenset())
    assert not failing, f"{len(failing)} without a description: " + ", ".join(gap.coordinate for gap in failing)


@pytest.mark.parametrize(
    ("gap", "owner"),
    [
        (Gap("Query"), None),
        (Gap("Query", "regimes", "first"), None),
        (Gap("Query", "messageWording", "event"), "NotificationsQuery"),
        (Gap("Mutation", "viewerProfileUpdate"), "ViewerProfileInput"),
        (Gap("Mutation", "viewerProfileUpdate", "input"), None),
        (Gap("Mutation", "viewerPhoneCodeSend"), "Viewer"),
        (Gap("Mutation", "apiTokenCreate"), "ApiTokenCreateInput"),
        (Gap("Mutation", "apiTokenCreate", "input"), None),
        (Gap("Mutation", "regimeUpdate"), None),
        (Gap("ApiTokenCreated"), "ApiTokenCreated"),
        (Gap("ApiTokenCreated", "secret"), "ApiTokenCreateInput"),
        (Gap("ApiTokenCreated", "token"), None),
        (Gap("Regime"), "Regime"),
        (Gap("Regime", "code"), "Regime"),
        (Gap("Regime", "id"), None),
        (Gap("Regime", "stages", "where"), None),
        (Gap("Regime", "stagesCount"), None),
        (Gap("RegimeWhere", "code"), "RegimeWhere"),
    ],
    ids=lambda item: item.coordinate if isinstance(item, Gap) else None,
)
def test_gaps_in_engine_made_members_of_domain_types_belong_to_the_engine(engine, gap: Gap, owner) -> None:
    owners = Owners(engine, engine.schema_for(frozenset({"admin"}), writable=True))
    assert owners.of(gap) == owner


@pytest.mark.parametrize("name", SCALARS)
def test_scalar_is_described(engine, name: str) -> None:
    schema = engine.schema_for(frozenset({"admin"}), writable=True)._schema
    assert schema.type_map[name].description


@strawberry.enum
class Colour(enum.Enum):
    RED = "RED"
    BLUE = strawberry.enum_value("BLUE", description="The colour of the sky.")


@strawberry.input
class PaintInput:
    colour: Colour
    coats: int = strawberry.field(default=1, description="How many coats.")


@strawberry.type
class Wall:
    height: int
    width: int = strawberry.field(description="Across, in metres.")


@strawberry.type(description="What may be read.")
class PaintQuery:
    @strawberry.field(description="One wall.")
    def wall(
        self, paint: PaintInput, side: int, described: Annotated[int, strawberry.argument(description="Which.")] = 0
    ) -> Wall:
        return Wall(height=side, width=described)


def test_gaps_finds_every_kind_of_element_without_a_description() -> None:
    found = {gap.coordinate for gap in gaps(strawberry.Schema(PaintQuery)._schema)}
    assert found == {
        "Colour",
        "Colour.RED",
        "PaintInput",
        "PaintInput.colour",
        "Wall",
        "Wall.height",
        "PaintQuery.wall(paint:)",
        "PaintQuery.wall(side:)",
    }
