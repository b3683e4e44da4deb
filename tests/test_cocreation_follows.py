"""Who follows a change, their choices to follow and to stop, the messages of each move in their own language and
channel, the one-click stop link, and complainants told once that their complaint helped change this."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.cocreation import change_messages, followers
from backend.cocreation.models import Change, ChangeFollow, ChangeNotice
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound
from backend.events.models import Delivery, OutboxEvent
from backend.events.services import record_event
from backend.lessons import qa
from backend.reports import evidence
from backend.reports.periods import Period
from backend.timeutil import local_date, utcnow
from tests import factories
from tests.conftest import read_mail
from tests.factories import actor_of


def events(name: str) -> list[dict[str, Any]]:
    return [event.payload for event in OutboxEvent.select().where(OutboxEvent.name == name).order_by(OutboxEvent.id)]


def moved(change: Any, **values: Any) -> Any:
    """Record a move of the change as the changes' services do: its update and the event, in one transaction."""
    with transaction():
        update = factories.make_change_update(change, **values)
        record_event("cocreation.change_moved", {"change_id": change.id, "update_id": update.id})
    return update


def implemented(change: Any) -> Any:
    with transaction():
        update = factories.make_change_update(change, kind="status", status="implemented", percent=100)
        record_event("cocreation.change_moved", {"change_id": change.id, "update_id": update.id})
        record_event("cocreation.change_implemented", {"change_id": change.id, "update_id": update.id})
    return update


def voter_on(change: Any, **user: Any) -> Any:
    theme = factories.make_published_theme()
    factories.make_change_theme(change, theme)
    person = factories.make_user(home=factories.make_home(), **user)
    factories.make_vote(factories.make_priority_round(themes=[theme]), theme, person)
    return person


def progress_to(change: Any) -> list[int]:
    return sorted(p["user_id"] for p in events(change_messages.PROGRESS) if p["change_id"] == change.id)


# --- Who follows ---------------------------------------------------------------------------------------------------


def test_followers_are_linked_residents_voters_and_those_who_pressed_follow() -> None:
    change = factories.make_change()
    resident = factories.make_user(home=factories.make_home())
    factories.make_change_contact(change, factories.make_contact(resident))
    voter = voter_on(change)
    presser = factories.make_user()
    factories.make_change_follow(change, presser)
    factories.make_user()  # nobody to do with it
    assert followers.follower_ids(change.id) == sorted([resident.id, voter.id, presser.id])


def test_followers_leave_out_those_who_chose_to_stop() -> None:
    change = factories.make_change()
    voter = voter_on(change)
    factories.make_change_follow(change, voter, following=False, source="voter")
    assert followers.follower_ids(change.id) == []


def test_followers_leave_out_inactive_accounts_and_anonymous_contacts() -> None:
    change = factories.make_change()
    factories.make_change_follow(change, factories.make_user(active=False))
    contact = factories.make_contact()
    contact.anonymous = True
    contact.save()
    factories.make_change_contact(change, contact)
    assert followers.follower_ids(change.id) == []


def test_follow_reasons_say_why_in_order() -> None:
    change = factories.make_change()
    voter = voter_on(change)
    factories.make_change_contact(change, factories.make_contact(voter))
    followers.follow_change(actor_of(voter), change.id)
    assert followers.follow_reasons(change.id, voter.id) == ["pressed", "contact", "voter"]


# --- Following and stopping ----------------------------------------------------------------------------------------


def test_follow_change_twice_makes_one_row_and_one_audit_entry() -> None:
    change, person = factories.make_change(), factories.make_user()
    followers.follow_change(actor_of(person), change.id)
    row = followers.follow_change(actor_of(person), change.id)
    assert (row.following, row.source) == (True, "pressed")
    assert ChangeFollow.select().where(ChangeFollow.change == change.id).count() == 1
    assert (
        AuditEvent.select()
        .where(AuditEvent.action == "change.followed", AuditEvent.entity_id == str(change.id))
        .count()
        == 1
    )


