"""Forms for the contact and complaint console: logging a contact, classifying it, and each step of the journey.

Dates are typed as ISO dates (what ``<input type=date>`` sends) and checked here, so that a mistake is shown
next to its field in the viewer's language before anything reaches the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from backend.attachments.filetypes import KINDS
from backend.text import is_blank
from backend.timeutil import local_date
from portal.complaints import labels as case_labels
from schema.error_texts import INVALID

ACKNOWLEDGE_ROWS = 5
REMEDY_ROWS = 3
ACTION_ROWS = 3
# What a file input offers to pick; the server still checks every file by its content.
ACCEPT = ",".join(sorted({f".{kind.extension}" for kind in KINDS} | {kind.media_type for kind in KINDS}))
BLANK = SelectChoice("", _l("Not chosen"))


def choices(table: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in table.items()]


def limit(maximum: int) -> Length:
    return Length(max=maximum, message=_l("Keep this to %(max)d characters or fewer."))


class Visible:
    """Refuse a text made only of spaces or invisible characters, as the API does (it shows nothing)."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and is_blank(field.data):
            raise StopValidation(str(self.message))


def parse_date(value: str | None) -> dt.date | None:
    """The date an ``<input type=date>`` sent, or None when it is empty or not a real date."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


class IsoDate:
    """Check a typed date; ``not_future`` refuses dates after today (UK time), with ``future`` if given."""

    def __init__(self, not_future: bool = False, future: Any = None):
        self.not_future = not_future
        self.future = future

    def __call__(self, form: FlaskForm, field: Any) -> None:
        if not (field.data or "").strip():
            return
        day = parse_date(field.data)
        if day is None:
            raise ValidationError(gettext("Enter a real date, for example 2026-03-27."))
        if self.not_future and day > local_date():
            raise ValidationError(str(self.future) if self.future else gettext("The date cannot be in the future."))


class WholeNumber:
    def __init__(self, minimum: int, maximum: int):
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, form: FlaskForm, field: Any) -> None:
        raw = (field.data or "").strip()
        if not raw:
            return
        if not raw.isdigit() or not self.minimum <= int(raw) <= self.maximum:
            raise ValidationError(
                gettext(
                    "Enter a whole number from %(minimum)s to %(maximum)s.", minimum=self.minimum, maximum=self.maximum
                )
            )


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset with a legend by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def date_field(
    label: Any, required: str | None = None, not_future: bool = False, future: Any = None, **kwargs: Any
) -> StringField:
    """A typed date; ``future`` is the message for a date after today where ``not_future`` refuses one."""
    checks: list[Any] = [DataRequired(required)] if required else [Optional()]
    return StringField(label, validators=[*checks, IsoDate(not_future, future)], render_kw={"type": "date"}, **kwargs)


def ombudsman_details_field() -> BooleanField:
    """The tick that the resident was given the Ombudsman's details, which the service always requires."""
    required = _l(INVALID[("ombudsman_details_given", "required")])
    return BooleanField(_l("The resident was given the Ombudsman's details"), validators=[DataRequired(required)])


# --- Contacts ---------------------------------------------------------------------------------------------

WHO = [
    SelectChoice("account", _l("A resident with an account")),
    SelectChoice("person", _l("Someone without an account")),
    SelectChoice("anonymous", _l("Anonymous: they did not give their name")),
]


# The nation of the home a contact is about: it decides the complaints procedure and the ombudsman.
NATIONS = [
    SelectChoice("england", _l("England")),
    SelectChoice("wales", _l("Wales")),
    SelectChoice("scotland", _l("Scotland")),
    SelectChoice("northern_ireland", _l("Northern Ireland")),
]
NATION_REQUIRED = _l("Choose the nation of the home this is about.")


def nation_field(description: Any) -> SelectField:
    return SelectField(_l("Nation of the home"), description=description, choices=[BLANK, *NATIONS], default="")


# "How should we write to them?" for someone without an account.
WRITE_BY = [
    SelectChoice("", _l("They did not say: email if we have one, else a letter, else a text message")),
    SelectChoice("email", _l("Email")),
    SelectChoice("sms", _l("Text message")),
    SelectChoice("post", _l("Letter by post")),
    SelectChoice("phone", _l("Phone call: a member of staff reads each message to them")),
]


