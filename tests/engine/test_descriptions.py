"""Where the engine finds a description: the declaration first, then the model field's help_text."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from peewee import AutoField, CharField, ForeignKeyField, IntegerField

from backend.db import BaseModel
from backend.records import RecordSpec
from schema.context import Context
from schema.engine.aggregate import value
from schema.engine.declare import Access, Column, Dimension, Resource, ToMany, ToOne
from schema.engine.engine import Engine
from schema.engine.mutations import Mutations, Outcome


class Shelf(BaseModel):
    id = AutoField()
    label = CharField(help_text="What the shelf says on its front.")
    width = IntegerField(help_text="Across, in centimetres.")
    wood = CharField(default="oak")

    class Meta:
        table_name = "engine_description_shelf"


class Book(BaseModel):
    id = AutoField()
    title = CharField()
    shelf = ForeignKeyField(Shelf, backref="books", help_text="Where the book stands.")

    class Meta:
        table_name = "engine_description_book"


@strawberry.input
class ShelfDustInput:
    id: strawberry.ID


RESOURCES = [
    Resource(
        name="Shelf",
        plural="shelves",
        model=Shelf,
        members=[
            Column("label"),
            Column("width", "Declared text wins."),
            Column("wood"),
            ToMany("books"),
        ],
        access={"staff": Access(aggregate=True)},
        dimensions=(Dimension("wood", value("wood")),),
        editable=RecordSpec(
            Shelf,
            "shelf",
            ("label", "width", "wood"),
            frozenset({"staff"}),
            archive_field=None,
            choices={"wood": ("oak", "pine")},
            ranges={"width": (10, 200)},
        ),
    ),
    Resource(
        name="Book",
        plural="books",
        model=Book,
        members=[Column("title"), ToOne("shelf")],
        access={"staff": Access()},
    ),
]
mutations = Mutations()


@mutations.add(
    "shelfDust", roles={"staff"}, payload="ShelfDusted", extra={"dust": (int, "Grams of dust left."), "polish": str}
)
def dust(context: Context, data: ShelfDustInput) -> Outcome:
    """Dust a shelf."""
    return Outcome(int(data.id), {"dust": 0, "polish": ""})


@pytest.fixture(scope="module")
def types(settings: Any) -> Any:
    engine = Engine(settings, resources=RESOURCES, mutations=mutations)
    return engine.schema_for(frozenset({"staff"}))._schema.type_map


def test_column_without_a_description_takes_the_model_fields_help_text(types) -> None:
    assert types["Shelf"].fields["label"].description == "What the shelf says on its front."
    assert types["ShelfWhere"].fields["label"].description == "What the shelf says on its front."


def test_declared_description_wins_over_help_text(types) -> None:
    assert types["Shelf"].fields["width"].description == "Declared text wins."


def test_to_one_without_a_description_takes_the_foreign_keys_help_text(types) -> None:
    assert types["Book"].fields["shelf"].description == "Where the book stands."
    assert types["BookWhere"].fields["shelf"].description == "Where the book stands."


def test_without_either_the_object_field_has_none_and_the_filter_names_the_field(types) -> None:
    assert types["Book"].fields["title"].description is None
    assert types["BookWhere"].fields["title"].description == "Conditions on title."


def test_record_inputs_say_which_values_the_service_accepts(types) -> None:
    create = types["ShelfCreateInput"].fields
    update = types["ShelfUpdateInput"].fields
    assert create["label"].description == "What the shelf says on its front."
    assert create["wood"].description == "The Shelf's wood. One of: oak, pine."
    assert update["width"].description == "Declared text wins. From 10 to 200. Kept if not given."
    assert update["id"].description == "The Shelf to change."


def test_payload_extra_fields_take_the_declared_description(types) -> None:
    payload = types["ShelfDusted"].fields
    assert payload["dust"].description == "Grams of dust left."
    assert payload["polish"].description is None
    assert payload["shelf"].description == "The Shelf it acted on, as it is now."


def test_list_arguments_state_the_resources_limits_and_order(types) -> None:
    arguments = types["Query"].fields["shelves"].args
    assert arguments["first"].description == "How many to return: 0 to 100; 25 if not given."
    assert (
        arguments["orderBy"].description == "Sort keys, the first deciding most; ties go by id. By id ASC if not given."
    )


def test_dimension_without_a_description_is_named(types) -> None:
    assert types["ShelfDimension"].values["wood"].description == "Group by wood."
    assert types["ShelfAggregateKey"].fields["wood"].description.startswith("The wood the rows share, as text.")
