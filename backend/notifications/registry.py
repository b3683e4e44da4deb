"""Every event that sends messages, each declared by the domain it belongs to.

Import :data:`EVENTS` from here: importing this module is what puts every domain's events in it, in the order staff
see them listed (accounts, then contacts and complaints, then surveys).
"""

from __future__ import annotations

from backend.accounts.messages import ACCOUNT_EVENTS
from backend.cocreation.change_messages import CHANGE_EVENTS
from backend.cocreation.comment_messages import COMMENT_EVENTS
from backend.cocreation.round_messages import ROUND_EVENTS
from backend.cocreation.suggestion_messages import SUGGESTION_EVENTS
from backend.complaints.hazard_messages import HAZARD_EVENTS
from backend.complaints.messages import COMPLAINT_EVENTS
from backend.lessons.action_messages import ACTION_EVENTS
from backend.lessons.qa_messages import QA_EVENTS
from backend.lessons.sharing_messages import SHARING_EVENTS
from backend.notifications.catalogue import EVENTS, register
from backend.panels.findings_messages import FINDINGS_EVENTS
from backend.panels.ledger_messages import LEDGER_EVENTS
from backend.panels.messages import PANEL_EVENTS
from backend.panels.request_messages import PANEL_REQUEST_EVENTS
from backend.privacy.messages import PRIVACY_EVENTS
from backend.reports.saved_messages import REPORT_EVENTS
from backend.surveys.messages import SURVEY_EVENTS

for group in (
    ACCOUNT_EVENTS,
    COMPLAINT_EVENTS,
    HAZARD_EVENTS,
    SURVEY_EVENTS,
    ACTION_EVENTS,
    SHARING_EVENTS,
    QA_EVENTS,
    REPORT_EVENTS,
    PANEL_EVENTS,
    PANEL_REQUEST_EVENTS,
    FINDINGS_EVENTS,
    LEDGER_EVENTS,
    COMMENT_EVENTS,
    CHANGE_EVENTS,
    ROUND_EVENTS,
    SUGGESTION_EVENTS,
    PRIVACY_EVENTS,
):
    for spec in group.specs:
        register(spec)

__all__ = ["EVENTS"]
