"""Priority rounds and votes: setting a round up, publishing and cancelling it, residents' votes with every rule they
must keep, the re-vote a theme merge asks for, and counting a closed round."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from backend.accounts.models import User
from backend.audit.models import AuditEvent
from backend.cocreation import ballots, demo, rounds, votes
from backend.cocreation.models import PriorityRound, RevoteRequest, RoundTheme, Vote
from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from backend.events.models import OutboxEvent
from backend.lessons import theme_figures, themes
from backend.lessons.models import ThemeFigures
from backend.notifications.registry import EVENTS
from backend.timeutil import utcnow
from tests import factories
from tests.factories import actor_of

NOW = utcnow().replace(microsecond=0)


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


@pytest.fixture
def staff() -> Any:
    return actor_of(factories.make_staff())


@pytest.fixture
def manager() -> Any:
    return actor_of(factories.make_user("manager"))


def resident(**home: Any) -> Any:
    return factories.make_user("resident", home=factories.make_home(**home))


def values(**changes: Any) -> dict[str, Any]:
    made = {
        "title": {"en": "What should we fix first?", "cy": "Beth ddylen ni ei drwsio gyntaf?"},
        "description": {"en": "Spread your three dots."},
        "opens_at": NOW + dt.timedelta(days=1),
        "closes_at": NOW + dt.timedelta(days=15),
        "budget": 3,
        "max_per_theme": 3,
        "theme_ids": [factories.make_published_theme().id, factories.make_published_theme().id],
    }
    made.update(changes)
    return made


# --- Setting a round up -------------------------------------------------------------------------------------------


def test_create_round_makes_a_draft_with_its_ballot(staff: Any) -> None:
    given = values(areas=["cf10", "LS1"], tenures=["rented"])
    made = rounds.create_round(staff, given)
    assert made.status == "draft" and made.areas == ["CF10", "LS1"] and made.tenures == ["rented"]
    assert rounds.ballot_ids(made.id) == given["theme_ids"]
    assert AuditEvent.select().where(AuditEvent.action == "priority_round.created").exists()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"title": {"cy": "Dim Saesneg"}}, ("title", "english_required")),
        ({"title": {"en": "x" * 201}}, ("title", "too_long")),
        ({"title": {"xx": "Unknown"}}, ("title", "unsupported")),
        ({"description": {"en": "x" * 5001}}, ("description", "too_long")),
        ({"closes_at": NOW}, ("closes_at", "not_after_opens")),
        ({"opens_at": "not a date"}, ("opens_at", "invalid")),
        ({"budget": 0}, ("budget", "out_of_range")),
        ({"budget": 21}, ("budget", "out_of_range")),
        ({"budget": 2, "max_per_theme": 3}, ("max_per_theme", "over_budget")),
        ({"max_per_theme": 0}, ("max_per_theme", "out_of_range")),
        ({"budget_unit": "street"}, ("budget_unit", "unsupported")),
        ({"tenures": ["owner"]}, ("tenures", "unsupported")),
        ({"nations": ["france"]}, ("nations", "unsupported")),
        ({"areas": ["CARDIFF"]}, ("areas", "invalid_area")),
        ({"areas": [f"LS{n}" for n in range(1, 52)]}, ("areas", "too_many")),
        ({"theme_ids": []}, ("theme_ids", "out_of_range")),
        ({"theme_ids": None}, ("theme_ids", "out_of_range")),
        ({"colour": "red"}, ("colour", "unknown_field")),
    ],
)
def test_create_round_refuses_bad_input(staff: Any, change: dict[str, Any], problem: tuple[str, str]) -> None:
    with pytest.raises(Invalid) as error:
        rounds.create_round(staff, values(**change))
    assert problem in codes(error.value)
    assert not PriorityRound.select().exists()


def test_create_round_refuses_a_theme_not_published(staff: Any) -> None:
    with pytest.raises(Invalid) as error:
        rounds.create_round(staff, values(theme_ids=[factories.make_published_theme().id, factories.make_theme().id]))
    assert codes(error.value) == {("theme_ids", "not_published")}


def test_create_round_refuses_fifty_one_themes(staff: Any) -> None:
    many = [factories.make_published_theme().id for _ in range(51)]
    with pytest.raises(Invalid) as error:
        rounds.create_round(staff, values(theme_ids=many))
    assert codes(error.value) == {("theme_ids", "out_of_range")}


def test_residents_may_not_set_a_round_up() -> None:
    with pytest.raises(NotAllowed):
        rounds.create_round(actor_of(resident()), values())


def test_update_round_changes_a_draft_and_its_ballot(staff: Any) -> None:
    made = rounds.create_round(staff, values())
    third = factories.make_published_theme()
    changed = rounds.update_round(staff, made.id, {"budget": 5, "theme_ids": [third.id, *rounds.ballot_ids(made.id)]})
    assert changed.budget == 5 and rounds.ballot_ids(made.id)[0] == third.id


def test_update_round_is_refused_once_it_has_opened(staff: Any) -> None:
    opened = factories.make_priority_round()
    with pytest.raises(Conflict) as error:
        rounds.update_round(staff, opened.id, {"budget": 5})
    assert error.value.code == "round_frozen"


def test_publish_round_makes_it_public(staff: Any, manager: Any) -> None:
    made = rounds.create_round(staff, values())
    published = rounds.publish_round(manager, made.id)
    assert published.status == "published" and published.published_at is not None
    assert OutboxEvent.select().where(OutboxEvent.name == "cocreation.round_published").exists()
    with pytest.raises(Conflict):
        rounds.publish_round(manager, made.id)


def test_staff_who_are_not_managers_may_not_publish(staff: Any) -> None:
    made = rounds.create_round(staff, values())
    with pytest.raises(NotAllowed):
        rounds.publish_round(staff, made.id)


def test_cancel_round_needs_a_reason_and_keeps_it_in_the_audit(manager: Any) -> None:
    opened = factories.make_priority_round()
    with pytest.raises(Invalid) as error:
        rounds.cancel_round(manager, opened.id, "  ")
    assert codes(error.value) == {("reason", "required")}
    rounds.cancel_round(manager, opened.id, "The ballot left out repairs.")
    entry = AuditEvent.get(AuditEvent.action == "priority_round.cancelled")
    assert entry.changes["reason"]["after"] == "The ballot left out repairs."
    assert OutboxEvent.select().where(OutboxEvent.name == "cocreation.round_cancelled").exists()


# --- Votes ------------------------------------------------------------------------------------------------------


def open_round(**values_: Any) -> Any:
    values_.setdefault("budget", 3)
    values_.setdefault("max_per_theme", 3)
    return factories.make_priority_round(**values_)


def test_set_votes_records_the_allocation_and_what_is_left() -> None:
    voting = open_round()
    first, second = rounds.ballot_ids(voting.id)
    person = resident()
    left = votes.set_votes(actor_of(person), voting.id, {first: 2, second: 1})
    assert (left.used, left.remaining) == (3, 0)
    assert votes.my_votes(actor_of(person), voting.id) == {first: 2, second: 1}
    event = OutboxEvent.get(OutboxEvent.name == "cocreation.votes_set")
    assert event.payload == {"round_id": voting.id, "user_id": person.id}
    audit = AuditEvent.get(AuditEvent.action == "priority_round.votes_set")
    assert audit.changes == {"dots_used": {"before": 0, "after": 3}}  # how many, never for what


def test_set_votes_replaces_the_previous_allocation_and_zero_removes() -> None:
    voting = open_round()
    first, second = rounds.ballot_ids(voting.id)
    person = actor_of(resident())
    votes.set_votes(person, voting.id, {first: 2, second: 1})
    votes.set_votes(person, voting.id, {first: 0, second: 3})
    assert votes.my_votes(person, voting.id) == {second: 3}


def test_double_submitting_the_same_votes_counts_once() -> None:
    voting = open_round()
    first, _ = rounds.ballot_ids(voting.id)
    person = actor_of(resident())
    votes.set_votes(person, voting.id, {first: 2})
    votes.set_votes(person, voting.id, {first: 2})
    assert Vote.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "priority_round.votes_set").count() == 1


@pytest.mark.parametrize(
    ("dates", "code"),
    [
        ({"opens_at": NOW + dt.timedelta(days=1)}, "round_not_open"),
        ({"opens_at": NOW - dt.timedelta(days=9), "closes_at": NOW - dt.timedelta(days=1)}, "round_closed"),
        ({"status": "cancelled"}, "round_cancelled"),
    ],
)
def test_a_vote_outside_an_open_round_is_refused(dates: dict[str, Any], code: str) -> None:
    voting = open_round(**dates)
    first, _ = rounds.ballot_ids(voting.id)
    with pytest.raises(Conflict) as error:
        votes.set_votes(actor_of(resident()), voting.id, {first: 1})
    assert error.value.code == code
    assert not Vote.select().exists()


def test_a_vote_in_a_draft_round_finds_nothing() -> None:
    draft = open_round(status="draft")
    with pytest.raises(NotFound):
        votes.set_votes(actor_of(resident()), draft.id, {rounds.ballot_ids(draft.id)[0]: 1})


@pytest.mark.parametrize(
    ("allocation", "problem"),
    [
        ("beyond", ("votes", "over_budget")),
        ("too_many_dots", ("dots", "out_of_range")),
        ("negative", ("dots", "out_of_range")),
        ("off_ballot", ("theme_id", "not_on_ballot")),
    ],
)
def test_a_bad_allocation_is_refused_and_nothing_changes(allocation: str, problem: tuple[str, str]) -> None:
    voting = open_round(max_per_theme=2)
    first, second = rounds.ballot_ids(voting.id)
    given = {
        "beyond": {first: 2, second: 2},
        "too_many_dots": {first: 3},
        "negative": {first: -1},
        "off_ballot": {factories.make_published_theme().id: 1},
    }[allocation]
    person = actor_of(resident())
    with pytest.raises(Invalid) as error:
        votes.set_votes(person, voting.id, given)
    assert problem in codes(error.value)
    assert not Vote.select().exists()


def test_one_vote_per_theme_allows_only_one_dot_each() -> None:
    voting = open_round(max_per_theme=1)
    first, _ = rounds.ballot_ids(voting.id)
    with pytest.raises(Invalid) as error:
        votes.set_votes(actor_of(resident()), voting.id, {first: 2})
    assert codes(error.value) == {("dots", "out_of_range")}


@pytest.mark.parametrize(
    ("rules", "home", "reason"),
    [
        ({"tenures": ["shared_ownership"]}, {"tenure": "rented"}, "tenure"),
        ({"nations": ["wales"]}, {"nation": "england"}, "nation"),
        ({"areas": ["CF10"]}, {}, "area"),  # the factory's homes are in LS1
        ({"areas": ["CF10"]}, None, "no_home"),
        ({"budget_unit": "home"}, None, "no_home"),
    ],
)
def test_an_ineligible_resident_may_not_vote(rules: dict[str, Any], home: Any, reason: str) -> None:
    voting = open_round(**rules)
    person = factories.make_user("resident", home=factories.make_home(**home) if home is not None else None)
    with pytest.raises(Conflict) as error:
        votes.set_votes(actor_of(person), voting.id, {rounds.ballot_ids(voting.id)[0]: 1})
    assert (error.value.code, error.value.params) == ("not_eligible", {"reason": reason})
    assert not Vote.select().exists()


def test_a_resident_in_a_listed_area_may_vote() -> None:
    voting = open_round(areas=["LS1"], nations=["england"])
    votes.set_votes(actor_of(resident()), voting.id, {rounds.ballot_ids(voting.id)[0]: 1})
    assert Vote.select().count() == 1


@pytest.mark.parametrize("role", ["staff", "manager", "advocate", "panel_member"])
def test_only_residents_vote(role: str) -> None:
    voting = open_round()
    with pytest.raises(NotAllowed):
        votes.set_votes(actor_of(factories.make_user(role)), voting.id, {rounds.ballot_ids(voting.id)[0]: 1})


def test_a_home_budget_is_shared_by_its_residents() -> None:
    voting = open_round(budget_unit="home")
    first, second = rounds.ballot_ids(voting.id)
    home = factories.make_home()
    one, two = (actor_of(factories.make_user("resident", home=home)) for _ in range(2))
    votes.set_votes(one, voting.id, {first: 2})
    assert votes.my_budget(two, voting.id).remaining == 1
    with pytest.raises(Conflict) as error:
        votes.set_votes(two, voting.id, {second: 2})
    assert (error.value.code, error.value.params) == ("home_budget_spent", {"remaining": 1})
    votes.set_votes(two, voting.id, {second: 1})
    assert votes.my_budget(one, voting.id).remaining == 0


def test_nobody_moves_another_residents_votes() -> None:
    voting = open_round()
    first, second = rounds.ballot_ids(voting.id)
    one, two = actor_of(resident()), actor_of(resident())
    votes.set_votes(one, voting.id, {first: 2})
    votes.set_votes(two, voting.id, {second: 1})
    assert votes.my_votes(one, voting.id) == {first: 2}


# --- Merging a theme asks its voters to vote again -------------------------------------------------------------------


def test_merging_a_theme_asks_its_voters_to_vote_again_and_moves_nothing(manager: Any) -> None:
    voting = open_round()
    merged, kept = rounds.ballot_ids(voting.id)
    into = factories.make_published_theme()
    person = actor_of(resident())
    votes.set_votes(person, voting.id, {merged: 2, kept: 1})
    themes.merge_theme(manager, merged, into.id)
    assert votes.my_votes(person, voting.id) == {kept: 1}  # nothing moved to the theme merged into
    assert votes.my_budget(person, voting.id).remaining == 2
    asked = RevoteRequest.get()
    assert (asked.voter_id, asked.theme_id, asked.merged_into_id, asked.dots) == (person.user_id, merged, into.id, 2)
    assert rounds.ballot_ids(voting.id) == [into.id, kept]
    event = OutboxEvent.get(OutboxEvent.name == "cocreation.revote_requested")
    assert event.payload == {
        "round_id": voting.id,
        "user_id": person.user_id,
        "theme_id": merged,
        "merged_into_id": into.id,
    }
    assert "cocreation.revote_requested" in EVENTS
    votes.set_votes(person, voting.id, {kept: 1, into.id: 2})
    assert RevoteRequest.get().answered_at is not None


def test_merging_a_theme_leaves_a_closed_rounds_votes_as_they_were(manager: Any) -> None:
    closed = open_round(opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=1))
    merged, _ = rounds.ballot_ids(closed.id)
    factories.make_vote(closed, RoundTheme.get(RoundTheme.round == closed.id, RoundTheme.theme == merged).theme)
    themes.merge_theme(manager, merged, factories.make_published_theme().id)
    assert Vote.select().count() == 1 and not RevoteRequest.select().exists()
    assert merged in rounds.ballot_ids(closed.id)


# --- Counting ----------------------------------------------------------------------------------------------------


def test_counting_a_closed_round_sets_votes_and_voters_once(clock_at: Any) -> None:
    voting = open_round()
    first, second = rounds.ballot_ids(voting.id)
    for allocation in ({first: 2, second: 1}, {first: 1}, {second: 3}):
        votes.set_votes(actor_of(resident()), voting.id, allocation)
    assert ballots.results(voting.id) == []  # not public while open
    clock_at(voting.closes_at + dt.timedelta(minutes=1))
    assert ballots.count_closed_rounds() == 1
    assert ballots.count_round(voting.id) is False  # safe to run twice
    assert [(r.rank, r.theme_id, r.votes, r.voters) for r in ballots.results(voting.id)] == [
        (1, second, 4, 2),
        (2, first, 3, 2),
    ]
    assert PriorityRound.get_by_id(voting.id).counted_at is not None


def test_a_cancelled_round_is_never_counted(clock_at: Any, manager: Any) -> None:
    voting = open_round()
    votes.set_votes(actor_of(resident()), voting.id, {rounds.ballot_ids(voting.id)[0]: 1})
    rounds.cancel_round(manager, voting.id, "Wrong themes.")
    clock_at(voting.closes_at + dt.timedelta(minutes=1))
    assert ballots.count_closed_rounds() == 0 and ballots.results(voting.id) == []


def test_counting_feeds_the_themes_priority_score(clock_at: Any) -> None:
    voting = open_round()
    first, _ = rounds.ballot_ids(voting.id)
    votes.set_votes(actor_of(resident()), voting.id, {first: 3})
    version = ThemeFigures.get(ThemeFigures.theme == first).version
    votes_of = ThemeFigures.select(theme_figures.votes_sql(ThemeFigures.theme)).where(ThemeFigures.theme == first)
    assert votes_of.scalar() == 0  # not counted yet
    clock_at(voting.closes_at + dt.timedelta(minutes=1))
    ballots.count_closed_rounds()
    assert votes_of.scalar() == 3
    assert ThemeFigures.get(ThemeFigures.theme == first).version == version + 1


def test_votes_of_a_round_closed_over_a_year_ago_leave_the_score() -> None:
    old = open_round(opens_at=NOW - dt.timedelta(days=400), closes_at=NOW - dt.timedelta(days=380), counted_at=NOW)
    first, _ = rounds.ballot_ids(old.id)
    RoundTheme.update(votes=5).where(RoundTheme.round == old.id).execute()
    votes_of = ThemeFigures.select(theme_figures.votes_sql(ThemeFigures.theme)).where(ThemeFigures.theme == first)
    assert votes_of.scalar() == 0


def test_counting_150000_votes_takes_under_a_second(clock_at: Any) -> None:
    theme_list = [factories.make_published_theme() for _ in range(10)]
    voting = open_round(themes=theme_list)
    landlord = factories.make_landlord()
    factories.make_home(landlord=landlord)
    users = [{"email": f"voter{n}@example.net", "display_name": f"Voter {n}"} for n in range(15_000)]
    for start in range(0, len(users), 1000):
        User.insert_many(users[start : start + 1000]).execute()
    ids = [row.id for row in User.select(User.id).where(User.email.startswith("voter"))]
    rows = [
        {"round": voting.id, "theme": theme.id, "voter": voter, "dots": 1 + (voter % 3)}
        for voter in ids
        for theme in theme_list
    ]
    for start in range(0, len(rows), 5000):
        Vote.insert_many(rows[start : start + 5000]).execute()
    assert Vote.select().count() == 150_000
    clock_at(voting.closes_at + dt.timedelta(minutes=1))
    started = time.perf_counter()
    assert ballots.count_round(voting.id)
    assert time.perf_counter() - started < 1.0
    assert RoundTheme.get(RoundTheme.round == voting.id, RoundTheme.theme == theme_list[0].id).voters == 15_000


# --- The demo -----------------------------------------------------------------------------------------------------


def test_the_demo_has_an_open_round_the_welsh_resident_has_not_voted_in_and_a_counted_one() -> None:
    from backend.demo import load_demo  # loading the whole demo is slow to import; only this test needs it

    load_demo()
    load_demo()
    found = {row.title["en"]: row for row in PriorityRound.select()}
    assert set(found) == {demo.OPEN_ROUND, demo.PAST_ROUND}
    open_now, past = found[demo.OPEN_ROUND], found[demo.PAST_ROUND]
    assert rounds.phase_of(open_now) == "open" and (open_now.budget, open_now.budget_unit) == (3, "resident")
    welsh = User.get(User.email == "preswylydd@example.org")
    assert not Vote.select().where(Vote.round == open_now.id, Vote.voter == welsh.id).exists()
    assert past.counted_at is not None and rounds.phase_of(past) == "closed"
    assert [result.votes for result in ballots.results(past.id)][:3] == [4, 2, 0]
