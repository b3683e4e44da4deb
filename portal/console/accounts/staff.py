"""Console pages for staff accounts (admins): invite, roles, team and line manager, and a leaver handed over.

Each action is its own page: GET shows the form, POST does it through the API and goes back to the people list.
Closing a leaver's account can't be undone, so it asks for confirmation first, saying what will be handed over.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal import operations
from portal.access import roles_required
from portal.console.blueprint import bp
from portal.console.complaints.forms import CheckboxesField
from portal.forms import show_problem

STAFF_ROLE_CHOICES = [
    SelectChoice("staff", _l("Case handler")),
    SelectChoice("manager", _l("Manager")),
    SelectChoice("admin", _l("Administrator")),
]
ALL_ROLE_CHOICES = [
    SelectChoice("resident", _l("Resident")),
    SelectChoice("advocate", _l("Advocate")),
    SelectChoice("panel_member", _l("Scrutiny panel member")),
    *STAFF_ROLE_CHOICES,
]
TEAM_HINT = _l("Residents are told this team handles their case. At most 100 characters.")


def _staff_choices(empty: str, leaving: str | None = None) -> list[SelectChoice]:
    people = operations.run("ConsoleStaffMembers")["people"]["nodes"]
    return [
        SelectChoice("", empty),
        *(SelectChoice(str(p["id"]), f"{p['displayName']} ({p['email']})") for p in people if str(p["id"]) != leaving),
    ]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("They sign in with it, and are sent a link to choose their password."),
        validators=[DataRequired(_l("Enter their email address.")), Length(max=254)],
    )
    display_name = StringField(_l("Name"), validators=[DataRequired(_l("Enter their name.")), Length(max=120)])
    roles = CheckboxesField(
        _l("Roles"), choices=STAFF_ROLE_CHOICES, validators=[DataRequired(_l("Choose at least one role."))]
    )
    team = StringField(_l("Team (optional)"), description=TEAM_HINT, validators=[Length(max=100)])
    manager_id = SelectField(_l("Line manager (optional)"), validate_choice=False)


class RolesForm(FlaskForm):
    roles = CheckboxesField(
        _l("Roles"), choices=ALL_ROLE_CHOICES, validators=[DataRequired(_l("Choose at least one role."))]
    )


class TeamForm(FlaskForm):
    team = StringField(_l("Team"), description=TEAM_HINT, validators=[Length(max=100)])
    manager_id = SelectField(
        _l("Line manager"),
        description=_l("They are told when this person's cases are at risk of being late, or late."),
        validate_choice=False,
    )


class LeaverForm(FlaskForm):
    successor_id = SelectField(
        _l("Who takes over their work"),
        description=_l("Their open complaints, outstanding actions and the people they manage go to this person."),
        validate_choice=False,
    )
    confirmed = HiddenField()


def _person(person_id: int) -> dict[str, Any]:
    person = operations.run("ConsoleStaffPerson", {"id": str(person_id)})["person"]
    if person is None:
        abort(404)
    return person


def _back(message: str) -> Any:
    flash(message, "success")
    return redirect(url_for("console.people"))


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required("admin")
def staff_invite() -> Any:
    """Invite a member of staff: they are emailed a link to choose their password."""
    form = InviteForm()
    form.manager_id.choices = _staff_choices(_("No line manager"))
    if form.validate_on_submit():
        variables = {
            "email": form.email.data,
            "displayName": form.display_name.data,
            "roles": form.roles.data,
            "team": form.team.data or None,
            "managerId": form.manager_id.data or None,
        }
        result = operations.run_mutation("ConsolePersonInvite", {"input": variables})
        if result.problem is None:
            return _back(
                _(
                    "The account is made. %(name)s has been sent a link to choose a password.",
                    name=form.display_name.data,
                )
            )
        show_problem(form, result.problem)
    status = 400 if form.is_submitted() else 200
    return render_template("console/staff_invite.html", form=form), status


@bp.route("/people/<int:person_id>/roles", methods=["GET", "POST"])
@roles_required("admin")
def staff_roles(person_id: int) -> Any:
    """Change the roles someone holds."""
    person = _person(person_id)
    form = RolesForm()
    if request.method == "GET":
        form.roles.data = [grant["role"] for grant in person["roles"]]
    if form.validate_on_submit():
        result = operations.run_mutation(
            "ConsolePersonRolesSet", {"input": {"id": str(person_id), "roles": form.roles.data}}
        )
        if result.problem is None:
            return _back(_("The roles of %(name)s are saved.", name=person["displayName"]))
        show_problem(form, result.problem)
    status = 400 if form.is_submitted() else 200
    return render_template("console/staff_roles.html", form=form, person=person), status


@bp.route("/people/<int:person_id>/team", methods=["GET", "POST"])
@roles_required("admin")
def staff_team(person_id: int) -> Any:
    """Set a member of staff's team and line manager."""
    person = _person(person_id)
    form = TeamForm()
    form.manager_id.choices = _staff_choices(_("No line manager"), leaving=str(person_id))
    if request.method == "GET":
        form.team.data = person["team"] or ""
        form.manager_id.data = str(person["manager"]["id"]) if person["manager"] else ""
    if form.validate_on_submit():
        variables = {"id": str(person_id), "team": form.team.data or None, "managerId": form.manager_id.data or None}
        result = operations.run_mutation("ConsolePersonTeamSet", {"input": variables})
        if result.problem is None:
            return _back(_("The team and line manager of %(name)s are saved.", name=person["displayName"]))
        show_problem(form, result.problem)
    status = 400 if form.is_submitted() else 200
    return render_template("console/staff_team.html", form=form, person=person), status


@bp.route("/people/<int:person_id>/leave", methods=["GET", "POST"])
@roles_required("admin")
def staff_leave(person_id: int) -> Any:
    """Close a leaver's account and hand over their work: choose the successor, confirm, then it is done."""
    person = _person(person_id)
    if not person["isActive"]:
        abort(404)
    form = LeaverForm()
    form.successor_id.choices = _staff_choices(_("Choose who takes over"), leaving=str(person_id))
    work = operations.run("ConsoleLeaverWork", {"id": str(person_id)})
    confirming = False
    if form.validate_on_submit():
        if form.confirmed.data != "yes":
            confirming = True  # the first POST shows what will happen; the second does it
        else:
            variables = {"id": str(person_id), "successorId": form.successor_id.data or None}
            result = operations.run_mutation("ConsolePersonDeactivate", {"input": variables})
            if result.problem is None:
                payload = result.data
                return _back(
                    _(
                        "%(name)s can no longer sign in. %(complaints)s complaints and %(actions)s actions were "
                        "handed over.",
                        name=person["displayName"],
                        complaints=payload["complaintsHandedOver"],
                        actions=payload["actionsHandedOver"],
                    )
                )
            show_problem(form, result.problem)
    names = {choice.value: choice.label for choice in form.successor_id.choices}  # type: ignore[union-attr]
    successor = names.get(form.successor_id.data or "", "") if form.successor_id.data else ""
    status = 400 if form.is_submitted() and not confirming else 200
    return render_template(
        "console/staff_leave.html", form=form, person=person, work=work, confirming=confirming, successor=successor
    ), status
