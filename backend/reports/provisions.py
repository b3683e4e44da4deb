"""The Code's provisions as data: admins change, add and retire them when the Ombudsman issues a new edition.

Every change goes through ``backend.records`` (checked and audited) with :data:`PROVISION_SPEC`. A retired provision
is never deleted: the assessments that used it keep it, and new ones leave it out.
"""

from __future__ import annotations

import re
from typing import Any

from peewee import Model

from backend.context import Role
from backend.errors import Invalid, gather
from backend.records import RecordSpec
from backend.reports.models import Checklist, CodeProvision, Obligation

#: A provision's number: section and item (6.2); a learning item's is its place (1 to 16, or more).
CODE_NUMBER = re.compile(r"^([1-9][0-9]?)\.([1-9][0-9]?)$")
LEARNING_NUMBER = re.compile(r"^[1-9][0-9]?$")


def check_provision(record: Model | None, values: dict[str, Any]) -> None:
    """Refuse a number that is not one, or a section that disagrees with the number.

    Raises Invalid listing every problem: ``number`` "invalid" (not section.item for the Code, nor 1 to 99 for the
    learning checklist); ``section`` "mismatch" (a Code provision's section is its number's first part; a learning
    item's is 0).
    """
    checklist = values.get("checklist", getattr(record, "checklist", Checklist.CODE.value))
    number = values.get("number", getattr(record, "number", ""))
    section = values.get("section", getattr(record, "section", None))
    with gather() as problems:
        if checklist == Checklist.CODE.value:
            match = CODE_NUMBER.match(number or "")
            if match is None:
                problems.add("number", "invalid")
            elif section != int(match.group(1)):
                problems.add("section", "mismatch")
        else:
            if not LEARNING_NUMBER.match(number or ""):
                problems.add("number", "invalid")
            if section != 0:
                problems.add("section", "mismatch")
    if section is not None and not isinstance(section, int):
        raise Invalid("section", "invalid")


PROVISION_SPEC = RecordSpec(
    CodeProvision,
    "code_provision",
    (
        "checklist",
        "edition",
        "effective_on",
        "number",
        "section",
        "section_title",
        "requirement",
        "obligation",
        "position",
    ),
    frozenset({Role.ADMIN.value}),
    archive_field="retired_at",
    choices={"checklist": Checklist.codes(), "obligation": Obligation.codes()},
    ranges={"section": (0, 99), "position": (0, 100_000)},
    validate=check_provision,
)