def test_unfollow_change_wins_over_a_vote_and_is_idempotent() -> None:
    change = factories.make_change()
    voter = voter_on(change)
    followers.unfollow_change(actor_of(voter), change.id)
    row = followers.unfollow_change(actor_of(voter), change.id)
    assert (row.following, row.source) == (False, "voter")
    assert followers.follower_ids(change.id) == []
    assert followers.follow_reasons(change.id, voter.id) == []


def test_follow_again_after_stopping_follows() -> None:
    change, person = factories.make_change(), factories.make_user()
    followers.unfollow_change(actor_of(person), change.id)
    followers.follow_change(actor_of(person), change.id)
    assert followers.follower_ids(change.id) == [person.id]


@pytest.mark.parametrize("service", [followers.follow_change, followers.unfollow_change])
def test_follow_services_refuse_an_unpublished_or_unknown_change(service: Any) -> None:
    person = factories.make_user()
    draft = factories.make_change(published_at=None)
    for change_id in (draft.id, 10**9):
        with pytest.raises(NotFound):
            service(actor_of(person), change_id)


@pytest.mark.parametrize("service", [followers.follow_change, followers.unfollow_change])
def test_follow_services_refuse_visitors_and_read_only_tokens(service: Any) -> None:
    person = factories.make_user()
    for actor in (
        Actor(user_id=None),
        Actor(user_id=person.id, roles=frozenset({"resident"}), token_id=1, scope="read"),
    ):
        with pytest.raises(NotAllowed):
            service(actor, factories.make_change().id)


# --- The stop link -------------------------------------------------------------------------------------------------


def test_stop_link_stops_that_change_only() -> None:
    change, other = factories.make_change(), factories.make_change()
    person = factories.make_user()
    for each in (change, other):
        factories.make_change_follow(each, person)
    user, stopped = followers.stop_by_link(followers.stop_token(person.id, change.id))
    assert (user.id, stopped.id) == (person.id, change.id)
    assert followers.follower_ids(change.id) == []
    assert followers.follower_ids(other.id) == [person.id]


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" + t, lambda t: ""]
)
def test_tampered_stop_link_changes_nothing(tamper: Any) -> None:
    change, person = factories.make_change(), factories.make_user()
    factories.make_change_follow(change, person)
    with pytest.raises(Invalid) as raised:
        followers.stop_by_link(tamper(followers.stop_token(person.id, change.id)))
    assert raised.value.problems[0].code == "invalid"
    assert followers.follower_ids(change.id) == [person.id]


def test_expired_stop_link_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    change, person = factories.make_change(), factories.make_user()
    factories.make_change_follow(change, person)
    token = followers.stop_token(person.id, change.id)
    monkeypatch.setattr(followers, "STOP_MAX_AGE", -1)
    with pytest.raises(Invalid) as raised:
        followers.stop_by_link(token)
    assert raised.value.problems[0].code == "expired"
    assert followers.follower_ids(change.id) == [person.id]


def test_stop_link_of_another_salt_is_refused() -> None:
    from backend.notifications.preferences import unsubscribe_token

    person = factories.make_user()
    with pytest.raises(Invalid):
        followers.read_stop_token(unsubscribe_token(person.id, "changes"))


# --- Progress messages ---------------------------------------------------------------------------------------------


def test_a_move_tells_each_follower_once_even_when_run_twice() -> None:
    change = factories.make_change()
    people = [voter_on(change), factories.make_change_follow(change).user]
    update = moved(change, kind="percent", percent=75)
    assert change_messages.tell_followers(change.id, update.id) == 0
    assert progress_to(change) == sorted(person.id for person in people)
    assert ChangeNotice.select().where(ChangeNotice.change_update == update.id).count() == 2


def test_a_move_of_a_large_following_goes_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(change_messages, "BATCH", 2)
    change = factories.make_change()
    people = [factories.make_change_follow(change).user_id for _ in range(5)]
    moved(change)
    assert progress_to(change) == sorted(people)


def test_a_move_of_an_unpublished_change_tells_nobody() -> None:
    change = factories.make_change(published_at=None)
    factories.make_change_follow(change)
    moved(change)
    assert progress_to(change) == []


