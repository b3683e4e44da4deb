"""The resident's inbox on the portal: their messages, how often they hear from us, and unsubscribing by link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from backend.accounts import links
from backend.errors import Conflict, Invalid
from backend.notifications import preferences
from backend.notifications.catalogue import STATUTORY_TOPICS, TOPICS
from backend.notifications.models import FREQUENCIES
from portal import operations
from portal.accounts.forms import EmptyForm
from portal.extensions import csrf
from schema.error_texts import message_for

bp = Blueprint("inbox", __name__)

TOPIC_LABELS = {
    "account": _l("Your account and security"),
    "complaints": _l("Your complaints"),
    "changes": _l("Changes made because residents spoke up"),
    "surveys": _l("Short surveys about our service"),
    "feedback": _l("Your feedback and requests"),
}
CHANNEL_LABELS = {
    "email": _l("Sent to you by email"),
    "sms": _l("Sent to you by text message"),
    "letter": _l("Sent to you by post"),
    "call": _l("Read to you by phone"),
}
FREQUENCY_LABELS = {
    "immediate": _l("Straight away"),
    "daily": _l("Once a day, in one message"),
    "weekly": _l("Once a week, in one message"),
    "off": _l("Not at all"),
}


@bp.route("/messages")
@login_required
def inbox() -> Any:
    page = operations.run("ResidentInboxMessages")["portalMessages"]
    return render_template(
        "inbox/inbox.html", messages=page["nodes"], total=page["totalCount"], channel_names=CHANNEL_LABELS
    )


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def notification_settings() -> Any:
    form = EmptyForm()
    errors: list[str] = []
    if form.validate_on_submit():
        for topic in TOPICS:
            frequency = request.form.get(f"topic-{topic}")
            if topic in STATUTORY_TOPICS or frequency not in FREQUENCIES:
                continue
            result = operations.run_mutation(
                "ResidentPreferenceSet", {"input": {"topic": topic, "frequency": frequency}}
            )
            if result.problem is not None:
                errors.append(result.problem["message"])
        if not errors:
            flash(_("Your message settings have been saved."), "success")
            return redirect(url_for("inbox.notification_settings"))
    current = {row["topic"]: row["frequency"] for row in operations.run("ResidentPreferences")["preferences"]["nodes"]}
    rows = [
        (topic, TOPIC_LABELS[topic], current.get(topic, "immediate"), topic in STATUTORY_TOPICS) for topic in TOPICS
    ]
    return render_template("inbox/settings.html", rows=rows, frequencies=FREQUENCY_LABELS, form=form, errors=errors), (
        400 if errors else 200
    )


@bp.route("/unsubscribe", methods=["GET", "POST"])
@csrf.exempt  # The signed token authorises it; mail providers post one-click unsubscribes (RFC 8058).
def unsubscribe() -> Any:
    token = request.values.get("token", "")
    try:
        payload_topic = _peek_topic(token)
    except Invalid as error:
        return render_template("inbox/unsubscribe.html", problem=message_for(error, _)), 400
    if payload_topic in STATUTORY_TOPICS:
        return render_template(
            "inbox/unsubscribe.html", statutory=True, topic=TOPIC_LABELS.get(payload_topic, payload_topic)
        )
    if request.method == "POST":
        try:
            preferences.unsubscribe(token)
        except (Invalid, Conflict) as error:
            return render_template("inbox/unsubscribe.html", problem=message_for(error, _)), 400
        return render_template(
            "inbox/unsubscribe.html", done=True, topic=TOPIC_LABELS.get(payload_topic, payload_topic)
        )
    return render_template("inbox/unsubscribe.html", token=token, topic=TOPIC_LABELS.get(payload_topic, payload_topic))


def _peek_topic(token: str) -> str:
    payload = links.read_link_token(preferences.UNSUBSCRIBE_SALT, token, max_age=365 * 24 * 3600)
    topic = str(payload.get("topic"))
    if topic not in TOPICS:
        raise Invalid("token", "invalid")
    return topic
