"""The words for every expected failure, marked for translation and translated at the edge.

Both the API (typed errors) and the portal (form errors) look these texts up here, so a resident
sees the same sentence wherever a rule is broken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from babel import UnknownLocaleError
from babel.numbers import format_decimal

from backend.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound, Throttled
from backend.i18n import join_list


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message


INVALID = {
    ("email", "invalid"): N_("Enter an email address in the right format, like name@example.org."),
    ("password", "too_short"): N_("Your password must be at least %(minimum)s characters long."),
    ("password", "too_long"): N_("Your password must be at most %(maximum)s characters long."),
    ("password", "same_as_email"): N_("Your password must not be the same as your email address."),
    ("current_password", "incorrect"): N_("Your current password is not correct."),
    ("display_name", "required"): N_("Enter your name."),
    ("display_name", "too_long"): N_("Your name must be at most %(maximum)s characters long."),
    ("display_name", "hidden_characters"): N_(
        "Your name cannot contain line breaks or hidden formatting characters. Type it on one line."
    ),
    ("locale", "unsupported"): N_("Choose one of the languages on the list."),
    ("contact_channel", "unsupported"): N_("Choose one of the ways to contact you on the list."),
    ("phone", "invalid"): N_("Enter a phone number using digits, spaces and + only."),
    ("phone", "required_for_sms"): N_("Enter a mobile number so that we can send you text messages."),
    ("accessibility_needs", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
    ("reasonable_adjustments", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
    ("token", "expired"): N_("This link has expired. Ask for a new one."),
    ("token", "invalid"): N_("This link is not valid, or it has already been used. Ask for a new one."),
    ("code", "incorrect"): N_("That code is not right. Check it and try again."),
    ("code", "used"): N_("That code has just been used. Wait for the next code and enter that."),
    ("code", "expired"): N_("That code has run out or been tried too often. Ask for a new one."),
    ("code", "not_sent"): N_("No code has been sent to this number yet. Press “Text me a code” first."),
    ("phone", "required"): N_("Enter your phone number and save your details first."),
    ("advocate", "not_an_advocate"): N_("Choose someone with the advocate role."),
    ("resident", "not_a_resident"): N_("Choose someone with the resident role."),
    ("scope", "unsupported"): N_("Choose read or write access."),
    ("name", "too_long"): N_("The name must be at most %(maximum)s characters long."),
    ("ombudsman_name", "too_long"): N_("The Ombudsman's name must be at most %(maximum)s characters long."),
    ("ombudsman_details", "too_long"): N_("Keep the Ombudsman's contact details to %(maximum)s characters or fewer."),
    ("owner", "inactive"): N_("That account is deactivated."),
    ("owner", "unverified"): N_("Confirm your email address before you create a token."),
    ("roles", "unknown_role"): N_("Choose at least one role from the list."),
    ("nation", "unsupported"): N_("Choose England, Wales, Scotland or Northern Ireland."),
    ("nation", "required"): N_(
        "Choose the nation of the home this is about: England, Wales, Scotland or Northern Ireland. "
        "It decides the complaints procedure and the ombudsman."
    ),
    ("nation", "not_home_nation"): N_(
        "The home on record is in another nation. Leave the nation empty to use the home's, or check the home."
    ),
    ("tenure", "unsupported"): N_("Choose rented or shared ownership."),
    ("home", "not_found"): N_("There is no such home."),
    ("condition", "unknown_question"): N_("Choose an earlier question in this survey."),
    ("options", "too_few"): N_("Give between %(minimum)s and %(maximum)s options."),
    ("description", "required"): N_("Tell us what happened, in your own words."),
    ("description", "too_long"): N_("Keep this to %(maximum)s characters or fewer, or send the rest as a file."),
    ("channel", "unsupported"): N_("Choose how this came in from the list."),
    ("resident", "required"): N_("Choose the resident, give the person's name, or mark the contact as anonymous."),
    ("resident", "not_found"): N_("There is no such person."),
    ("anonymous", "with_resident"): N_("An anonymous contact cannot name a resident."),
    ("received_at", "in_future"): N_("The date received cannot be in the future."),
    ("representative_consent", "required"): N_(
        "Record that the resident consents to the representative acting for them."
    ),
    ("attachments", "too_large"): N_("“%(name)s” is too large. Each file must be smaller than %(megabytes)s MB."),
    ("attachments", "unsupported_type"): N_(
        "“%(name)s” is not a file type we accept. Send photos, audio, video, PDF or office documents."
    ),
    ("attachments", "script"): N_(
        "“%(name)s” is a program or a web page, so we cannot accept it. If it is a letter or notes, "
        "send it as a PDF or Word document, or write the words in the box."
    ),
    ("attachments", "empty"): N_("“%(name)s” is empty."),
    ("attachments", "too_many"): N_("Send at most %(maximum)s files at a time."),
    ("attachments", "not_stored"): N_(
        "We could not keep your files just now because our file store is full or not working. Nothing you typed has "
        "been lost. Try again later, or send your words without the files."
    ),
    ("related_request", "not_found"): N_("There is no such request."),
    ("decisions", "duplicate"): N_("This point already has a decision above. Give one decision for each point."),
    ("file", "not_pdf"): N_("Choose a PDF file that opens without a password."),
    ("file", "not_a_file"): N_("Choose a PDF file."),
    ("file", "too_large"): N_("The file must be smaller than %(megabytes)s MB."),
    ("related_request", "not_a_service_request"): N_("Only a service request can have a complaint about it."),
    ("channel", "staff_only"): N_(
        "Only staff log contacts that came by phone, by letter, in person or through an interpreter. "
        "Choose how you are telling us now."
    ),
    ("idempotency_key", "invalid"): N_("The idempotency key must be 8 to 80 characters long."),
    ("reason", "required"): N_("Give the reason."),
    ("points", "required"): N_("Write down at least one point of the complaint."),
    ("points", "too_many"): N_("Group the complaint into at most %(maximum)s points."),
    ("outcomes_sought", "required"): N_("Write down what the resident wants to happen."),
    ("handler", "not_staff"): N_("Choose a member of staff."),
    ("handler", "named_in_complaint"): N_(
        "This complaint names that member of staff, so they cannot handle it. Choose someone else."
    ),
    ("handler", "need_to_know"): N_(
        "This case is need-to-know. A manager must put that member of staff on its access list first."
    ),
    ("person", "required"): N_("Choose a member of staff."),
    ("person", "not_staff"): N_("Choose a member of staff."),
    ("person", "is_handler"): N_(
        "That member of staff handles this complaint. Give the case to someone else first, then record them."
    ),
    ("person", "already_named"): N_("This complaint already names that member of staff."),
    ("person", "named"): N_("This complaint names that member of staff, so they can never see it."),
    ("person", "already_listed"): N_("That member of staff is already on the access list."),
    ("person", "self"): N_("You cannot take yourself off the list: another manager on it must do that."),
    ("part", "required"): N_("Choose their part: the complaint is about them, or they were involved."),
    ("kind", "required"): N_("Choose why the case is need-to-know: safeguarding or domestic abuse."),
    ("kind", "not_restricted"): N_("This case is not need-to-know."),
    ("told_on", "in_future_for_staff"): N_("The day they were told cannot be in the future."),
    ("outcome_shared_on", "in_future"): N_("The date the outcome was shared cannot be in the future."),
    ("outcome_shared_on", "before_told"): N_(
        "The outcome can only be shared on or after the day they were told of the complaint. Give that day too."
    ),
    ("successor", "not_staff"): N_("Choose an active member of staff other than the person leaving."),
    ("successor", "required"): N_(
        "Choose who takes over: this person still has open complaints, outstanding actions or people they manage."
    ),
    ("successor", "handled_earlier_stage"): N_(
        "They handled an earlier stage of complaint %(reference)s, so they cannot take over its current stage. "
        "Reassign that complaint to someone else first."
    ),
    ("successor", "named_in_complaint"): N_(
        "Complaint %(reference)s names them, so they cannot take it over. Reassign that complaint to someone else "
        "first."
    ),
    ("successor", "need_to_know"): N_(
        "Complaint %(reference)s is need-to-know and they are not on its access list. Reassign that complaint to "
        "someone on the list first."
    ),
    ("manager", "not_staff"): N_("Choose an active member of staff as the line manager."),
    ("manager", "circular"): N_("Someone cannot be their own line manager, or the manager of their own manager."),
    ("roles", "not_staff_roles"): N_("Choose at least one staff role: case handler, manager or administrator."),
    ("told_on", "required"): N_("Give the date the resident was told."),
    ("told_on", "in_future"): N_("The date the resident was told cannot be in the future."),
    ("requested_at", "in_future"): N_("The date the resident asked cannot be in the future."),
    ("requested_at", "before_response"): N_("The date the resident asked cannot be before our answer at this stage."),
    ("told_on", "before_stage"): N_("The resident can't have been told before this stage began. Check the date."),
    ("told_on", "after_due"): N_("The resident must be told before the response was due."),
    ("attachments", "not_a_file"): N_("Send each attachment as a file."),
    ("ombudsman_details_given", "required"): N_("The resident must be given the Ombudsman's details."),
    ("ground", "required"): N_("Choose the ground for refusing the complaint."),
    ("ground", "unsupported"): N_("Choose one of the grounds on the list."),
    ("ground", "not_in_procedure"): N_(
        "This complaint's procedure does not allow that ground. Choose one of the grounds on the list."
    ),
    ("days", "beyond_cap"): N_(
        "Extend by at most %(maximum)s working days. Going beyond the procedure's %(cap)s working days needs "
        "a good reason and a manager's authorisation."
    ),
    ("days", "needs_manager"): N_(
        "This extension needs a manager's authorisation: a manager who is not the case handler must make it themselves."
    ),
    ("days", "needs_other_manager"): N_(
        "You handle this complaint, so you cannot authorise its extension: another manager must make it."
    ),
    ("acknowledge_days", "above_maximum"): N_(
        "Acknowledge within at most %(maximum)s working days (the complaints procedure's maximum)."
    ),
    ("acknowledge_days", "required_by_procedure"): N_(
        "The complaints procedure requires an acknowledgement at this stage: give at most %(maximum)s working days."
    ),
    ("respond_days", "above_maximum"): N_(
        "Respond within at most %(maximum)s working days (the complaints procedure's maximum)."
    ),
    ("max_extension_days", "above_maximum"): N_(
        "Allow at most %(maximum)s working days of extension (the complaints procedure's maximum)."
    ),
    ("respond_from", "longer_than_procedure"): N_(
        "The complaints procedure times the response from receipt, so it cannot be timed from the acknowledgement."
    ),
    ("max_stages", "below_statutory"): N_(
        "The complaints procedure has %(minimum)s stages. None of them can be removed."
    ),
    ("day", "in_past"): N_("A closure day cannot be in the past."),
    ("day", "invalid"): N_("Enter a real date, for example 2026-12-29."),
    ("reasons", "required"): N_("Give the reasons."),
    ("remedies", "amount_required"): N_("Give the amount of financial redress."),
    ("remedies", "bad_amount"): N_("Give the amount in pounds and pence, more than 0, like 150.00."),
    ("remedies", "due_before_complaint"): N_("A remedy can't be due before the complaint was made. Check the date."),
    ("actions", "due_before_complaint"): N_("An action can't be due before the complaint was made. Check the date."),
    ("remedies", "due_in_past"): N_(
        "A remedy can't be due on a day that has passed. Give today's date or a later one."
    ),
    ("actions", "due_in_past"): N_(
        "An action can't be due on a day that has passed. Give today's date or a later one."
    ),
    ("remedies", "due_required"): N_("Give the date each remedy will be done by."),
    ("actions", "due_required"): N_("Give the date each action will be done by."),
    ("remedies", "owner_required"): N_("Choose who will do each remedy."),
    ("actions", "owner_required"): N_("Choose who will do each action."),
    ("orders_due_on", "required"): N_("Give the date the Ombudsman set for the orders."),
    ("orders_due_on", "too_far"): N_("Check the date: it is more than five years away."),
    ("complied_on", "in_future"): N_("The date it was complied with cannot be in the future."),
    ("determination", "required"): N_("Choose the Ombudsman's determination."),
    ("body", "required"): N_("Write your message."),
    ("subject", "required"): N_("Give the message a subject. Only text messages go without one."),
    ("reference", "required"): N_("Give the Ombudsman's reference."),
    ("every_days", "required"): N_("Give how many working days apart the updates will be."),
    ("agreed_on", "required"): N_("Give the date the interval was agreed with the resident."),
    ("agreed_on", "in_future"): N_("The date it was agreed cannot be in the future."),
    ("agreed_on", "before_stage"): N_("It can't have been agreed before this stage began. Check the date."),
    ("method", "required"): N_("Choose how the resident will get the updates."),
    ("method", "invalid"): N_("Choose one of the ways on the list."),
    ("backdate_reason", "required"): N_("Give the reason this is dated before today."),
    ("signposted_to", "required"): N_(
        "Say where the resident was signposted: who is responsible for this, and how to reach them."
    ),
    ("requested_at", "backdate_needs_manager"): N_(
        "You can date this at most %(maximum)s working days back. Further back needs a manager: ask a manager to "
        "record it."
    ),
    ("told_on", "backdate_needs_manager"): N_(
        "You can date this at most %(maximum)s working days back. Further back needs a manager: ask a manager to "
        "record it."
    ),
}
# The parts of a response or a closure that can be missing, named in "still missing" messages.
MISSING_PARTS = {
    "points": N_("the complaint's points (acknowledge it first)"),
    "decisions": N_("a decision on every point"),
    "decision_reasons": N_("the reasons for the decision on every point"),
    "reasons": N_("the reasons"),
    "next_steps": N_("how to escalate or go to the Ombudsman"),
    "remedies": N_("a remedy, because a point is upheld"),
    "underlying_cause": N_("the underlying cause"),
    "remedial_action": N_("the remedial action"),
}
INCOMPLETE = N_("This is not complete yet. Still missing: %(missing)s.")
GENERIC_INVALID = N_("Check this value and try again.")
INVALID_ANY_FIELD = {
    "required": N_("This is required."),
    "too_long": N_("This must be at most %(maximum)s characters long."),
    "hidden_characters": N_("This cannot contain line breaks or hidden formatting characters."),
    "unsupported": N_("Choose one of the options on the list."),
    "not_found": N_("There is nothing with this id that you can use here."),
    "unknown_field": N_("This field cannot be set here."),
    "syntax": N_("There is a mistake on line %(line)s. Check that every {{ has a matching }}."),
    "unknown_placeholder": N_("“%(name)s” is not a placeholder this message can use."),
    "render_failed": N_("This could not be filled in with the details. Check the placeholders."),
    "system_link": N_(
        "Remove “{{ %(name)s }}”: links are not placeholders. Each message's link is added after your wording, "
        "so that nobody can move it or read it in the delivery log."
    ),
    "link_mark": N_("Remove “[link]”: each message's link is added after your wording, so you do not write it."),
    "too_deep": N_("This is nested too deeply (more than %(maximum)s levels). Write it more simply."),
    "not_allowed_in_wording": N_(
        "Line %(line)s uses “%(construct)s”, which wording cannot use. Use placeholders such as {{ name }}, "
        "and {%% if %%} to leave something out."
    ),
    "english_required": N_("Enter the English text. Other languages are optional."),
    "out_of_range": N_("Enter a whole number from %(minimum)s to %(maximum)s."),
}
CONFLICT = {
    "email_taken": N_("There is already an account with this email address."),
    "cannot_remove_own_admin": N_("You cannot remove your own admin role."),
    "cannot_deactivate_self": N_("You cannot deactivate your own account."),
    "home_reference_taken": N_("There is already a home with this reference."),
    "second_factor_enabled": N_("Two-step sign-in is already on for this account."),
    "second_factor_not_started": N_("Start setting up two-step sign-in first."),
    "second_factor_not_enabled": N_("Two-step sign-in is not on for this account."),
    "second_factor_required": N_("Two-step sign-in is required for staff, so it cannot be turned off."),
    "own_second_factor": N_(
        "You cannot reset your own two-step sign-in here. Turn it off or make new recovery codes from your account."
    ),
    "phone_verified": N_("This phone number is already verified."),
    "already_represented": N_("This advocate already acts for this resident."),
    "duplicate": N_("There is already one like this. Change it so that it is unique."),
    "statutory_topic": N_("Messages about complaints and your account's security can't be turned off."),
    "not_retryable": N_("This message does not need sending again."),
    "survey_not_draft": N_("Questions can only change while the survey is a draft."),
    "survey_has_no_questions": N_("Add at least one question before you publish the survey."),
    "condition_order": N_("A question cannot come before the question its condition depends on."),
    "survey_closed": N_("This survey has closed. Thank you for your interest."),
    "already_complaint": N_("This contact is already a complaint."),
    "merged": N_("This contact was merged into a complaint."),
    "other_resident": N_("That complaint belongs to another resident."),
    "not_classified": N_("Classify this contact first."),
    "already_acknowledged": N_("This stage has already been acknowledged."),
    "not_acknowledged": N_("Acknowledge the complaint before you respond to it."),
    "already_responded": N_("This stage has already been answered."),
    "not_responded": N_("This can only be done once the stage has been answered."),
    "final_stage": N_("This complaint is at its final stage. The next step is the Ombudsman."),
    "closed": N_("This complaint is closed, so it cannot change."),
    "same_handler": N_("The stage 2 handler must be someone other than the stage 1 handler."),
    "no_running_clock": N_("There is no response deadline running to extend."),
    "extension_used": N_(
        "The %(maximum)s working days of extension allowed for this stage have been used up. Going beyond them "
        "needs a good reason and a manager's authorisation."
    ),
    "overdue": N_("The response is already late, so it can no longer be extended."),
    "withdrawn": N_("This complaint was withdrawn."),
    "already_referred": N_("This complaint has already been referred to the Ombudsman."),
    "not_referred": N_("Record the Ombudsman referral first."),
    "already_determined": N_("The Ombudsman's determination has already been recorded."),
    "not_mergeable": N_(
        "This complaint's current stage has already been answered, so a new issue cannot join it. Open a new "
        "complaint for it instead: classify the contact as a complaint."
    ),
    "not_late": N_(
        "The answer to this stage is not late: agree update intervals once it is extended, at risk or overdue."
    ),
    "already_complete": N_("This is already marked as done."),
    "already_complied": N_("This order is already recorded as complied with."),
    "no_regime": N_(
        "No complaints procedure is set up for this home's nation, so the complaint cannot be opened under "
        "another country's rules. Ask an admin to set one up."
    ),
    "no_nation": N_("Choose the nation of the home this complaint is about before treating it as a complaint."),
    "stage_not_configured": N_("Stage %(stage)s is not set up in this complaints procedure."),
}
# Reasonable adjustments and restrictions on contact (backend.complaints.safeguards).
INVALID.update(
    {
        ("adjustment", "required"): N_("Say what the adjustment is."),
        ("requested_by", "required"): N_("Say who asked for it: the resident, their advocate, a support worker."),
        ("requested_on", "required"): N_("Give the date it was asked for."),
        ("requested_on", "in_future"): N_("The date it was asked for cannot be in the future."),
        ("decision", "required"): N_("Choose whether the adjustment is agreed or declined."),
        ("decision", "unsupported"): N_("Choose agreed or declined."),
        ("review_due_on", "required"): N_("Give the date of the review."),
        ("review_due_on", "not_after_today"): N_("The review date must be after today."),
        ("review_due_on", "before_start"): N_("The review date must be after the day the restriction starts."),
        ("review_due_on", "too_far"): N_(
            "A restriction must be reviewed within %(months)s months. Choose an earlier date."
        ),
        ("next_review_on", "too_far"): N_(
            "A restriction must be reviewed within %(months)s months. Choose an earlier date."
        ),
        ("next_review_on", "required"): N_("Give the date of the next review, or end it."),
        ("next_review_on", "not_after_today"): N_("The next review date must be after today."),
        ("outcome", "required"): N_("Choose whether to keep it or end it."),
        ("outcome", "unsupported"): N_("Choose keep or end."),
        ("note", "required"): N_("Say what the review found."),
        ("review_outcome", "required"): N_("Say what the review found, and why it is kept or ended."),
        ("behaviour", "required"): N_("Describe the behaviour that was unacceptable."),
        ("evidence", "required"): N_("Give the evidence of the behaviour: dates, records, who saw or heard it."),
        ("kind", "required"): N_("Choose the restriction."),
        ("details", "required"): N_("Say what the restriction is, as the resident is told it."),
        ("equality_consideration", "required"): N_(
            "Record how the decision had regard to the Equality Act 2010: the resident's needs and any disability."
        ),
        ("point_of_contact", "required"): N_("Choose the member of staff who is the single point of contact."),
        ("point_of_contact", "not_staff"): N_("Choose an active member of staff."),
        ("resident_told_on", "required"): N_("Give the date the resident was told."),
        ("resident_told_on", "in_future"): N_("The date the resident was told cannot be in the future."),
        ("resident_notice", "required"): N_("Give the letter or notice that told the resident, or where it is kept."),
    }
)
CONFLICT.update(
    {
        "adjustment_decided": N_("This adjustment has already been decided."),
        "adjustment_not_agreed": N_("Only an agreed adjustment that is still in force can be reviewed."),
        "restriction_ended": N_("This restriction has already ended."),
        "anonymous_contact": N_("This contact is anonymous, so there is nobody to record this for."),
    }
)
GENERIC_CONFLICT = N_("This clashes with a change made by someone else. Reload and try again.")
NOT_ALLOWED = N_("You do not have permission to do that.")
#: Why a refusal is not about the viewer's role but a rule, by NotAllowed's ``code``.
NOT_ALLOWED_BECAUSE: dict[str, str] = {}
NOT_FOUND = N_("We could not find that. It may have been removed, or you may not have access to it.")
# The wording for callers that pass no ngettext: it has no singular, so pass one (see message_for).
THROTTLED = N_("Too many attempts. Please wait %(minutes)s minutes and try again.")
PAGE_SIZE = N_("Ask for between 0 and %(maximum)s items at a time.")
BAD_CURSOR = N_("This cursor is not valid for this list. Start again from the first page.")
FILTER_PROBLEMS = {
    "no_such_field": N_("%(path)s: there is no such field here."),
    "bad_operator": N_("%(path)s: %(operator)s cannot be used on this field."),
    "bad_value": N_("%(path)s: this value is not valid here."),
    "too_many_values": N_("%(path)s: give at most %(maximum)s values."),
    "not_filterable": N_("%(path)s: this field cannot be used in a filter."),
    "not_sortable": N_("%(path)s: this field cannot be used to sort."),
    "some_or_none": N_("%(path)s: use some or none."),
    "too_large": N_("%(path)s: this filter is too large. Use at most %(maximum)s conditions."),
    "too_deep": N_("%(path)s: this filter is nested too deeply. Nest at most %(maximum)s levels."),
    "too_many_relations": N_("%(path)s: a filter may follow at most %(maximum)s relations, one inside another."),
}
#: A DateTime input that is not one (see schema.engine.scalars); ``%(value)s`` is what was sent.
DATE_TIME_PROBLEMS = {
    "offset_required": N_(
        "“%(value)s” has no time zone offset. Give the date and time with Z for UTC or an offset "
        "such as +01:00, for example 2026-07-07T22:30:00Z or 2026-07-07T23:30:00+01:00."
    ),
    "not_a_date_time": N_(
        "“%(value)s” is not a date and time. Give one in ISO 8601 with Z for UTC or an offset "
        "such as +01:00, for example 2026-07-07T22:30:00Z or 2026-07-07T23:30:00+01:00."
    ),
}
SIGN_IN_REQUIRED = N_("You need to sign in to do that.")
READ_ONLY_TOKEN = N_(
    "This API token can only read, so it cannot make changes. Send the mutation with a token that has write access."
)
BAD_CREDENTIALS = N_("The email address or password is not correct.")


def message_for(
    error: DomainError,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str] | None = None,
    locale: str | None = None,
) -> str:
    """Return the translated sentence for an expected failure.

    ``ngettext(singular, plural, n)`` gives the form of a sentence for ``n`` in the viewer's language,
    with ``%(num)s`` filled in (as Flask-Babel's does), so that a wait of 1 minute reads right. With
    ``locale``, a limit (``maximum``, ``minimum``) is written as numbers are in that language: 10,000.
    """
    params = _limits_written(getattr(error, "params", {}), locale)
    if isinstance(error, Invalid) and (error.code == "incomplete" or "missing" in error.params):
        parts = [gettext(MISSING_PARTS.get(part, part)) for part in error.params.get("missing", ())]  # type: ignore[attr-defined]
        return gettext(INCOMPLETE) % {"missing": join_list(parts, gettext)}
    if isinstance(error, Invalid):
        about = error.params.get("about")
        template = (
            (INVALID_ABOUT.get((str(about), error.field, error.code)) if about else None)
            or INVALID.get((error.field, error.code))
            or INVALID_ANY_FIELD.get(error.code, GENERIC_INVALID)
        )
        text = gettext(template)
        return _format(text, params)
    if isinstance(error, Conflict):
        params = dict(error.params)
        uses = params.get("uses")
        if isinstance(uses, list | tuple):
            params["uses"] = "; ".join(gettext(IN_USE_PARTS.get(str(part), str(part))) for part in uses)
        return _format(gettext(CONFLICT.get(error.code, GENERIC_CONFLICT)), params)
    if isinstance(error, NotAllowed):
        return _format(gettext(NOT_ALLOWED_BECAUSE.get(error.code, NOT_ALLOWED)), params)
    if isinstance(error, NotFound):
        return gettext(NOT_FOUND)
    if isinstance(error, Throttled):
        return _wait_message(error.retry_after, gettext, ngettext)
    return gettext(GENERIC_INVALID)


#: The parameters of a message that are limits, written with the viewer's digit grouping (10,000).
LIMITS = ("maximum", "minimum")


def _limits_written(params: Mapping[str, object], locale: str | None) -> Mapping[str, object]:
    """The parameters with each limit written as numbers are in ``locale`` (10,000); as given without one."""
    if locale is None:
        return params
    written = dict(params)
    for name in LIMITS:
        value = params.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                written[name] = format_decimal(value, locale=locale)
            except (ValueError, UnknownLocaleError):
                written[name] = format_decimal(value, locale="en")
    return written


def wait_minutes(retry_after: int) -> int:
    """Return a wait of ``retry_after`` seconds in whole minutes, rounded up, at least 1."""
    return max(1, (retry_after + 59) // 60)


def _wait_message(
    retry_after: int, gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str] | None
) -> str:
    minutes = wait_minutes(retry_after)
    if ngettext is None:
        return gettext(THROTTLED) % {"minutes": minutes}
    return ngettext(
        "Too many attempts. Please wait %(num)s minute and try again.",
        "Too many attempts. Please wait %(num)s minutes and try again.",
        minutes,
    )


#: Messages for a (field, code) that more than one kind of input uses with different meanings, by what the input is
#: about: a service says which with the problem's ``about`` parameter (``problems.add(field, code, about=...)``).
INVALID_ABOUT: dict[tuple[str, str, str], str] = {
    ("promise", "due_on", "too_far"): N_("Check the date: it is more than five years away."),
    ("ombudsman_order", "evidence", "required"): N_("Say what shows the order was complied with."),
}


def _format(text: str, params: Mapping[str, object]) -> str:
    try:
        return text % dict(params) if params else text
    except (KeyError, TypeError, ValueError):
        return text


# Hazards and the named complaints roles.
INVALID.update(
    {
        ("hazard_kind", "unsupported"): N_("Choose the kind of hazard from the list."),
        ("severity", "unsupported"): N_("Choose whether it is an emergency or a significant hazard."),
        ("hazard_description", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("keywords", "too_many"): N_("Give at most %(maximum)s words."),
        ("keywords", "too_long"): N_("Each word must be at most %(maximum)s characters long."),
        ("dismissal_reason", "required"): N_("Say why this is not a hazard."),
        ("findings", "required"): N_("Say what the investigation found."),
        ("investigation_concluded_at", "nothing_to_record"): N_("Give at least one date and time to record."),
        ("investigation_concluded_at", "already_recorded"): N_("The investigation's conclusion is already recorded."),
        ("summary_sent_at", "already_recorded"): N_("The written summary is already recorded."),
        ("work_started_at", "already_recorded"): N_("The start of the safety work is already recorded."),
        ("made_safe_at", "already_recorded"): N_("The made-safe date is already recorded."),
        ("summary_sent_at", "investigation_first"): N_("Record the investigation's conclusion first."),
        ("work_started_at", "investigation_first"): N_("Record the investigation's conclusion first."),
        ("summary_sent_at", "before_investigation"): N_("The summary can't be sent before the investigation ended."),
        ("work_started_at", "before_investigation"): N_("The work can't start before the investigation ended."),
        ("person", "not_staff"): N_("Choose an active member of staff."),
        ("person", "not_manager"): N_(
            "Only a manager can be a senior manager: senior managers sign off improvement actions. "
            "Give this person the manager role first, or choose a manager."
        ),
        ("ends_on", "before_start"): N_("The end date can't be before the start date."),
        ("starts_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("ends_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
    }
)
INVALID_ANY_FIELD.update(
    {
        "in_future": N_("This can't be in the future."),
        "before_aware": N_("This can't be before we became aware of the hazard."),
    }
)
MISSING_PARTS.update(
    {
        "investigation_concluded_at": N_("when the investigation concluded"),
        "summary_sent_at": N_("when the written summary was sent to the resident"),
        "made_safe_at": N_("the date the home was made safe"),
        "closure_note": N_("why it can be closed"),
    }
)
CONFLICT.update(
    {
        "already_flagged": N_("This kind of hazard is already flagged and open on this contact."),
        "already_decided": N_("This hazard is not suggested here: it was flagged or dismissed already."),
        "hazard_closed": N_("This hazard is closed, so it cannot change."),
    }
)


# The SPSO's own steps: straight to investigation, and a final response signed off by a manager.
INVALID.update(
    {
        ("outcome", "unsupported"): N_("Choose one of the outcomes on the list."),
    }
)
CONFLICT.update(
    {
        "not_in_procedure": N_("This complaint's procedure has no direct route to stage 2 (investigation)."),
        "not_frontline": N_("Only a frontline (stage 1) complaint that has not been answered can move to stage 2."),
        "awaiting_sign_off": N_("The final response is waiting for a manager's sign-off."),
        "nothing_to_sign_off": N_("There is no final response waiting for sign-off."),
        "own_response": N_("You wrote or handle this response, so you cannot sign it off: another manager must do it."),
        "earlier_handler": N_(
            "You handled an earlier stage of this complaint, so you cannot sign off or return its final response: "
            "a manager who has not handled the complaint must do it."
        ),
    }
)

# Service requests and the quality check of the offer to complain.
INVALID.update(
    {
        ("due_on", "before_received"): N_("The target date can't be before the request was received."),
        ("due_on", "too_far"): N_("Set a target date at most %(maximum)s days ahead."),
        ("outcome", "required"): N_("Choose what the review found."),
    }
)
CONFLICT.update(
    {
        "not_service_request": N_("This contact is not a service request."),
        "is_complaint": N_("This contact is a complaint, or not classified yet, so there is no offer to check."),
        "offer_recorded": N_("The offer to complain is already recorded for this contact."),
    }
)


# The lessons log: lessons, their sources and causes, the root-cause taxonomy, and upheld complaints without one.
INVALID.update(
    {
        ("sources", "required"): N_("Give at least one source: where the lesson came from."),
        ("sources", "too_many"): N_("Give at most %(maximum)s sources. Add more from the lesson's page."),
        ("complaint_id", "required"): N_("Give the complaint this source is."),
        ("complaint_id", "not_found"): N_("There is no such complaint that you can use here."),
        ("complaint_id", "no_determination"): N_(
            "The Ombudsman has not determined this complaint. Record it as a complaint source instead."
        ),
        ("complaint_id", "not_for_kind"): N_("This kind of source does not link a complaint. Leave it empty."),
        ("complaint_id", "duplicate"): N_("This complaint is already a source of the lesson in the same way."),
        ("contact_id", "required"): N_("Give the contact this source is."),
        ("contact_id", "not_found"): N_("There is no such contact that you can use here."),
        ("contact_id", "not_for_kind"): N_("This kind of source does not link a contact. Leave it empty."),
        ("contact_id", "duplicate"): N_("This contact is already a source of the lesson."),
        ("survey_question_id", "required"): N_("Choose the survey question whose results this source is."),
        ("survey_question_id", "not_found"): N_("There is no such survey question."),
        ("survey_question_id", "not_for_kind"): N_("This kind of source does not link a survey question."),
        ("survey_question_id", "duplicate"): N_("This survey question is already a source of the lesson."),
        ("note", "none_given"): N_("Say in a few words what the source says."),
        ("anonymous", "speak_up_only"): N_("Only a speak-up note can be anonymous."),
        ("owner_id", "not_staff"): N_("Choose an active member of staff as the owner."),
        ("champion_id", "not_staff"): N_("Choose an active member of staff as the champion."),
        ("service_area_id", "not_found"): N_("Choose one of the service areas on the list."),
        ("learning_types", "unsupported"): N_("Choose learning types from the list."),
        ("reason", "required"): N_("Give the reason."),
        ("into_id", "not_found"): N_(
            "That lesson is not in the log: there is none, or it is archived. Choose the lesson that carries on."
        ),
        ("into_id", "same_lesson"): N_("A lesson cannot be merged into itself. Choose another lesson."),
        ("into_id", "ended"): N_("That lesson is cancelled or merged itself. Choose the lesson that carries on."),
        ("root_cause_id", "required"): N_("Choose a cause from the list."),
        ("root_cause_id", "not_found"): N_("Choose a cause from the list: that one is not there or is archived."),
        ("detail", "required"): N_("Say how this caused or contributed to what happened (a process, not a person)."),
        ("parent", "same_cause"): N_("A cause cannot be its own parent."),
        ("name", "same_name"): N_(
            "There is already a cause with this name under the same parent (it may be archived). Choose another name."
        ),
        ("parent", "too_deep"): N_("Sub-causes go one level deep: choose a top-level cause as the parent."),
        ("parent", "archived"): N_("That cause is archived. Choose a cause in use as the parent."),
        ("status", "unsupported"): N_("Choose a step of the lesson's life. To end it, cancel or merge it."),
    }
)
CONFLICT.update(
    {
        "lesson_archived": N_("This lesson is archived, so it can no longer change."),
        "lesson_ended": N_("This lesson is cancelled or merged, so it can no longer change."),
        "lesson_step": N_("A lesson moves one step at a time: choose the next step, or the one before."),
        "lesson_no_causes": N_("Record at least one root cause before the lesson is analysed."),
        "lesson_no_agreed_actions": N_("A manager must authorise at least one action before actions are agreed."),
        "lesson_actions_not_done": N_("Every action must be done before its impact is measured."),
        "lesson_actions_not_verified": N_("Every action must be verified before the lesson is closed."),
        "lesson_has_actions": N_("This lesson has actions, so it cannot be deleted. Archive it instead."),
        "lesson_in_use": N_(
            "Other records refer to this lesson, so it cannot be deleted: %(uses)s. Archive it instead."
        ),
        "last_source": N_("A lesson keeps at least one source. Add another before you remove this one."),
        "last_root_cause": N_(
            "This is the lesson's only root cause, and an analysed lesson keeps one. Record another root cause "
            "first, or move the lesson back to identified."
        ),
        "not_upheld": N_("No point of this complaint was upheld or partly upheld, so no decision is needed."),
        "lesson_exists": N_("A lesson already names this complaint as a source."),
        "no_lesson_decided": N_("A decision that this complaint holds no wider lesson is already recorded."),
    }
)

#: What refers to a lesson that can't be deleted (backend.lessons.lessons.IN_USE), for "lesson_in_use".
IN_USE_PARTS = {
    "merged_lessons": N_("lessons merged into it"),
    "merged_into": N_("it was merged into another lesson, which carries its sources on"),
    "agenda_items": N_("meeting agenda items"),
    "success_stories": N_("success stories"),
    "bulletins": N_("bulletins"),
    "staff_briefings": N_("staff briefings about its complaints"),
    "qa_reports": N_("monthly QA reports"),
}

# Themes (backend.lessons.themes).
INVALID.update(
    {
        ("into_id", "same_theme"): N_("Choose another theme to merge this one into."),
        ("into_id", "theme_not_found"): N_("Choose a theme on the list to merge this one into."),
        ("name", "duplicate"): N_("A theme with this name already exists. Choose another name."),
        ("theme_id", "not_found"): N_("Choose a theme on the list."),
        ("texts", "required"): N_("Give a name in this language too, or leave the description blank."),
        ("texts", "unsupported"): N_("This language is not one the landlord offers."),
        ("texts", "duplicate"): N_("Give each language only once."),
        ("weights", "none_given"): N_("Give at least one weight to change."),
        **{
            (factor, "out_of_range"): N_(
                "Give a weight from %(minimum)s to %(maximum)s; decimals allowed, such as 1.5."
            )
            for factor in ("residents_affected", "upheld_complaints", "impact", "votes")
        },
        ("weights", "all_zero"): N_(
            "Give at least one weight above 0: with every weight 0, every theme scores 0 and the order by priority "
            "means nothing."
        ),
    }
)
CONFLICT.update(
    {
        "theme_ended": N_("This theme is archived or merged, so it can't change or take new links."),
        "already_linked": N_("This is already linked to that theme."),
    }
)

# SMART improvement actions (backend.lessons.actions).
INVALID.update(
    {
        ("title", "required"): N_("Give it a title."),
        ("action_type", "required"): N_("Choose what kind of change the action makes."),
        ("action_type", "unsupported"): N_("Choose what kind of change the action makes, from the list."),
        ("owner_id", "not_staff"): N_("Choose an active member of staff."),
        ("cause_id", "not_of_lesson"): N_("Choose one of this lesson's causes."),
        ("due_on", "in_past"): N_("The due date can't be in the past."),
        ("to_date", "required"): N_("Give the new due date."),
        ("to_date", "in_past"): N_("The new due date can't be in the past."),
        ("to_date", "unchanged"): N_("This is the due date already. Give a different date."),
        ("evidence", "none_given"): N_("Give at least one piece of evidence: what was done, a link or a file."),
        ("links", "not_a_link"): N_("Give each link as a full web address, starting with https://."),
        ("links", "too_many"): N_("Give at most %(maximum)s links."),
        ("links", "too_long"): N_("Each link must be at most %(maximum)s characters long."),
        ("effect", "required"): N_("Choose whether the action addressed the problem."),
        ("effect", "unsupported"): N_("Choose addressed, partly addressed or not addressed."),
        ("effect_note", "required"): N_("Say how its effect was judged: what the measure shows now."),
        ("next_step", "required"): N_("Choose whether to reopen the action or propose a new action after it."),
        ("due_on", "reopen_required"): N_("Give the new due date for the reopened action."),
        ("cancel_reason", "required"): N_("Give the reason it is cancelled."),
        # Each part authorising an action still needs, at its own field (the first problem lists them all).
        ("action_owner", "required"): N_("Choose who does it: an action needs an owner before it is authorised."),
        ("action_measure", "required"): N_("Say how its effect is measured before it is authorised."),
        ("action_target", "required"): N_("Give the figure aimed for before it is authorised."),
        ("action_due_on", "required"): N_("Give the day it is due before it is authorised."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_action": N_("You own this action, so you can't sign it off: another manager must do it."),
    }
)
MISSING_PARTS.update(
    {
        "action_owner": N_("an owner"),
        "action_measure": N_("a measure"),
        "action_target": N_("a target"),
        "action_due_on": N_("a due date"),
    }
)
CONFLICT.update(
    {
        "not_proposed": N_("This action has been authorised already, so it can't be changed here."),
        "already_authorised": N_("This action has been authorised already."),
        "action_changed": N_("Someone else has just moved this action on. Reload the page to see where it is."),
        "not_authorised": N_("This action has not been authorised yet."),
        "not_started": N_("Record that work on this action started first."),
        "not_done": N_("This action is not done yet, so it can't be signed off or verified."),
        "not_signed_off": N_("A manager must sign off this action before its effect is verified."),
        "not_open": N_("Only the due date of an action authorised and not yet done can change."),
        "action_ended": N_("This action is verified or cancelled already."),
        "evidence_closed": N_("This action is signed off, so no more evidence can be added."),
        "lesson_closed": N_(
            "This lesson is closed, so it takes no new actions. Move it back a step first if more needs doing."
        ),
        "lesson_not_analysed": N_(
            "This lesson is not analysed yet: record its root causes and move it to analysed before authorising "
            "its actions."
        ),
    }
)
# The monthly lessons QA and its quality checks (backend.lessons.qa, backend.lessons.quality).
INVALID.update(
    {
        ("month", "invalid"): N_("Enter a month as year and month, for example 2026-07."),
        ("month", "future"): N_("Choose this month or an earlier one."),
        ("items", "unscored"): N_("Score every item of the checklist: %(count)s not scored."),
        ("item_id", "repeated"): N_("Score each checklist item once."),
        ("item_id", "not_found"): N_("This is not an item of the checklist in use."),
        ("result", "unsupported"): N_("Choose met, partly met, not met or does not apply."),
        ("scores", "too_many"): N_("Send at most %(maximum)s scores at a time."),
    }
)
CONFLICT.update(
    {
        "not_scored": N_("Score this complaint before sending its scores to the team."),
        "already_returned": N_("These scores were already sent to the team."),
        "returned": N_("These scores were already sent to the team, so they can no longer change."),
        "nobody_to_tell": N_(
            "Nobody can be told: the complaint has no handler, and its team no manager, who may see the case."
        ),
    }
)
# Self-assessments against the Complaint Handling Code (backend.reports.self_assessment, .provisions, .sector).
INVALID.update(
    {
        ("period", "not_a_year"): N_("An annual self-assessment covers a year from 1 April: enter it as 2025/26."),
        ("context", "required"): N_(
            "Say what led to this self-assessment: the restructure, merger, change or request."
        ),
        ("explanation", "required"): N_(
            "Explain why it does not comply, and by when it will (or how its intention is met another way)."
        ),
        ("action", "not_found"): N_("There is no improvement action with this number."),
        ("label", "required"): N_("Say what the link is to."),
        ("url", "required"): N_("Give the link's address."),
        ("url", "invalid"): N_(
            "Give a full web address starting with https://, or a page of this site starting with /."
        ),
        ("governing_body_approved_on", "required"): N_("Give the day the governing body approved it."),
        ("governing_body_approved_on", "future"): N_("The governing body's approval cannot be in the future."),
        ("governing_body_approved_on", "before_period"): N_(
            "The governing body's approval cannot be before the period the self-assessment covers."
        ),
        ("number", "invalid"): N_("Give the number as section and item, like 6.2 (a learning item: 1 to 99)."),
        ("section", "mismatch"): N_(
            "The section must be the first part of the number (6 for 6.2); a learning item's section is 0."
        ),
        ("held_on", "required"): N_("Give the day it took place."),
        ("held_on", "invalid"): N_("Give a real date."),
        ("held_on", "future"): N_("Record it once it has taken place: the day cannot be in the future."),
        ("attendees", "not_found"): N_("Choose members of staff from the list."),
        ("attendees", "too_many"): N_("Choose at most %(maximum)s people."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_assessment": N_(
            "You started this self-assessment, so you can't approve it: another manager or an admin must."
        ),
    }
)
CONFLICT.update(
    {
        "assessment_not_draft": N_("This self-assessment is approved or published, so it can no longer change."),
        "assessment_not_approved": N_("Only an approved self-assessment can be published or sent back to draft."),
    }
)
# Reports' publication (backend.reports.publication). A period's own words are in schema/reports/tsm.py.
INVALID.update(
    {
        ("period", "unsupported"): N_("This report does not cover that kind of period."),
        ("kind", "unsupported"): N_("Choose one of the reports on the list."),
        ("responded_on", "required"): N_("Enter the day the governing body gave its response."),
        ("responded_on", "future"): N_("The day of the response cannot be in the future."),
        ("responded_on", "before_period"): N_("The governing body cannot have responded before the period began."),
    }
)
CONFLICT.update(
    {
        "report_approved": N_("This report is already approved for that period: publish it before drafting it again."),
        "report_not_draft": N_("This report is no longer a draft: it was approved already."),
        "report_not_approved": N_("Only an approved report can be published."),
        "report_incomplete": N_(
            "This report is missing a part it must have: approve this year's self-assessment first, then draft the "
            "report again."
        ),
        "response_published": N_(
            "The governing body's response was published with this report, so it can no longer change."
        ),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_report": N_("You drafted this report, so you can't approve it: another manager must do it."),
    }
)

# Saved reports: the query, its display and its schedule.
INVALID.update(
    {
        ("query", "required"): N_("Write the GraphQL query the report runs."),
        ("query", "too_long"): N_("The query must be at most %(maximum)s characters long."),
        ("query", "too_long_tokens"): N_("The query is too long: it has more than %(limit)s parts. Write it shorter."),
        ("query", "syntax"): N_("The query cannot be read: line %(line)s: %(detail)s."),
        ("query", "one_operation"): N_(
            "Write exactly one query operation; this text has %(count)s operations. Fragments may go with it."
        ),
        ("query", "not_a_query"): N_(
            "A report can only read: this is a %(kind)s. Write a query, which starts with “query” or “{”."
        ),
        ("query", "unknown_field"): N_(
            "Line %(line)s: “%(name)s” is not a field of %(type)s that you can read. Check the spelling, and "
            "that your role may see it."
        ),
        ("query", "unknown_argument"): N_("Line %(line)s: “%(argument)s” is not an argument this field takes."),
        ("query", "unknown_type"): N_("Line %(line)s: there is no type called “%(type)s” that you can use."),
        ("query", "missing_argument"): N_("Line %(line)s: %(detail)s"),
        ("query", "undefined_variable"): N_("Line %(line)s: %(detail)s Declare it after the query's name."),
        ("query", "unused_variable"): N_("Line %(line)s: %(detail)s Use it in the query, or remove it."),
        ("query", "needs_fields"): N_("Line %(line)s: %(detail)s Choose the fields you want inside { }."),
        ("query", "too_deep"): N_("Line %(line)s: the query is nested more than %(limit)s levels deep."),
        ("query", "too_many_aliases"): N_("The query uses more than %(limit)s aliases."),
        ("query", "invalid"): N_("Line %(line)s: %(detail)s"),
        ("query", "unsupported_parameter"): N_(
            "The variable $%(name)s is a %(type)s, which a form cannot ask for. Use a single value: text, a number, "
            "yes or no, a date, an id or one of a list of codes."
        ),
        ("query", "no_rows"): N_(
            "The query's result holds no list of rows. Ask for a list, such as complaints { nodes { reference } }."
        ),
        ("rows_path", "unknown"): N_(
            "“%(path)s” is not a list of rows in the query's result. Choose from: %(choices)s."
        ),
        ("columns", "unknown"): N_("“%(column)s” is not a value in each row. Choose from: %(choices)s."),
        ("columns", "too_many"): N_("Choose at most %(maximum)s columns."),
        ("columns", "too_long"): N_("Each column's name must be at most %(maximum)s characters long."),
        ("label_field", "required"): N_("Choose the value that labels each bar or point of the chart."),
        ("label_field", "unknown"): N_("“%(column)s” is not a value in each row. Choose from: %(choices)s."),
        ("value_field", "required"): N_("Choose the number the chart shows for each row."),
        ("value_field", "unknown"): N_("“%(column)s” is not a value in each row. Choose from: %(choices)s."),
        ("value_field", "not_a_number"): N_("“%(column)s” is not a number, so a chart cannot show it."),
        ("display", "unsupported"): N_("Choose a table, a bar chart or a line chart."),
        ("schedule", "unsupported"): N_("Choose never, daily, weekly or monthly."),
        ("schedule_weekday", "required"): N_("Choose the day of the week it is sent."),
        ("schedule_weekday", "out_of_range"): N_("Choose a day of the week from the list."),
        ("schedule_day", "required"): N_("Give the day of the month it is sent."),
        ("schedule_day", "out_of_range"): N_("Give a day of the month from %(minimum)s to %(maximum)s."),
        ("recipients", "required"): N_("Choose at least one member of staff to tell when it is ready."),
        ("recipients", "without_schedule"): N_("Choose a schedule, or remove the recipients: they are told on it."),
        ("recipients", "too_many"): N_("Choose at most %(maximum)s recipients."),
        ("recipients", "not_staff"): N_("Each recipient must be an active member of staff."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "not_owner": N_("Only the person who saved this report may change, share or delete it."),
    }
)

# Scrutiny panels' core: panels, memberships, reviews, the work programme, meetings and interviews
# (backend.panels.panels, .reviews, .meetings).
INVALID.update(
    {
        ("name", "taken"): N_("There is already a panel with this name. Choose another name."),
        ("senior_lead_id", "not_staff"): N_("Choose an active member of staff as the senior lead."),
        ("person_id", "not_staff"): N_("Choose an active member of staff."),
        ("person_id", "not_panel_member"): N_("Choose a resident who holds the scrutiny panel member role."),
        ("person_id", "not_member"): N_("Choose someone who was on the panel on the day of the meeting."),
        ("started_on", "overlaps"): N_("This person is already on the panel at that time."),
        ("started_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("ended_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("ended_on", "before_start"): N_("The end date must be on or after the start date."),
        ("training_done_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("training_done_on", "in_future"): N_("The day the training was done cannot be in the future."),
        ("confidentiality_signed_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("confidentiality_signed_on", "in_future"): N_("The day the agreement was signed cannot be in the future."),
        ("role", "role_taken"): N_(
            "The panel already has someone in this role at that time. End their membership first, or choose another "
            "role."
        ),
        ("starts_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("planned_for", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("held_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("held_on", "in_future"): N_("The day of the interview cannot be in the future."),
        ("starts_at", "invalid"): N_("Enter a date and a time, for example 2026-12-29 18:00."),
        ("starts_at", "in_past"): N_("Choose a time that has not passed yet."),
        ("minutes_long", "out_of_range"): N_("Give a length from %(minimum)s to %(maximum)s minutes."),
        ("minutes_given", "out_of_range"): N_("Give the time given from %(minimum)s to %(maximum)s minutes."),
        ("theme_id", "required"): N_("Choose the theme this topic came from."),
        ("work_item_id", "not_found"): N_("Choose a topic of this panel's work programme."),
        ("work_item_id", "already_started"): N_("That topic has already become a review."),
        ("follow_up_months", "out_of_range"): N_("Give a number of months from %(minimum)s to %(maximum)s."),
    }
)
CONFLICT.update(
    {
        "already_supporting": N_("This member of staff already supports the panel."),
        "membership_ended": N_("This membership has already ended."),
        "review_closed": N_("This review is closed, so it cannot change."),
        "move_not_allowed": N_("A review cannot move there from where it is now."),
        "follow_up_started": N_("The follow-up review of this review has already started."),
        "papers_sent": N_("The papers for this meeting have already been recorded as sent."),
        "already_started": N_("This topic has already become a review, so it stays on the programme."),
        "already_recorded": N_("This member's attendance at this meeting is already recorded."),
    }
)


# Scrutiny panels: evidence packs, case samples, evidence requests and the standing data.
INVALID.update(
    {
        ("url", "not_a_link"): N_("Give a web address that starts with https://."),
        ("url", "too_long"): N_("The address must be at most %(maximum)s characters long."),
        ("file", "required"): N_("Choose a file to upload."),
        ("items", "not_the_pack"): N_("Give every item of the pack, each once."),
        ("items", "required"): N_("Choose at least one item of the pack that supplies it."),
        ("items", "too_many"): N_("Choose at most %(maximum)s items."),
        ("items", "not_in_pack"): N_("Choose items of this review's pack."),
        ("asked", "required"): N_("Say what evidence the panel wants."),
        ("asked", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("answer", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("size", "out_of_range"): N_("Ask for %(minimum)s to %(maximum)s cases."),
        ("service_area_ids", "too_many"): N_("Choose at most %(maximum)s service areas."),
        ("stage", "out_of_range"): N_("Give a stage from %(minimum)s to %(maximum)s."),
        ("method", "unsupported"): N_("Choose at random or stratified."),
        ("seed", "too_long"): N_("The seed must be at most %(maximum)s characters long."),
        ("report", "failed"): N_("The saved report could not run for you, so no figures were taken."),
        ("report", "cost_limit"): N_("The saved report asks for too much: ask its owner to ask for fewer rows."),
        ("report", "time_limit"): N_("The saved report took too long and was stopped."),
        ("report", "not_a_query"): N_("A saved report can only read, and this one's text is not a query."),
        ("report", "input_too_large"): N_("A value the saved report uses is too long."),
    }
)
CONFLICT.update(
    {
        "pack_full": N_("This pack is full. Withdraw items it no longer needs before adding more."),
        "not_draft": N_("This item's redaction was already confirmed, or it was withdrawn."),
        "item_withdrawn": N_("This item was already withdrawn."),
        "answered": N_("This request was already answered."),
    }
)

# --- Scrutiny panels: lesson review, findings, responses and publication -----------------------------------------
INVALID.update(
    {
        ("comment", "none_given"): N_("Write a comment, or choose a rating, or both."),
        ("item_id", "not_lesson"): N_("Only a lesson in the pack can be annotated."),
        ("rating", "unsupported"): N_("Choose a rating from the list."),
        ("member_id", "required"): N_("Choose the member whose words these are."),
        ("member_id", "not_member"): N_("Choose a current member of this panel."),
        ("question", "required"): N_("Write your question."),
        ("decision_note", "required"): N_("Say why the panel rejects it."),
        ("decision_note", "too_long"): N_("Keep the reason to %(maximum)s characters or fewer."),
        ("answer", "required"): N_("Write the answer."),
        ("recommendation", "too_long"): N_("Each recommendation must be at most %(maximum)s characters long."),
        ("recommendations", "too_many"): N_("Make at most %(maximum)s recommendations."),
        ("findings", "too_long"): N_("The findings must be at most %(maximum)s characters long."),
        ("present", "not_member"): N_("Everyone listed as present must be a current member of the panel."),
        ("present", "below_quorum"): N_("A quorum is %(minimum)s current members. Tick everyone who was present."),
        ("passage", "too_long"): N_("Quote at most %(maximum)s characters of the draft."),
        ("owner_id", "required"): N_("Choose who owns the actions."),
        ("due_on", "required"): N_("Give the date the actions are due."),
        ("approved_on", "required"): N_("Give the date the response was approved."),
        ("approved_on", "future"): N_("The approval date cannot be in the future."),
        ("approved_on", "before_response"): N_("The approval date cannot be before the response was given."),
        ("satisfaction", "unsupported"): N_("Choose satisfied, partly satisfied or not satisfied."),
        ("summary", "required"): N_("Write the summary for the public page."),
        ("meets_on", "required"): N_("Give the date of the meeting."),
        ("meets_on", "in_past"): N_("The meeting date cannot be in the past."),
        ("body", "unsupported"): N_("Choose an executive, a committee or the board."),
    }
)
CONFLICT.update(
    {
        "question_answered": N_("This question has been answered already."),
        "not_drafting": N_(
            "The landlord has started answering the recommendations, so the report can no longer change."
        ),
        "signed_off": N_("This version is signed off and cannot change."),
        "not_latest": N_("A later version exists. Sign off the latest version."),
        "no_recommendations": N_("Add at least one recommendation before signing off."),
        "comments_open": N_("Accept or reject every accuracy comment before signing off."),
        "decided": N_("The panel has decided on this comment already."),
        "responded": N_("This recommendation has a response already."),
        "not_awaiting": N_("This review is not waiting for the landlord's response."),
        "not_responded": N_("This needs the landlord's approved response first."),
        "approved": N_("This response has been approved already."),
        "published": N_("This report is published and cannot change."),
        "no_summary": N_("Write the public summary before publishing."),
        "meeting_exists": N_("That body already has a meeting on that day."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_summary": N_("Someone other than the person who drafted the summary must publish it."),
    }
)

# Scrutiny panels: the involvement ledger and the letters-and-leaflets review.
INVALID.update(
    {
        ("occurred_on", "required"): N_("Enter the day it happened."),
        ("occurred_on", "invalid"): N_("Enter the day as a real date, like 2026-03-31."),
        ("occurred_on", "in_future"): N_("The day it happened cannot be in the future."),
        ("amount_pence", "out_of_range"): N_("Enter an expense from £0.01 to £1,000, and no amount with other time."),
        ("note", "what_for"): N_("Say what the expense was for."),
        ("start", "invalid"): N_("Enter the first day as a real date, like 2026-04-01."),
        ("end", "invalid"): N_("Enter the last day as a real date, like 2027-03-31."),
        ("title", "duplicate"): N_("This document is already under this review."),
        ("title", "too_many"): N_("A review can look at %(maximum)s documents at most."),
        ("event", "unsupported"): N_("Choose a message from the list."),
        ("channel", "not_a_message_channel"): N_("Choose email, text message, letter or portal."),
        ("stage", "required"): N_("Choose the stage whose leaflet the panel reviews."),
        ("stage", "unsupported"): N_("Choose a stage from the list."),
        ("text", "too_many"): N_("You can propose wording for a document %(maximum)s times at most."),
    }
)
CONFLICT.update(
    {
        "meeting_not_held": N_("This meeting has not started yet, so nobody has attended it."),
        "review_not_completed": N_("Members are thanked for a review once it is published or closed."),
        "already_approved": N_("This reward has already been approved."),
        "opted_out": N_("This member has opted out of rewards, so the reward cannot be approved."),
        "not_documents_review": N_("Only a review of letters and leaflets has documents under review."),
        "documents_closed": N_("This review is published or closed, so its documents cannot change."),
        "wording_decided": N_("The panel has already decided on this wording."),
        "not_approved": N_("Only wording the panel has approved can be adopted."),
        "no_stage": N_("This leaflet's stage no longer exists."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_record": N_("You recorded this reward, so you can't approve it: another manager must."),
        "not_chair": N_("Only the panel's chair or vice-chair can decide on wording for the panel."),
    }
)


# ---------------------------------------------------------------- scrutiny panels: fixes after review
INVALID.update(
    {
        ("summary", "none_given"): N_("Write a summary or the findings before saving a draft."),
        ("text", "unchanged"): N_("This is the wording in use. Change it before proposing it."),
    }
)
CONFLICT.update(
    {
        "not_started": N_("This review is still being planned. Findings are drafted once it is gathering evidence."),
        "no_findings": N_("Write a summary or the findings before signing off."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "panel_view": N_("Only the panel's chair or vice-chair records the panel's view, as the panel agreed it."),
        "own_proposal": N_(
            "You proposed this wording, so you can't approve it alone: the other chair or vice-chair, or staff "
            "after a meeting, approves it."
        ),
    }
)


# ---------------------------------------------------------------- co-creation: impact surveys
CONFLICT.update(
    {
        "system_question": N_("This question can't be removed: the system counts its answers."),
    }
)


# ---------------------------------------------------------------- co-creation: comments on changes and moderation
INVALID.update(
    {
        ("comment_body", "required"): N_("Write your comment."),
        ("comment_body", "too_long"): N_("Your comment must be %(maximum)s characters or fewer."),
        ("reply_to", "is_reply"): N_("Reply to the comment itself: a reply can't be answered with another reply."),
        ("report_reason", "too_long"): N_("Keep the reason for your report to %(maximum)s characters or fewer."),
        ("moderation_reason", "required"): N_("Give the reason for this decision."),
        ("moderation_reason", "too_long"): N_("Keep the reason to %(maximum)s characters or fewer."),
        ("moderation_action", "unsupported"): N_("Choose publish, hide, remove or restore."),
        ("public_body", "required"): N_("Write the words to publish, or leave them as they are."),
        ("public_body", "too_long"): N_("The words to publish must be %(maximum)s characters or fewer."),
        ("public_body", "not_publishing"): N_("Edited words can only be given when publishing a comment."),
    }
)
CONFLICT.update(
    {
        "comment_state": N_("Someone has already moderated this comment. Look at it again before you decide."),
        "contact_made": N_("This comment has already been recorded as a contact."),
        "no_resident": N_("Only a resident's comment can be recorded as a contact from them."),
    }
)


# ---------------------------------------------------------------- co-creation: digests and the landlord's pages
INVALID.update(
    {
        ("year", "invalid"): N_("Give a year between 2000 and 2100."),
        ("quarter", "invalid"): N_("Choose a quarter from 1 to 4."),
        ("quarter", "future"): N_("This quarter has not begun yet."),
        ("introduction", "unsupported"): N_("Write the introduction in one of the languages on the list."),
        ("stories", "too_many"): N_("Pick at most %(maximum)s success stories."),
        ("stories", "not_found"): N_("Pick only approved success stories."),
    }
)
INVALID_ABOUT.update(
    {
        ("landlord_page", "kind", "invalid"): N_("Choose one of the pages on the list."),
        ("landlord_page", "body", "required"): N_("Write the page's text."),
    }
)
CONFLICT.update(
    {
        "digest_not_draft": N_("This digest has been submitted or published, so it can no longer change."),
        "digest_not_submitted": N_("Only a submitted digest can be published or sent back."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_digest": N_("You drafted this digest, so you can't publish it: another manager must."),
    }
)


# ---------------------------------------------------------------- co-creation: priority rounds and votes
INVALID.update(
    {
        ("title", "invalid"): N_("Give the title as text for each language."),
        ("opens_at", "required"): N_("Enter when voting opens."),
        ("opens_at", "invalid"): N_("Enter when voting opens as a real date and time."),
        ("closes_at", "required"): N_("Enter when voting closes."),
        ("closes_at", "invalid"): N_("Enter when voting closes as a real date and time."),
        ("closes_at", "not_after_opens"): N_("Voting must close after it opens."),
        ("closes_at", "in_past"): N_("This round has already closed. Set a closing time in the future first."),
        ("max_per_theme", "over_budget"): N_("One theme cannot take more votes than the budget (%(maximum)s)."),
        ("areas", "invalid_area"): N_(
            "Enter postcode districts like CF10 or LS1, one per line. These are not: %(areas)s."
        ),
        ("areas", "too_many"): N_("List at most %(maximum)s postcode districts."),
        ("theme_ids", "out_of_range"): N_("Put from %(minimum)s to %(maximum)s themes on the ballot, each once."),
        ("theme_ids", "not_published"): N_(
            "Only themes published for residents, and still in use, can be on the ballot."
        ),
        ("theme_id", "not_on_ballot"): N_("You can only vote for the themes on this round's list."),
        ("dots", "out_of_range"): N_("Give each theme from %(minimum)s to %(maximum)s votes."),
        ("votes", "over_budget"): N_("You have %(budget)s votes in all. Take some away, then send them again."),
        ("votes", "too_many"): N_("Vote for at most %(maximum)s themes."),
        ("votes", "duplicate_theme"): N_("Give each theme its votes once."),
    }
)
CONFLICT.update(
    {
        "round_frozen": N_("This round has opened, so its list of themes and its rules can no longer change."),
        "round_not_draft": N_("This round has already been published or cancelled."),
        "round_cancelled": N_("This round was cancelled, so nobody can vote in it."),
        "round_counted": N_("This round's votes have been counted, so it can no longer be cancelled."),
        "round_not_open": N_("Voting in this round has not opened yet."),
        "round_closed": N_("Voting in this round has closed."),
        "not_eligible": N_("This round is for some residents' homes only, and yours is not one of them."),
        "home_budget_spent": N_(
            "The people you live with have already used some of your home's votes: %(remaining)s are left."
        ),
    }
)


# ---------------------------------------------------------------- "you said, we did" changes
INVALID_ABOUT.update(
    {
        ("change", "title", "english_required"): N_("Give the title in English. Other languages are optional."),
        ("change", "title", "too_long"): N_("Keep the title to %(maximum)s characters or fewer."),
        ("change", "title", "hidden_characters"): N_(
            "The title cannot contain line breaks or hidden formatting characters. Type it on one line."
        ),
        ("change", "title", "invalid"): N_("Give the title as text by language code."),
        ("change", "what", "english_required"): N_("Say in English what changed before publishing."),
        ("change", "what", "too_long"): N_("Keep what changed to %(maximum)s characters or fewer."),
        ("change", "what", "invalid"): N_("Give what changed as text by language code."),
        ("change", "why", "english_required"): N_("Say in English why it changed before publishing."),
        ("change", "why", "too_long"): N_("Keep why it changed to %(maximum)s characters or fewer."),
        ("change", "why", "invalid"): N_("Give why it changed as text by language code."),
        ("change", "easy_read", "too_long"): N_("Keep the easy-read summary to %(maximum)s characters or fewer."),
        ("change", "easy_read", "invalid"): N_("Give the easy-read summary as text by language code."),
        ("change", "note", "too_long"): N_("Keep the note to %(maximum)s characters or fewer."),
        ("change", "note", "invalid"): N_("Give the note as text by language code."),
        ("change", "language", "unsupported"): N_("Write in one of the languages the landlord publishes in."),
        ("change", "service_area_id", "not_found"): N_("Choose a service area from the list."),
        ("change", "changed_on", "invalid"): N_("Enter a real date, like 2026-03-31."),
        ("change", "due_on", "invalid"): N_("Enter a real date, like 2026-03-31."),
        ("change", "done_on", "in_future"): N_("The day it was done can't be in the future."),
        ("change", "theme_ids", "not_found"): N_("There is no theme in use with this id."),
        ("change", "lesson_references", "not_found"): N_("There is no lesson with this reference."),
        ("change", "action_ids", "not_found"): N_("There is no improvement action with this id."),
        ("change", "contact_references", "not_found"): N_("There is no contact with this reference."),
        ("change", "theme_ids", "too_many"): N_("Link at most %(maximum)s at once."),
        ("change", "lesson_references", "too_many"): N_("Link at most %(maximum)s at once."),
        ("change", "action_ids", "too_many"): N_("Link at most %(maximum)s at once."),
        ("change", "contact_references", "too_many"): N_("Link at most %(maximum)s at once."),
        ("change", "links", "theme_or_lesson_required"): N_(
            "Link at least one theme or lesson before publishing, so residents can see what it answers."
        ),
        ("change", "status", "unsupported"): N_("Choose planned, in progress or implemented."),
        ("change", "status", "not_by_staff"): N_(
            "Only residents' answers to the impact survey confirm a change. Choose another status."
        ),
        ("change", "percent", "out_of_range"): N_("Enter a whole number from %(minimum)s to %(maximum)s."),
        ("change", "percent", "implemented_is_100"): N_(
            "An implemented change is finished: set it to 100 per cent, or choose another status."
        ),
        ("change", "reason", "required"): N_("Say why the change moves back."),
        ("change", "reason", "too_long"): N_("Keep the reason to %(maximum)s characters or fewer."),
        ("change", "position", "out_of_range"): N_("Enter a whole number from %(minimum)s to %(maximum)s."),
    }
)
CONFLICT.update(
    {
        "already_published": N_("This change is already public."),
        "milestone_done": N_("This step is already marked done."),
    }
)


# ---------------------------------------------------------------- co-creation: public themes, quotes, suggestions
INVALID.update(
    {
        ("title", "too_long"): N_("Keep the title to %(maximum)s characters or fewer."),
        ("title", "hidden_characters"): N_("Write the title on one line, without hidden formatting characters."),
    }
)
CONFLICT.update(
    {
        "theme_not_ready": N_(
            "This theme needs a name for residents in every language before it can be published. Add the missing "
            "names first."
        ),
        "too_many_suggestions": N_(
            "You already have %(maximum)s suggestions waiting for a reply. You can suggest another once we have "
            "answered one of them."
        ),
        "suggestion_moderated": N_("This suggestion has already been answered."),
        "quote_not_proposed": N_("This quote has already been approved or withdrawn."),
        "quote_withdrawn": N_("This quote has already been withdrawn."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_quote": N_("You proposed this quote, so you can't approve it: another manager must."),
    }
)
