"""Console pages for scrutiny panels: the list, a panel's page (members, support, reviews, work programme and
make-up) and the forms that create and change a panel, its members and its support."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from backend.panels.reviews import PAST
from backend.timeutil import local_date
from portal import operations
from portal.access import roles_required
from portal.console.blueprint import STAFF, bp
from portal.console.complaints.forms import BLANK, IsoDate, choices, limit
from portal.forms import show_problem

DATE = {"type": "date"}

SIGN_OFF_RULES = {
    "chair": _l("The chair alone"),
    "chair_or_vice": _l("The chair, or the vice-chair when the chair is absent"),
    "quorum": _l("A recorded quorum of members"),
}
APPROVAL_BODIES = {
    "executive": _l("An executive director"),
    "committee": _l("A committee of the board"),
    "board": _l("The board"),
}
ROLES = {"member": _l("Member"), "chair": _l("Chair"), "vice_chair": _l("Vice-chair")}
PAPERS = {
    "email": _l("By email, with the workspace"),
    "post": _l("By post"),
    "large_print": _l("By post, in large print"),
}
STATUSES = {
    "planned": _l("Planned"),
    "gathering": _l("Gathering evidence"),
    "reporting": _l("Drafting findings and recommendations"),
    "awaiting_response": _l("Waiting for the landlord's response"),
    "responded": _l("Responded: actions followed to done"),
    "published": _l("Published"),
    "closed": _l("Closed"),
}
KINDS = {
    "service": _l("A service or process"),
    "documents": _l("Letters and leaflets"),
    "follow_up": _l("A follow-up of an earlier review"),
}
SOURCES = {
    "theme": _l("A theme of lessons and complaints"),
    "votes": _l("Residents' votes"),
    "trend": _l("A trend in the figures"),
    "panel": _l("The panel's own choice"),
    "follow_up": _l("A follow-up of an earlier review"),
}
MODES = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("In person and online"),
}
DIMENSIONS = {
    "age_band": _l("Age band"),
    "tenure": _l("Tenure"),
    "area": _l("Area (postcode district)"),
    "language": _l("Language"),
    "disability": _l("Disability"),
}
LABELS = {
    "sign_off_rules": SIGN_OFF_RULES,
    "approval_bodies": APPROVAL_BODIES,
    "roles": ROLES,
    "papers": PAPERS,
    "statuses": STATUSES,
    "kinds": KINDS,
    "sources": SOURCES,
    "dimensions": DIMENSIONS,
    "modes": MODES,
}


def form_page(form: FlaskForm, heading: str, submit: str, back: tuple[str, str], intro: tuple[str, ...] = ()) -> Any:
    """One form on its own page."""
    return render_template(
        "console/panels/form.html",
        form=form,
        heading=heading,
        submit_label=submit,
        back_url=back[0],
        back_label=back[1],
        intro=intro,
    )


def submit(form: FlaskForm, name: str, variables: dict[str, Any], done: str) -> Any:
    """Run a mutation with the form's values: None when it went through (``done`` is flashed), else the status."""
    result = operations.run_mutation(name, {"input": variables})
    if result.problem is None:
        flash(done, "success")
        return None
    if result.problem.get("__typename") == "NotFoundError":
        abort(404)
    show_problem(form, result.problem)
    return result.status


def people_options(people: list[dict[str, Any]], blank: bool = False) -> list[SelectChoice]:
    return [*([BLANK] if blank else []), *(SelectChoice(p["id"], f"{p['displayName']} ({p['email']})") for p in people)]


def panel_choices() -> dict[str, Any]:
    data = operations.run("ConsolePanelChoices")
    return {"staff": data["staff"]["nodes"], "members": data["members"]["nodes"], "themes": data["themes"]["nodes"]}


def get_panel(panel_id: int) -> dict[str, Any]:
    data = operations.run("ConsolePanel", {"id": str(panel_id)})
    if data["panel"] is None:
        abort(404)
    return {**data["panel"], "makeup": data["panelMakeup"]}