def test_a_follower_who_stopped_is_not_told() -> None:
    change = factories.make_change()
    voter = voter_on(change)
    followers.unfollow_change(actor_of(voter), change.id)
    moved(change)
    assert progress_to(change) == []


def test_progress_message_is_in_the_readers_language_with_the_milestone_title() -> None:
    change = factories.make_change(title={"en": "Reminder texts", "cy": "Negeseuon atgoffa"})
    welsh = factories.make_user(locale="cy")
    factories.make_change_follow(change, welsh)
    milestone = factories.make_change_milestone(change, title={"en": "Texts switched on", "cy": "Negeseuon ymlaen"})
    moved(change, kind="milestone", milestone=milestone.id)
    delivery = Delivery.get(Delivery.recipient_user_id == welsh.id)
    assert (delivery.locale, delivery.channel, delivery.topic) == ("cy", "email", "changes")
    assert "Negeseuon atgoffa" in delivery.body and "Negeseuon ymlaen" in delivery.body
    assert change.reference in delivery.subject


def test_progress_message_falls_back_to_english_and_says_the_status_in_words() -> None:
    change = factories.make_change(title={"en": "Reminder texts"})
    welsh = factories.make_user(locale="cy")
    factories.make_change_follow(change, welsh)
    moved(change, kind="status", status="in_progress")
    body = Delivery.get(Delivery.recipient_user_id == welsh.id).body
    assert "Reminder texts" in body
    assert change_messages.news(factories.make_change_update(change, status="planned"), "en") == "It is now planned."


def test_progress_message_goes_by_the_followers_channel() -> None:
    change = factories.make_change()
    texter = factories.make_user(phone="+447700900123", phone_verified=True)
    texter.contact_channel = "sms"
    texter.save()
    factories.make_change_follow(change, texter)
    moved(change, kind="percent", percent=80)
    delivery = Delivery.get(Delivery.recipient_user_id == texter.id)
    assert delivery.channel == "sms"
    assert "80%" in delivery.body


def test_progress_message_keeps_the_stop_link_out_of_the_stored_copy() -> None:
    change = factories.make_change()
    person = factories.make_change_follow(change).user
    moved(change)
    delivery = Delivery.get(Delivery.recipient_user_id == person.id)
    assert "/changes/stop/" not in delivery.action and "[link]" in delivery.action
    assert f"/changes/{change.reference}" in delivery.action


def test_progress_message_by_email_carries_a_stop_link_that_works(mail_dir: Path) -> None:
    change = factories.make_change()
    person = factories.make_change_follow(change).user
    moved(change)
    [mail] = [m for m in read_mail(mail_dir) if m["To"] == person.email]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    token = text.split("/changes/stop/")[1].split()[0]
    followers.stop_by_link(token)
    assert followers.follower_ids(change.id) == []


def test_progress_message_in_the_portal_says_how_to_stop_without_a_link() -> None:
    change = factories.make_change()
    person = factories.make_user()
    person.contact_channel = "portal"
    person.save()
    factories.make_change_follow(change, person)
    moved(change)
    delivery = Delivery.get(Delivery.recipient_user_id == person.id)
    assert delivery.channel == "portal"
    assert "Stop following" in delivery.action and "[link]" not in delivery.action


def test_advocates_copy_of_progress_has_no_stop_link() -> None:
    change = factories.make_change()
    person = factories.make_change_follow(change).user
    advocate = factories.make_user("advocate")
    factories.make_representation(advocate, person)
    moved(change)
    copy = Delivery.get(Delivery.recipient_user_id == advocate.id)
    assert copy.copy_for_user_id == person.id
    assert "[link]" not in copy.action


def test_progress_respects_a_follower_who_turned_changes_off() -> None:
    from backend.notifications.preferences import set_frequency

    change = factories.make_change()
    person = factories.make_change_follow(change).user
    set_frequency(actor_of(person), person.id, "changes", "off")
    moved(change)
    assert Delivery.get(Delivery.recipient_user_id == person.id).status == "skipped"


# --- "Your complaint helped change this" (item 12) -----------------------------------------------------------------


