"""Staff accounts managed by admins: invite, roles, team and line manager, and a leaver handed over in one step."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts import staff
from backend.accounts.models import ApiToken, User, UserSession
from backend.accounts.tokens import actor_for_user
from backend.audit.models import AuditEvent
from backend.complaints import handover, journey
from backend.complaints.models import Complaint, ComplaintStage, OutstandingAction
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.models import OutboxEvent
from backend.timeutil import local_date
from schema.context import Context
from tests import factories


@pytest.fixture
def admin() -> Any:
    return factories.actor_of(factories.make_user("admin"))


def codes(error: Invalid) -> set[tuple[str, str]]:
    return {(problem.field, problem.code) for problem in error.problems}


def test_admin_invites_a_member_of_staff_with_a_team_and_manager(admin: Any) -> None:
    manager = factories.make_user("manager")
    user = staff.invite_staff(admin, "New.Person@Example.net", "New Person", ["staff"], "Repairs team", manager.id)

    user = User.get_by_id(user.id)
    assert (user.email, user.team, user.manager_id, user.password_hash) == (
        "new.person@example.net",
        "Repairs team",
        manager.id,
        None,
    )
    assert user.role_names() == {"staff"}
    assert OutboxEvent.select().where(OutboxEvent.name == "account.invited").exists()
    actions = {event.action for event in AuditEvent.select().where(AuditEvent.entity_id == str(user.id))}
    assert {"account.created", "account.team_changed"} <= actions


def test_inviting_names_every_problem_at_once_and_creates_nothing(admin: Any) -> None:
    before = User.select().count()
    with pytest.raises(Invalid) as refused:
        staff.invite_staff(admin, "not an email", "", ["resident"], "x" * 101, 10**9)
    assert codes(refused.value) == {
        ("email", "invalid"),
        ("display_name", "required"),
        ("roles", "not_staff_roles"),
        ("team", "too_long"),
        ("manager", "not_staff"),
    }
    assert User.select().count() == before


def test_only_admins_manage_staff_accounts() -> None:
    manager = factories.actor_of(factories.make_user("manager"))
    with pytest.raises(NotAllowed):
        staff.invite_staff(manager, "x@example.net", "X", ["staff"])
    with pytest.raises(NotAllowed):
        staff.set_team(manager, factories.make_staff().id, "Team", None)
    with pytest.raises(NotAllowed):
        handover.hand_over_and_close(manager, factories.make_staff().id, None)


def test_team_and_manager_change_is_audited(admin: Any) -> None:
    person, manager = factories.make_staff(), factories.make_user("manager")
    staff.set_team(admin, person.id, "Lettings", manager.id)
    event = AuditEvent.select().where(AuditEvent.action == "account.team_changed").order_by(AuditEvent.id.desc()).get()
    assert event.changes["team"] == {"before": "Repairs team", "after": "Lettings"}
    assert event.changes["manager_id"] == {"before": None, "after": manager.id}


def test_a_circle_of_line_managers_is_refused(admin: Any) -> None:
    top = factories.make_user("manager")
    middle = factories.make_staff(manager=top)
    with pytest.raises(Invalid) as refused:
        staff.set_team(admin, top.id, None, middle.id)
    assert codes(refused.value) == {("manager", "circular")}
    with pytest.raises(Invalid):
        staff.set_team(admin, top.id, None, top.id)


@pytest.fixture
def leaver() -> Any:
    person = factories.make_staff()
    factories.make_session(person)
    factories.make_token(person, "write")
    return person


def test_a_leaver_loses_access_at_once(admin: Any, leaver: Any) -> None:
    handover.hand_over_and_close(admin, leaver.id, None)

    assert not User.get_by_id(leaver.id).is_active
    assert not UserSession.select().where(UserSession.user == leaver.id, UserSession.revoked_at.is_null()).exists()
    assert not ApiToken.select().where(ApiToken.user == leaver.id, ApiToken.revoked_at.is_null()).exists()
    assert AuditEvent.select().where(AuditEvent.action == "account.deactivated").exists()


def test_a_leavers_cases_actions_and_reports_go_to_the_successor_in_one_step(admin: Any, leaver: Any) -> None:
    successor = factories.make_staff(team="Lettings team")
    complaint = factories.responded_complaint(handler=leaver)
    open_case = factories.acknowledged_complaint(handler=leaver)
    OutstandingAction.update(owner=leaver.id).where(OutstandingAction.complaint == complaint.id).execute()
    report = factories.make_staff(manager=leaver)

    work = handover.hand_over_and_close(admin, leaver.id, successor.id)

    assert {c.id for c in work.complaints} == {complaint.id, open_case.id}
    for case in (complaint, open_case):
        fresh = Complaint.get_by_id(case.id)
        assert (fresh.handler_id, fresh.team) == (successor.id, "Lettings team")
        stage = ComplaintStage.get(ComplaintStage.complaint == case.id, ComplaintStage.number == fresh.stage)
        assert stage.handler_id == successor.id
    assert {a.owner_id for a in OutstandingAction.select().where(OutstandingAction.complaint == complaint.id)} == {
        successor.id
    }
    assert User.get_by_id(report.id).manager_id == successor.id
    handed = AuditEvent.select().where(AuditEvent.action == "complaint.handed_over").count()
    assert handed == 2
    assert AuditEvent.select().where(AuditEvent.action == "outstanding_action.handed_over").exists()


def test_a_leaver_with_work_needs_a_successor_and_nothing_changes_without_one(admin: Any, leaver: Any) -> None:
    factories.acknowledged_complaint(handler=leaver)
    with pytest.raises(Invalid) as refused:
        handover.hand_over_and_close(admin, leaver.id, None)
    assert codes(refused.value) == {("successor", "required")}
    assert User.get_by_id(leaver.id).is_active
    assert UserSession.select().where(UserSession.user == leaver.id, UserSession.revoked_at.is_null()).exists()


@pytest.mark.parametrize("who", ["resident", "inactive", "leaver"])
def test_the_successor_must_be_active_staff_other_than_the_leaver(admin: Any, leaver: Any, who: str) -> None:
    factories.acknowledged_complaint(handler=leaver)
    successor = {
        "resident": lambda: factories.make_user("resident"),
        "inactive": lambda: factories.make_user("staff", active=False),
        "leaver": lambda: leaver,
    }[who]()
    with pytest.raises(Invalid) as refused:
        handover.hand_over_and_close(admin, leaver.id, successor.id)
    assert codes(refused.value) == {("successor", "not_staff")}
    assert User.get_by_id(leaver.id).is_active


def test_a_successor_who_handled_an_earlier_stage_is_refused_for_that_case(admin: Any, leaver: Any) -> None:
    first_handler = factories.make_staff()
    complaint = factories.responded_complaint(handler=first_handler)
    resident_actor = actor_for_user(User.get_by_id(complaint.resident_id))
    journey.escalate_complaint(resident_actor, complaint.id)
    journey.assign_complaint(admin, complaint.id, leaver.id)

    with pytest.raises(Invalid) as refused:
        handover.hand_over_and_close(admin, leaver.id, first_handler.id)

    assert codes(refused.value) == {("successor", "handled_earlier_stage")}
    assert refused.value.problems[0].params["reference"] == complaint.reference
    assert Complaint.get_by_id(complaint.id).handler_id == leaver.id


def test_a_successor_the_complaint_names_is_refused_and_nothing_moves(admin: Any, leaver: Any) -> None:
    from backend.complaints import restricted

    named = factories.make_staff()
    complaint = factories.make_complaint()
    journey.assign_complaint(admin, complaint.id, leaver.id)
    restricted.name_staff(factories.actor_of(factories.make_user("manager")), complaint.id, named.id, "subject")

    with pytest.raises(Invalid) as refused:
        handover.hand_over_and_close(admin, leaver.id, named.id)

    assert codes(refused.value) == {("successor", "named_in_complaint")}
    assert refused.value.problems[0].params["reference"] == complaint.reference
    assert Complaint.get_by_id(complaint.id).handler_id == leaver.id
    assert User.get_by_id(leaver.id).is_active


def test_a_leaver_no_longer_holds_a_named_role(admin: Any, leaver: Any) -> None:
    from backend.complaints import roles

    factories.make_role_designation("senior_lead", leaver)
    assert roles.holder("senior_lead").id == leaver.id
    handover.hand_over_and_close(admin, leaver.id, None)
    assert roles.holder("senior_lead", local_date()) is None


def test_an_admin_cannot_close_their_own_account(admin: Any) -> None:
    with pytest.raises(Conflict):
        handover.hand_over_and_close(admin, admin.user_id, None)


# Through the API.


@pytest.fixture
def run(app: Any) -> Any:
    engine = app.extensions["learnloop.engine"]

    def execute(actor: Any, query: str, **variables: Any) -> Any:
        result = engine.schema_for_actor(actor).execute_sync(
            query, variable_values=variables, context_value=Context(actor=actor)
        )
        assert not result.errors, result.errors
        return result.data

    return execute


DEACTIVATE = """
mutation($input: PersonDeactivateInput!) {
  personDeactivate(input: $input) {
    __typename
    ... on PersonDeactivated { person { id isActive } complaintsHandedOver actionsHandedOver }
    ... on ValidationError { problems { field code } }
  }
}
"""


def test_person_deactivate_hands_over_and_reports_what_moved(run: Any, admin: Any, leaver: Any) -> None:
    factories.acknowledged_complaint(handler=leaver)
    successor = factories.make_staff()
    data = run(admin, DEACTIVATE, input={"id": str(leaver.id), "successorId": str(successor.id)})
    payload = data["personDeactivate"]
    assert payload["__typename"] == "PersonDeactivated"
    assert (payload["person"]["isActive"], payload["complaintsHandedOver"]) == (False, 1)


def test_person_deactivate_names_the_missing_successor(run: Any, admin: Any, leaver: Any) -> None:
    factories.acknowledged_complaint(handler=leaver)
    data = run(admin, DEACTIVATE, input={"id": str(leaver.id)})
    assert data["personDeactivate"]["problems"] == [{"field": "successorId", "code": "required"}]


def test_staff_who_are_not_admins_have_no_account_mutations(app: Any) -> None:
    engine = app.extensions["learnloop.engine"]
    actor = factories.actor_of(factories.make_user("manager"))
    result = engine.schema_for_actor(actor).execute_sync(
        DEACTIVATE, variable_values={"input": {"id": "1"}}, context_value=Context(actor=actor)
    )
    assert result.errors


def test_person_invite_and_team_set(run: Any, admin: Any) -> None:
    manager = factories.make_user("manager")
    data = run(
        admin,
        """mutation($input: PersonInviteInput!) { personInvite(input: $input) {
             ... on PersonInvited { person { id email team manager { id } } } } }""",
        input={
            "email": "invited@example.net",
            "displayName": "Invited",
            "roles": ["staff"],
            "managerId": str(manager.id),
        },
    )
    person = data["personInvite"]["person"]
    assert (person["email"], person["manager"]["id"]) == ("invited@example.net", str(manager.id))
    data = run(
        admin,
        """mutation($input: PersonTeamSetInput!) { personTeamSet(input: $input) {
             ... on PersonTeamSet { person { team manager { id } } } } }""",
        input={"id": person["id"], "team": "Estates"},
    )
    assert data["personTeamSet"]["person"] == {"team": "Estates", "manager": None}


def test_person_roles_set(run: Any, admin: Any) -> None:
    person = factories.make_staff()
    data = run(
        admin,
        """mutation($input: PersonRolesSetInput!) { personRolesSet(input: $input) {
             ... on PersonRolesSet { person { roles { role } } } } }""",
        input={"id": str(person.id), "roles": ["staff", "manager"]},
    )
    assert {r["role"] for r in data["personRolesSet"]["person"]["roles"]} == {"staff", "manager"}
