"""Priority rounds for residents: /rounds lists the open, upcoming and closed rounds; /rounds/<id> shows a round's
ballot in the reader's language, one form to vote while it is open (for a signed-in resident who may vote), why
not for anyone else, and the ranked results once it has closed and been counted.

Everything is read through the API as the viewer, and votes are sent with ``votesSet``: the page can never show or
do more than the API allows that person.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from portal import operations
from portal.cocreation.blueprint import bp
from portal.forms import show_problem


def in_language(texts: Any, locale: str) -> tuple[Any, str | None]:
    """The reader's-language entry of ``texts`` ({locale: value}), or the English one (then its language, so the
    page can mark it with its own ``lang``); ("", None) when there is none."""
    texts = texts or {}
    if locale in texts:
        return texts[locale], None
    if "en" in texts:
        return texts["en"], "en"
    for code, value in texts.items():
        return value, code
    return "", None


def why_not(code: str | None) -> str:
    texts = {
        "not_resident": _("Only residents can vote in priority rounds."),
        "no_home": _("We need to know which home you live in before you can vote in this round. Contact us to add it."),
        "tenure": _("This round is for residents with a different kind of tenancy from yours."),
        "nation": _("This round is for residents in another part of the UK."),
        "area": _("This round is for residents in other postcode areas."),
    }
    return texts.get(code or "", "")


@bp.route("/rounds")
def rounds() -> Any:
    """The published priority rounds: open, upcoming, and closed (or cancelled)."""
    found = operations.run("ResidentPriorityRounds")["priorityRounds"]["nodes"]
    groups: dict[str, list[Any]] = {"open": [], "upcoming": [], "closed": []}
    for node in found:
        groups["closed" if node["phase"] == "cancelled" else node["phase"]].append(node)
    return render_template(
        "cocreation/rounds/list.html", groups=groups, locale=str(get_locale()), in_language=in_language
    )


def _ballot_form(round_: Any, given: dict[str, int]) -> FlaskForm:
    """One field per ballot theme: a checkbox when a theme takes one vote, else a number from 0 to the most."""
    most = int(round_["maxPerTheme"])

    class BallotForm(FlaskForm):
        pass

    for entry in round_["ballot"]:
        name = f"theme_{entry['themeId']}"
        if most == 1:
            field: Any = BooleanField(default=bool(given.get(entry["themeId"])))
        else:
            message = _("Give each theme from 0 to %(most)s votes.", most=most)
            field = IntegerField(
                default=given.get(entry["themeId"], 0),
                validators=[Optional(), NumberRange(min=0, max=most, message=message)],
                render_kw={"inputmode": "numeric", "min": 0, "max": most},
            )
        setattr(BallotForm, name, field)
    return BallotForm()


@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
def round_page(round_id: int) -> Any:
    """A round's ballot: vote while it is open, see why not, or read the results once counted."""
    data = operations.run("ResidentPriorityRound", {"id": str(round_id)})
    round_, voting = data["priorityRound"], data["priorityRoundVoting"]
    if round_ is None or voting is None:
        abort(404)
    given = {vote["themeId"]: vote["dots"] for vote in voting["votes"]}
    may_vote = round_["phase"] == "open" and voting["ineligible"] is None
    form = _ballot_form(round_, given) if may_vote else None
    if request.method == "POST":
        if form is None:
            abort(404 if round_["phase"] != "open" else 403)
        if form.validate_on_submit() and _send(round_id, round_, form):
            flash(_("Your votes are saved. You can change them until the round closes."))
            return redirect(url_for("cocreation.round_page", round_id=round_id))
    locale = str(get_locale())
    results = sorted(round_["ballot"], key=lambda entry: (-(entry["countedVotes"] or 0), entry["position"]))
    failed = request.method == "POST"  # a vote that was saved has gone back to the page above
    page = render_template(
        "cocreation/rounds/round.html",
        round=round_,
        voting=voting,
        form=form,
        locale=locale,
        in_language=in_language,
        why_not=why_not(voting["ineligible"]),
        budget_words=_budget_words(voting),
        results=results if round_["countedAt"] and round_["phase"] == "closed" else [],
        sign_in=url_for("accounts.sign_in", next=request.path),
        signed_in=current_user.is_authenticated,
    )
    return (page, 400) if failed else page


def _send(round_id: int, round_: Any, form: FlaskForm) -> bool:
    """Send the form's votes with votesSet; put any problem on the form and say False."""
    votes = []
    for entry in round_["ballot"]:
        value = form[f"theme_{entry['themeId']}"].data
        dots = (1 if value else 0) if isinstance(value, bool) else int(value or 0)
        votes.append({"themeId": entry["themeId"], "dots": dots})
    used = sum(vote["dots"] for vote in votes)
    if used > int(round_["budget"]):
        form.form_errors.append(
            ngettext(
                "You have %(num)s vote in all, and you gave %(used)s. Take some away, then send them again.",
                "You have %(num)s votes in all, and you gave %(used)s. Take some away, then send them again.",
                int(round_["budget"]),
                used=used,
            )
        )
        return False
    outcome = operations.run_mutation("ResidentVotesSet", {"input": {"roundId": str(round_id), "votes": votes}})
    if outcome.problem is not None:
        show_problem(form, outcome.problem)
        return False
    return True


def _budget_words(voting: Any) -> str:
    """What is left of the budget, in words."""
    left, budget = int(voting["remaining"]), int(voting["budget"])
    if voting["shared"]:
        return ngettext(
            "Your home has %(num)s vote left of %(budget)s, shared by everyone who lives there.",
            "Your home has %(num)s votes left of %(budget)s, shared by everyone who lives there.",
            left,
            budget=budget,
        )
    return ngettext(
        "You have %(num)s vote left of %(budget)s.", "You have %(num)s votes left of %(budget)s.", left, budget=budget
    )