def linked_complaint(change: Any, resident: Any = None) -> Any:
    complaint = factories.make_complaint(resident or factories.make_user(home=factories.make_home()))
    factories.make_change_contact(change, complaint.contact)
    return complaint


def helped(change: Any) -> list[tuple[int, int]]:
    return [(p["user_id"], p["contact_id"]) for p in events(change_messages.HELPED) if p["change_id"] == change.id]


def test_implemented_change_tells_each_complainant_once_per_complaint() -> None:
    change = factories.make_change()
    first, second = linked_complaint(change), linked_complaint(change)
    factories.make_change_contact(change, factories.make_contact())  # not a complaint
    anonymous = linked_complaint(change)
    anonymous.contact.anonymous = True
    anonymous.contact.save()
    update = implemented(change)
    expected = [(c.resident_id, c.contact_id) for c in (first, second)]
    assert helped(change) == expected
    assert change_messages.tell_complainants_helped(change.id, update.id) == 0
    implemented(change)  # implemented again later: nobody is told twice
    assert helped(change) == expected


def test_complainant_is_told_personally_not_as_a_follower_of_the_implemented_move() -> None:
    change = factories.make_change()
    complaint = linked_complaint(change)
    voter = voter_on(change)
    implemented(change)
    assert progress_to(change) == [voter.id]
    assert helped(change) == [(complaint.resident_id, complaint.contact_id)]


def test_complaint_helped_names_their_complaint_and_the_change_in_their_language() -> None:
    change = factories.make_change(title={"en": "Reminder texts", "cy": "Negeseuon atgoffa"})
    complaint = linked_complaint(change, factories.make_user(locale="cy", home=factories.make_home()))
    other = linked_complaint(change)
    implemented(change)
    delivery = Delivery.get(
        Delivery.recipient_user_id == complaint.resident_id,
        Delivery.event.in_(OutboxEvent.select(OutboxEvent.id).where(OutboxEvent.name == change_messages.HELPED)),
    )
    assert complaint.reference in delivery.subject and "Negeseuon atgoffa" in delivery.body
    assert other.reference not in delivery.subject + delivery.body
    assert delivery.contact_id == complaint.contact_id


def test_complaint_helped_copies_the_residents_advocate() -> None:
    change = factories.make_change()
    complaint = linked_complaint(change)
    advocate = factories.make_user("advocate")
    factories.make_representation(advocate, complaint.resident)
    implemented(change)
    copies = Delivery.select().where(
        Delivery.recipient_user_id == advocate.id, Delivery.copy_for_user_id == complaint.resident_id
    )
    assert copies.count() >= 1


def test_monthly_qa_and_item_twelve_count_complainants_told() -> None:
    change = factories.make_change()
    linked_complaint(change)
    linked_complaint(change)
    implemented(change)
    implemented(change)
    first = local_date().replace(day=1)
    assert qa.figures(first)["complainants_told"] == 2
    month = qa.month_of(first)
    period = Period("month", month.first, month.last)
    Change.update(implemented_at=utcnow()).where(Change.id == change.id).execute()
    figure = evidence.figure_for("learning", "12", period)
    assert (figure.met, figure.due) == (2, 2)  # of the complaints behind changes implemented in the month


def test_monthly_qa_counts_nobody_told_in_another_month() -> None:
    change = factories.make_change()
    linked_complaint(change)
    implemented(change)
    earlier = (local_date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert qa.figures(earlier)["complainants_told"] == 0


# --- The demo ------------------------------------------------------------------------------------------------------


def test_demo_follows_does_nothing_without_changes_and_follows_once_with_one() -> None:
    from backend.cocreation.demo import _demo_follows
    from backend.cocreation.models import Change

    resident = factories.make_user(email="resident@example.org")
    Change.update(published_at=None).execute()
    _demo_follows()
    assert not ChangeFollow.select().where(ChangeFollow.user == resident.id).exists()
    change = factories.make_change()
    _demo_follows()
    _demo_follows()
    assert followers.followed_change_ids(resident.id) == [change.id]
    followers.unfollow_change(actor_of(resident), change.id)
    _demo_follows()  # their stop stays
    assert followers.followed_change_ids(resident.id) == []