class ContactPersonForm(FlaskForm):
    """The details recorded for someone without an account, as staff correct or complete them."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the person's name.")), limit(120)])
    phone = StringField(_l("Phone number"), validators=[limit(30)])
    email = EmailField(_l("Email address"), validators=[limit(254)])
    address = TextAreaField(_l("Address"), validators=[limit(500)])
    postcode = StringField(_l("Postcode"), validators=[limit(10)])
    contact_channel = RadioField(_l("How should we write to them?"), choices=WRITE_BY, default="")


class ContactForm(FlaskForm):
    who = RadioField(_l("Who is it from?"), choices=WHO, default="account")
    resident_email = EmailField(
        _l("The resident's email address"),
        description=_l("For a resident with an account. We find the account and their home from it."),
        validators=[limit(254)],
    )
    person_name = StringField(_l("Name"), validators=[limit(120)])
    person_phone = StringField(_l("Phone number"), validators=[limit(30)])
    person_email = EmailField(_l("Email address"), validators=[limit(254)])
    person_address = TextAreaField(_l("Address"), validators=[limit(500)])
    person_postcode = StringField(_l("Postcode"), validators=[limit(10)])
    person_contact_channel = RadioField(
        _l("How should we write to them?"),
        description=_l("Our messages about this go this way, in the language they used."),
        choices=WRITE_BY,
        default="",
    )
    nation = nation_field(
        _l(
            "It decides the complaints procedure and the ombudsman. Needed when there is no home on record; "
            "for a resident with a home on record, leave it to use their home's."
        )
    )
    channel = RadioField(
        _l("How did it reach us?"),
        choices=choices(case_labels.CHANNELS),
        validators=[DataRequired(_l("Choose how this came in."))],
    )
    received_date = date_field(_l("Date received"), required=_l("Give the date it was received."), not_future=True)
    received_time = StringField(
        _l("Time received"),
        description=_l("UK time, on the 24-hour clock, for example 14:05."),
        validators=[DataRequired(_l("Give the time it was received."))],
        render_kw={"type": "time"},
    )
    locale = SelectField(_l("Language they used"), default="en")
    description = TextAreaField(
        _l("What they told us, in their own words"),
        description=_l("Write it down as they said it. It is kept exactly as written."),
        validators=[DataRequired(_l("Write down what they told us.")), limit(20_000)],
    )
    wants_to_complain = BooleanField(_l("They want to make a complaint"))
    interpreter_used = BooleanField(_l("An interpreter was used"))
    interpreter_service = StringField(
        _l("Interpreting service"), description=_l("For example Language Line."), validators=[limit(100)]
    )
    representative_kind = SelectField(
        _l("Someone is acting for them"),
        choices=[SelectChoice("", _l("Nobody: they contacted us themselves")), *choices(case_labels.REPRESENTATIVES)],
        default="",
    )
    representative_name = StringField(_l("Representative's name"), validators=[limit(120)])
    representative_contact = StringField(_l("Representative's phone number or email address"), validators=[limit(254)])
    representative_consent = BooleanField(_l("The resident consents to the representative acting for them"))
    adjustments = TextAreaField(_l("Reasonable adjustments they asked for"), validators=[limit(2_000)])
    vulnerabilities = CheckboxesField(
        _l("Things we should take into account"),
        description=_l("Tick any that they told us about."),
        choices=choices(case_labels.VULNERABILITIES),
    )
    service_area = SelectField(_l("Service area"), default="")
    category = SelectField(_l("Category"), default="")
    attachments = MultipleFileField(
        _l("Files"),
        description=_l("Photos, recordings, PDFs or office documents they sent. You can choose several."),
        render_kw={"accept": ACCEPT},
    )
    idempotency_key = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.who.data == "account" and not (self.resident_email.data or "").strip():
            self.resident_email.errors.append(gettext("Give the resident's email address, or choose another option."))
            valid = False
        if self.who.data == "person" and not (self.person_name.data or "").strip():
            self.person_name.errors.append(gettext("Give the person's name."))
            valid = False
        if self.who.data != "account" and not self.nation.data:
            # Only an account can have a home on record; without one, the nation must be chosen.
            self.nation.errors.append(str(NATION_REQUIRED))
            valid = False
        if self.representative_kind.data and not self.representative_consent.data:
            self.representative_consent.errors.append(
                gettext("Record that the resident consents to the representative acting for them.")
            )
            valid = False
        return valid


class ClassifyForm(FlaskForm):
    kind = RadioField(
        _l("What is it?"),
        choices=choices(case_labels.KINDS),
        validators=[DataRequired(_l("Choose what the contact is."))],
    )
    reason = TextAreaField(
        _l("Why"),
        description=_l("For example: they are unhappy with the service and want us to look into it."),
        validators=[DataRequired(_l("Give the reason.")), limit(2_000)],
    )
    service_area = SelectField(_l("Service area"), default="")
    category = SelectField(_l("Category"), default="")
    nation = nation_field(_l("There is no home on record for this contact. Choose it before making it a complaint."))


class MergeForm(FlaskForm):
    complaint = StringField(
        _l("Complaint reference or number"),
        description=_l("For example LL-2026-000042."),
        validators=[DataRequired(_l("Give the complaint's reference.")), limit(30)],
    )
    reason = TextAreaField(
        _l("Why they belong together"), validators=[DataRequired(_l("Give the reason.")), limit(2_000)]
    )


# --- Complaint steps --------------------------------------------------------------------------------------


def acknowledge_form_class() -> type[FlaskForm]:
    """Five blank rows of points, so that no script is needed to add one; empty rows are ignored."""
    fields: dict[str, Any] = {}
    for row in range(1, ACKNOWLEDGE_ROWS + 1):
        fields[f"point_{row}"] = TextAreaField(_l("What the complaint is about"), validators=[limit(2_000)])
        fields[f"outcome_{row}"] = StringField(_l("The outcome they want"), validators=[limit(2_000)])
    fields["outcomes_sought"] = TextAreaField(
        _l("What the resident wants to happen overall"),
        validators=[DataRequired(_l("Write down what the resident wants to happen.")), limit(10_000)],
    )
    fields["summary"] = TextAreaField(
        _l("Our understanding of the complaint"),
        description=_l("Sent to the resident with the acknowledgement."),
        validators=[limit(10_000)],
    )
    return type("AcknowledgeForm", (FlaskForm,), fields)


class AssignForm(FlaskForm):
    handler = SelectField(_l("Case handler"), default="", validators=[DataRequired(_l("Choose a member of staff."))])


class MediationForm(FlaskForm):
    note = TextAreaField(
        _l("How mediation was offered"), validators=[DataRequired(_l("Write down how it was offered.")), limit(2_000)]
    )


class ExtendForm(FlaskForm):
    days = StringField(
        _l("Extra working days"),
        validators=[DataRequired(_l("Give the number of working days.")), WholeNumber(1, 60)],
        render_kw={"inputmode": "numeric"},
    )
    reason = TextAreaField(_l("Why we need more time"), validators=[DataRequired(_l("Give the reason.")), limit(2_000)])
    told_on = date_field(
        _l("Date the resident was told"),
        required=_l(INVALID[("told_on", "required")]),
        not_future=True,
        future=_l(INVALID[("told_on", "in_future")]),
    )
    ombudsman_details_given = ombudsman_details_field()
    good_reason = TextAreaField(
        _l("Good reason for going beyond the procedure's limit (only if you need more days than are left)"),
        validators=[limit(2_000)],
    )
    backdate_reason = TextAreaField(
        _l("Why the date the resident was told is before today (only if it is)"),
        description=_l("You can go back up to 5 working days; further back, a manager records it."),
        validators=[limit(2_000)],
    )


def respond_form_class(points: list[dict[str, Any]], final: bool, default_next_steps: str) -> type[FlaskForm]:
    """A decision and its reasons for every point, then reasons, the way on, remedies, actions and closure."""
    decisions = choices(case_labels.DECISIONS)
    fields: dict[str, Any] = {}
    for point in points:
        fields[f"decision_{point['id']}"] = RadioField(
            _l("Decision"), choices=decisions, validators=[DataRequired(_l("Choose a decision on this point."))]
        )
        # The Code (6.7, 6.18): clear reasons for every decision, so each point's reasons are required.
        fields[f"decision_reasons_{point['id']}"] = TextAreaField(
            _l("Reasons for this decision"),
            validators=[DataRequired(_l("Give the reasons for the decision on this point.")), limit(4_000)],
        )
    fields["reasons"] = TextAreaField(
        _l("Our answer and the reasons for it"), validators=[DataRequired(_l("Give the reasons.")), limit(10_000)]
    )
    fields["next_steps"] = TextAreaField(
        _l("What they can do next"),
        default=default_next_steps,
        validators=[DataRequired(_l("Say how to escalate or go to the Ombudsman.")), limit(4_000)],
    )
    for row in range(1, REMEDY_ROWS + 1):
        fields[f"remedy_kind_{row}"] = SelectField(
            _l("Kind of remedy"), choices=[BLANK, *choices(case_labels.REMEDIES)], default=""
        )
        fields[f"remedy_description_{row}"] = TextAreaField(_l("What we will do"), validators=[limit(2_000)])
        fields[f"remedy_amount_{row}"] = StringField(
            _l("Amount in pounds (financial redress)"), render_kw={"inputmode": "decimal"}, validators=[limit(20)]
        )
        fields[f"remedy_due_{row}"] = date_field(_l("Done by"))
        fields[f"remedy_owner_{row}"] = SelectField(
            _l("Who will do it"), description=_l("They are told before and after it falls due."), default=""
        )
    for row in range(1, ACTION_ROWS + 1):
        fields[f"action_description_{row}"] = TextAreaField(_l("What still needs doing"), validators=[limit(2_000)])
        fields[f"action_due_{row}"] = date_field(_l("Done by"))
        fields[f"action_owner_{row}"] = SelectField(
            _l("Who will do it"), description=_l("They are told before and after it falls due."), default=""
        )
    required = (
        _l("Required: this is the final stage, so this answer closes the complaint.")
        if final
        else _l("Required when any point is upheld or partly upheld.")
    )
    fields["underlying_cause"] = TextAreaField(
        _l("The underlying cause"), description=required, validators=[limit(10_000)]
    )
    fields["remedial_action"] = TextAreaField(
        _l("The remedial action we are taking"), description=required, validators=[limit(10_000)]
    )
    return type("RespondForm", (FlaskForm,), fields)


class EscalateForm(FlaskForm):
    requested_on = date_field(
        _l("Date the resident asked"),
        not_future=True,
        description=_l(
            "The next stage's deadlines count from this date (today if you leave it empty). "
            "It cannot be before our answer."
        ),
    )
    reason = TextAreaField(
        _l("Their reason (optional)"), description=_l("They do not need to give one."), validators=[limit(10_000)]
    )
    backdate_reason = TextAreaField(
        _l("Why the date they asked is before today (only if it is)"),
        description=_l("You can go back up to 5 working days; further back, a manager records it."),
        validators=[limit(2_000)],
    )


class RefuseForm(FlaskForm):
    ground = RadioField(
        _l("Ground for not taking it forward"),
        choices=choices(case_labels.REFUSAL_GROUNDS),
        validators=[DataRequired(_l("Choose the ground for refusing the complaint."))],
    )
    reasons = TextAreaField(_l("Reasons"), validators=[DataRequired(_l("Give the reasons.")), limit(10_000)])
    ombudsman_details_given = ombudsman_details_field()


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Why they withdrew it (optional)"), validators=[limit(2_000)])


class CloseForm(FlaskForm):
    underlying_cause = TextAreaField(
        _l("The underlying cause"), validators=[DataRequired(_l("Give the underlying cause.")), limit(10_000)]
    )
    remedial_action = TextAreaField(
        _l("The remedial action we are taking"),
        validators=[DataRequired(_l("Give the remedial action.")), limit(10_000)],
    )


class ReferForm(FlaskForm):
    reference = StringField(
        _l("The Ombudsman's reference"),
        validators=[DataRequired(_l("Give the Ombudsman's reference.")), limit(50)],
    )


class DeterminationForm(FlaskForm):
    determination = SelectField(
        _l("The Ombudsman's determination"),
        choices=[BLANK, *choices(case_labels.DETERMINATIONS)],
        default="",
        validators=[DataRequired(_l("Choose the Ombudsman's determination."))],
    )
    orders = TextAreaField(
        _l("Orders and recommendations"),
        description=_l("They become one order to follow through. Record further orders one by one afterwards."),
        validators=[limit(4_000)],
    )
    orders_due_on = date_field(_l("Date the orders are due by"), description=_l("Required when there are orders."))


class UpdateForm(FlaskForm):
    body = TextAreaField(
        _l("Your update to the resident"), validators=[DataRequired(_l("Write your message.")), limit(4_000)]
    )


class ActionCompleteForm(FlaskForm):
    note = TextAreaField(_l("Note for the resident (optional)"), validators=[limit(4_000)])


# --- Settings ---------------------------------------------------------------------------------------------


class StageForm(FlaskForm):
    acknowledge_days = StringField(
        _l("Working days to acknowledge"),
        description=_l("Leave empty for no acknowledgement deadline."),
        validators=[WholeNumber(1, 30)],
        render_kw={"inputmode": "numeric"},
    )
    respond_days = StringField(
        _l("Working days to respond"),
        validators=[DataRequired(_l("Give the number of working days.")), WholeNumber(1, 60)],
        render_kw={"inputmode": "numeric"},
    )
    max_extension_days = StringField(
        _l("Most working days it can be extended by"),
        validators=[DataRequired(_l("Give the number of working days.")), WholeNumber(0, 60)],
        render_kw={"inputmode": "numeric"},
    )


class ClosureDayForm(FlaskForm):
    day = date_field(_l("Date"), required=_l("Give the date."))
    name = StringField(
        _l("Why we are closed"),
        description=_l("For example: office closed between Christmas and New Year."),
        validators=[DataRequired(_l("Give a name for the day.")), limit(100)],
    )


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), limit(100)])
