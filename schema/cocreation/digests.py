"""Quarterly digests in the API: staff assemble, edit and submit a quarter's "you said, we did"; a manager who did
not draft it publishes it. Published digests (their quarter, introduction, content and publication date) are open
to everyone, signed in or not; staff also see drafts.
"""

from __future__ import annotations

import strawberry

from backend.cocreation import digests
from backend.cocreation.models import Digest, DigestStatus
from backend.errors import Invalid
from schema.access import EVERYONE, MANAGER_ROLES, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.declare import RESIDENTS, Access, Column, Resource, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id

mutations = Mutations()

PUBLISHED = {"status": {"eq": DigestStatus.PUBLISHED.value}}

DIGEST = Resource(
    name="Digest",
    plural="digests",
    model=Digest,
    description="The quarterly \"you said, we did\": the quarter's changes, the themes' trends, the counted "
    "rounds and picked success stories, with an introduction per language. Everyone reads published ones; staff "
    "read drafts too. Frozen once published.",
    members=[
        Column("year", "The calendar year of the quarter.", residents=True),
        Column("quarter", "The quarter, 1 to 4.", residents=True),
        Column("introduction", "The introduction, by language code; English is the fallback.", residents=True),
        Column(
            "content",
            "What it shows, as JSON: period (first, last), changes (reference, title and easy_read by language, "
            "status, percent, changed_on), themes (name by language, contacts and previous: counts, null under 5, "
            "direction), rounds (title, closed_on, results of name and votes) and stories (id, title, figures).",
            residents=True,
        ),
        Column("status", "Where it is: draft, submitted or published.", residents=True),
        Column("published_at", "When it was published; null: not yet.", residents=True),
        ToOne("drafted_by", "Who last assembled or edited it."),
        ToOne("approved_by", "The manager who approved and published it."),
        Column("created_at", "When it was first assembled."),
        Column("updated_at", "When it last changed."),
    ],
    access={**STAFF_ACCESS, **each(EVERYONE - STAFF_ROLES, Access(RESIDENTS, where=PUBLISHED))},
    default_order=("-year", "-quarter"),
)

RESOURCES = [DIGEST]


@strawberry.input(description="A quarter whose digest to assemble.")
class DigestAssembleInput:
    year: int = strawberry.field(description="The calendar year, 2000 to 2100.")
    quarter: int = strawberry.field(description="The quarter, 1 (January to March) to 4; begun already.")


@mutations.add("digestAssemble", roles=STAFF_ROLES, payload="DigestAssembled")
def assemble(context: Context, data: DigestAssembleInput) -> Outcome:
    """Assemble a quarter's digest, or assemble a draft again with today's figures (staff)."""
    return Outcome(digests.assemble_digest(context.actor, data.year, data.quarter).id)


@strawberry.input(description="A digest's introduction in one language.")
class DigestIntroductionInput:
    locale: str = strawberry.field(description="The language code, e.g. cy; one of the enabled languages.")
    text: str = strawberry.field(
        description="The introduction (up to 5,000 characters); empty removes it. Contact details are replaced."
    )


@strawberry.input(description="Change a draft digest: only what is given changes.")
class DigestUpdateInput:
    id: strawberry.ID = strawberry.field(description="The digest, a draft.")
    introductions: list[DigestIntroductionInput] | None = strawberry.field(
        default=None, description="The introduction in each language given; others stay as they are."
    )
    story_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The approved success stories it features (at most 10), replacing those picked."
    )


@mutations.add("digestUpdate", roles=STAFF_ROLES, payload="DigestUpdated")
def update(context: Context, data: DigestUpdateInput) -> Outcome:
    """Change a draft digest's introduction and its success stories (staff)."""
    introduction = (
        {item.locale[:10]: item.text for item in data.introductions} if data.introductions is not None else None
    )
    stories = [reference_id(raw) for raw in data.story_ids] if data.story_ids is not None else None
    try:
        return Outcome(digests.update_digest(context.actor, parse_id(data.id, "digest"), introduction, stories).id)
    except Invalid as error:
        raise _as_sent(error, data.introductions or []) from None


def _as_sent(error: Invalid, introductions: list[DigestIntroductionInput]) -> Invalid:
    """The problems placed where they are in the input as sent: an introduction's at its entry's text."""
    places = {item.locale[:10]: index for index, item in enumerate(introductions)}
    problems = []
    for problem in error.problems:
        at = problem.at
        if len(at) == 2 and at[0] == "introduction" and at[1] in places:
            at = ("introductions", places[str(at[1])], "text")
        problems.append(Invalid(problem.field, problem.code, at=at, **problem.params))
    return Invalid.many(problems)


@strawberry.input(description="A digest to act on.")
class DigestInput:
    id: strawberry.ID = strawberry.field(description="The digest.")


@mutations.add("digestSubmit", roles=STAFF_ROLES, payload="DigestSubmitted")
def submit(context: Context, data: DigestInput) -> Outcome:
    """Send a draft digest to the managers for approval (staff)."""
    return Outcome(digests.submit_digest(context.actor, parse_id(data.id, "digest")).id)


@mutations.add("digestPublish", roles=MANAGER_ROLES, payload="DigestPublished")
def publish(context: Context, data: DigestInput) -> Outcome:
    """Approve and publish a submitted digest (a manager who did not draft it); it is frozen from then on."""
    return Outcome(digests.publish_digest(context.actor, parse_id(data.id, "digest")).id)


@mutations.add("digestReturn", roles=MANAGER_ROLES, payload="DigestReturned")
def send_back(context: Context, data: DigestInput) -> Outcome:
    """Send a submitted digest back to draft, to be changed (managers)."""
    return Outcome(digests.return_digest(context.actor, parse_id(data.id, "digest")).id)