@bp.route("/panels")
@roles_required(*STAFF)
def panels() -> Any:
    """Every scrutiny panel, with its current members and reviews under way."""
    today = local_date().isoformat()
    rows = []
    for panel in operations.run("ConsolePanels")["panels"]["nodes"]:
        current = [m for m in panel["memberships"] if not m["endedOn"] or m["endedOn"] >= today]
        under_way = [r for r in panel["reviews"] if r["status"] not in PAST]
        rows.append({**panel, "members": len(current), "under_way": len(under_way)})
    return render_template("console/panels/list.html", panels=rows)


@bp.route("/panels/<int:panel_id>")
@roles_required(*STAFF)
def panel(panel_id: int) -> Any:
    """A panel: its members with their dates, training, confidentiality and conflicts, its support staff, its
    reviews current and past, its work programme, and its make-up beside all residents."""
    data = get_panel(panel_id)
    today = local_date().isoformat()
    current = [m for m in data["memberships"] if not m["endedOn"] or m["endedOn"] >= today]
    past = [m for m in data["memberships"] if m not in current]
    reviews_now = [r for r in data["reviews"] if r["status"] not in PAST]
    reviews_past = [r for r in data["reviews"] if r["status"] in PAST]
    return render_template(
        "console/panels/panel.html",
        panel=data,
        current=current,
        past=past,
        reviews_now=reviews_now,
        reviews_past=reviews_past,
        labels=LABELS,
    )


class PanelForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the panel's name.")), limit(120)])
    terms_of_reference = TextAreaField(
        _l("Terms of reference"), validators=[Optional(), limit(10_000)], render_kw={"rows": 8}
    )
    sign_off_rule = RadioField(_l("Who signs off its reports"), choices=choices(SIGN_OFF_RULES), default="chair")
    quorum = IntegerField(
        _l("Quorum"),
        description=_l("How many members make a quorum, for a sign-off by quorum."),
        default=3,
        validators=[NumberRange(1, 50, _l("Give a number from 1 to 50."))],
    )
    response_working_days = IntegerField(
        _l("Working days for the landlord's response"),
        default=40,
        validators=[NumberRange(1, 250, _l("Give a number from 1 to 250."))],
    )
    approval_body = RadioField(
        _l("Who approves the landlord's responses"), choices=choices(APPROVAL_BODIES), default="executive"
    )
    senior_lead = SelectField(_l("Senior lead (told of late evidence)"), validators=[Optional()])
    reward_rule = TextAreaField(
        _l("Reward rule"),
        description=_l("For example: a £25 voucher for each review completed."),
        validators=[Optional(), limit(2_000)],
        render_kw={"rows": 2},
    )
    reward_pence = IntegerField(
        _l("Reward per review, in pence (optional)"),
        validators=[Optional(), NumberRange(0, 100_000, _l("Give a number from 0 to 100,000."))],
    )
    follow_up_months = IntegerField(
        _l("Months after the response that a follow-up review is due"),
        default=6,
        validators=[NumberRange(6, 12, _l("Give a number from 6 to 12."))],
    )


def _panel_values(form: PanelForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "termsOfReference": form.terms_of_reference.data or "",
        "signOffRule": form.sign_off_rule.data,
        "quorum": form.quorum.data,
        "responseWorkingDays": form.response_working_days.data,
        "approvalBody": form.approval_body.data,
        "seniorLeadId": form.senior_lead.data or None,
        "rewardRule": form.reward_rule.data or "",
        "rewardPence": form.reward_pence.data,
        "followUpMonths": form.follow_up_months.data,
    }


