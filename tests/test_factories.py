"""Every model has a factory, and each factory gives a saved row."""

from __future__ import annotations

from backend.models import ALL_MODELS
from tests import factories

FACTORY_FOR = {
    "Landlord": factories.make_landlord,
    "Home": factories.make_home,
    "User": factories.make_user,
    "UserRole": lambda: factories.make_user("staff").roles[0],
    "Representation": lambda: factories.make_representation(factories.make_user("advocate"), factories.make_user()),
    "UserSession": lambda: factories.make_session()[0],
    "SignInFailure": factories.make_sign_in_failure,
    "ApiToken": lambda: factories.make_token()[0],
    "AuditEvent": factories.make_audit_event,
    "OutboxEvent": factories.make_outbox_event,
    "Delivery": factories.make_delivery,
    "MessageTemplate": factories.make_message_template,
    "TranslationReview": factories.make_translation_review,
    "Preference": factories.make_preference,
    "ChannelStatus": factories.make_channel_status,
    "PortalMessage": factories.make_portal_message,
    "Letter": factories.make_letter,
    "CallTask": factories.make_call_task,
    "RateLimitWindow": factories.make_rate_limit_window,
    "Survey": factories.make_survey,
    "SurveyQuestion": factories.make_survey_question,
    "SurveyRule": factories.make_survey_rule,
    "SurveyInvitation": factories.make_survey_invitation,
    "SurveyResponse": factories.make_survey_response,
    "SurveyAnswer": factories.make_survey_answer,
    "Regime": factories.make_regime,
    "RegimeStage": factories.make_regime_stage,
    "RegimeLimit": factories.make_regime_limit,
    "ClosureDay": factories.make_closure_day,
    "ServiceArea": factories.make_service_area,
    "Category": factories.make_category,
    "Contact": factories.make_contact,
    "ComplaintStaff": factories.make_complaint_staff,
    "CaseAccess": factories.make_case_access,
    "CaseRead": factories.make_case_read,
    "ComplaintAssignment": factories.make_complaint_assignment,
    "ContactPerson": factories.make_contact_person,
    "Complaint": factories.make_complaint,
    "ComplaintStage": factories.make_complaint_stage,
    "ComplaintPoint": factories.make_complaint_point,
    "Clock": factories.make_clock,
    "ComplaintResponse": factories.make_complaint_response,
    "PointDecision": factories.make_point_decision,
    "Remedy": factories.make_remedy,
    "OutstandingAction": factories.make_outstanding_action,
    "OmbudsmanOrder": factories.make_ombudsman_order,
    "CaseMessage": factories.make_case_message,
    "ContactMerge": factories.make_contact_merge,
    "UpdateInterval": factories.make_update_interval,
    "PointScope": factories.make_point_scope,
    "Attachment": factories.make_attachment,
    "CaseNote": factories.make_case_note,
    "NoteFile": factories.make_note_file,
    "SecondFactor": factories.make_second_factor,
    "RecoveryCode": factories.make_recovery_code,
    "SecuritySetting": factories.make_security_setting,
    "PhoneVerification": factories.make_phone_verification,
    "StageLeaflet": factories.make_stage_leaflet,
    "ReasonableAdjustment": factories.make_reasonable_adjustment,
    "ContactRestriction": factories.make_contact_restriction,
    "RoleDesignation": factories.make_role_designation,
    "Hazard": factories.make_hazard,
    "HazardClock": factories.make_hazard_clock,
    "HazardKeyword": factories.make_hazard_keyword,
    "HazardDismissal": factories.make_hazard_dismissal,
    "InboundMail": factories.make_inbound_mail,
    "ResponseDraft": factories.make_response_draft,
    "Contractor": factories.make_contractor,
    "ContactReview": factories.make_contact_review,
}


def test_every_model_has_a_factory() -> None:
    assert {model.__name__ for model in ALL_MODELS} == set(FACTORY_FOR)


def test_each_factory_saves_a_row() -> None:
    for model in ALL_MODELS:
        row = FACTORY_FOR[model.__name__]()
        assert isinstance(row, model) and model.get_by_id(row.id) is not None