@bp.route("/panels/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_new() -> Any:
    """Create a panel."""
    form = PanelForm()
    form.senior_lead.choices = people_options(panel_choices()["staff"], blank=True)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            result = operations.run_mutation("ConsolePanelCreate", {"input": _panel_values(form)})
            if result.problem is None:
                flash(_("The panel is created. Add its members."), "success")
                return redirect(url_for("console.panel", panel_id=result.data["panel"]["id"]))
            show_problem(form, result.problem)
            status = result.status
        else:
            status = 400
    back = (url_for("console.panels"), _("Back to the panels"))
    return form_page(form, _("Create a panel"), _("Create the panel"), back), status


@bp.route("/panels/<int:panel_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_edit(panel_id: int) -> Any:
    """Change a panel's terms of reference, sign-off rule, quorum, response time, approval, lead and reward."""
    data = get_panel(panel_id)
    form = PanelForm()
    form.senior_lead.choices = people_options(panel_choices()["staff"], blank=True)
    status = 200
    if request.method == "GET":
        form.name.data, form.terms_of_reference.data = data["name"], data["termsOfReference"]
        form.sign_off_rule.data, form.quorum.data = data["signOffRule"], data["quorum"]
        form.response_working_days.data, form.approval_body.data = data["responseWorkingDays"], data["approvalBody"]
        form.senior_lead.data = data["seniorLead"]["id"] if data["seniorLead"] else ""
        form.reward_rule.data, form.reward_pence.data = data["rewardRule"], data["rewardPence"]
        form.follow_up_months.data = data["followUpMonths"]
    elif form.validate_on_submit():
        variables = {"id": str(panel_id), **_panel_values(form)}
        status = submit(form, "ConsolePanelUpdate", variables, _("The panel is saved."))
        if status is None:
            return redirect(url_for("console.panel", panel_id=panel_id))
    else:
        status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Change the panel"), _("Save"), back, (data["name"],)), status


class SupportForm(FlaskForm):
    person = SelectField(_l("Member of staff"), validators=[DataRequired(_l("Choose a member of staff."))])
    duty = StringField(_l("What they do for the panel"), validators=[Optional(), limit(100)])


@bp.route("/panels/<int:panel_id>/support/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_support_new(panel_id: int) -> Any:
    """Add a member of staff to those who support the panel."""
    data = get_panel(panel_id)
    form = SupportForm()
    form.person.choices = people_options(panel_choices()["staff"], blank=True)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            variables = {"panelId": str(panel_id), "personId": form.person.data, "duty": form.duty.data or ""}
            status = submit(form, "ConsolePanelSupportAdd", variables, _("The member of staff is added."))
            if status is None:
                return redirect(url_for("console.panel", panel_id=panel_id))
        else:
            status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Add support staff"), _("Add"), back, (data["name"],)), status


@bp.route("/panels/<int:panel_id>/support/<int:support_id>/end", methods=["POST"])
@roles_required(*STAFF)
def panel_support_end(panel_id: int, support_id: int) -> Any:
    """Take a member of staff off those who support the panel."""
    result = operations.run_mutation(
        "ConsolePanelSupportEnd", {"input": {"panelId": str(panel_id), "id": str(support_id)}}
    )
    if result.problem is not None:
        abort(404)
    flash(_("The member of staff no longer supports the panel."), "success")
    return redirect(url_for("console.panel", panel_id=panel_id))


class MembershipForm(FlaskForm):
    person = SelectField(
        _l("Resident"),
        description=_l("Residents with the scrutiny panel member role."),
        validators=[DataRequired(_l("Choose a resident."))],
    )
    role = RadioField(_l("Role"), choices=choices(ROLES), default="member")
    started_on = StringField(
        _l("Day they join"), validators=[DataRequired(_l("Give the day they join.")), IsoDate()], render_kw=DATE
    )
    training_done_on = StringField(
        _l("Day they finished the induction training (optional)"),
        validators=[Optional(), IsoDate(not_future=True)],
        render_kw=DATE,
    )
    training_note = TextAreaField(_l("Training done (optional)"), validators=[Optional(), limit(10_000)])
    confidentiality_signed_on = StringField(
        _l("Day they signed the confidentiality agreement (optional)"),
        description=_l("They see no evidence until they have signed it."),
        validators=[Optional(), IsoDate(not_future=True)],
        render_kw=DATE,
    )
    conflicts = TextAreaField(_l("Interests declared (optional)"), validators=[Optional(), limit(10_000)])
    papers_by = RadioField(_l("Meeting papers"), choices=choices(PAPERS), default="email")
    rewards_opt_out = BooleanField(_l("They asked not to receive rewards"))


def _membership_values(form: MembershipForm) -> dict[str, Any]:
    return {
        "role": form.role.data,
        "startedOn": form.started_on.data,
        "trainingDoneOn": form.training_done_on.data or None,
        "trainingNote": form.training_note.data or "",
        "confidentialitySignedOn": form.confidentiality_signed_on.data or None,
        "conflicts": form.conflicts.data or "",
        "papersBy": form.papers_by.data,
        "rewardsOptOut": bool(form.rewards_opt_out.data),
    }


@bp.route("/panels/<int:panel_id>/members/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_member_new(panel_id: int) -> Any:
    """Put a resident on the panel."""
    data = get_panel(panel_id)
    form = MembershipForm()
    form.person.choices = people_options(panel_choices()["members"], blank=True)
    status = 200
    if request.method == "GET":
        form.started_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {"panelId": str(panel_id), "personId": form.person.data, **_membership_values(form)}
        status = submit(form, "ConsolePanelMembershipAdd", variables, _("The member is added."))
        if status is None:
            return redirect(url_for("console.panel", panel_id=panel_id))
    else:
        status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Add a member"), _("Add the member"), back, (data["name"],)), status


def _membership(data: dict[str, Any], membership_id: int) -> dict[str, Any]:
    found = next((m for m in data["memberships"] if str(m["id"]) == str(membership_id)), None)
    if found is None:
        abort(404)
    return found


@bp.route("/panels/<int:panel_id>/members/<int:membership_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_member_edit(panel_id: int, membership_id: int) -> Any:
    """Change a member's role, dates, training, confidentiality, conflicts, papers or rewards choice."""
    data = get_panel(panel_id)
    membership = _membership(data, membership_id)
    form = MembershipForm()
    del form.person
    status = 200
    if request.method == "GET":
        form.role.data, form.started_on.data = membership["role"], membership["startedOn"]
        form.training_done_on.data = membership["trainingDoneOn"] or ""
        form.training_note.data, form.conflicts.data = membership["trainingNote"], membership["conflicts"]
        form.confidentiality_signed_on.data = membership["confidentialitySignedOn"] or ""
        form.papers_by.data, form.rewards_opt_out.data = membership["papersBy"], membership["rewardsOptOut"]
    elif form.validate_on_submit():
        variables = {"id": str(membership_id), **_membership_values(form)}
        status = submit(form, "ConsolePanelMembershipUpdate", variables, _("The membership is saved."))
        if status is None:
            return redirect(url_for("console.panel", panel_id=panel_id))
    else:
        status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("Change a membership"), _("Save"), back, (membership["memberName"] or "",)), status


class EndForm(FlaskForm):
    ended_on = StringField(
        _l("Day they left"), validators=[DataRequired(_l("Give the day they left.")), IsoDate()], render_kw=DATE
    )


@bp.route("/panels/<int:panel_id>/members/<int:membership_id>/end", methods=["GET", "POST"])
@roles_required(*STAFF)
def panel_member_end(panel_id: int, membership_id: int) -> Any:
    """End a membership."""
    data = get_panel(panel_id)
    membership = _membership(data, membership_id)
    form = EndForm()
    status = 200
    if request.method == "GET":
        form.ended_on.data = local_date().isoformat()
    elif form.validate_on_submit():
        variables = {"id": str(membership_id), "endedOn": form.ended_on.data}
        status = submit(form, "ConsolePanelMembershipEnd", variables, _("The membership has ended."))
        if status is None:
            return redirect(url_for("console.panel", panel_id=panel_id))
    else:
        status = 400
    back = (url_for("console.panel", panel_id=panel_id), _("Back to the panel"))
    return form_page(form, _("End a membership"), _("End it"), back, (membership["memberName"] or "",)), status
