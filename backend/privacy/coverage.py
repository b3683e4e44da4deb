"""Every column that points at an account, and what a subject access export does with it.

Each foreign key to :class:`~backend.accounts.models.User` is either :data:`INCLUDED` (its rows go into the export
under a kind, one JSON file per kind) or :data:`EXCLUDED` with the reason. ``tests/test_privacy_coverage.py`` fails
when a model gains a foreign key to User that is in neither, so a new table is never silently left out.
Rows are found by the column equal to the person; some kinds also carry the rows under them (a complaint's stages
and staff notes, a contact's messages and files), gathered in ``backend.privacy.export``.
"""

from __future__ import annotations

# Kinds of record in the export: each is one JSON file and one section of the readable index.
PROFILE = "profile"
CONTACTS = "contacts"
COMPLAINTS = "complaints"
ADVOCACY = "advocacy"
MESSAGES = "messages"
SURVEYS = "surveys"
COCREATION = "cocreation"
PANELS = "panels"
WORK = "work"
REQUESTS = "requests"

#: ``"Model.column": kind``: rows whose column is the person go into the export.
INCLUDED: dict[str, str] = {
    # accounts: the account, its roles, sessions and API tokens (never their secrets), advocacy both ways
    "UserRole.user": PROFILE,
    "UserSession.user": PROFILE,
    "ApiToken.user": PROFILE,
    "Representation.resident": PROFILE,
    "Representation.advocate": ADVOCACY,
    "Preference.user": PROFILE,
    "ChannelStatus.user": PROFILE,
    "EqualityProfile.user": PROFILE,
    # what they told the landlord, and their complaints (with stages, messages, files and staff notes)
    "Contact.resident": CONTACTS,
    "Complaint.resident": COMPLAINTS,
    "ReasonableAdjustment.resident": COMPLAINTS,
    "ContactRestriction.resident": COMPLAINTS,
    # contacts made for someone else: only the fact and the dates (the case is the resident's)
    "Contact.representative_user": ADVOCACY,
    # messages sent to them
    "PortalMessage.user": MESSAGES,
    "Letter.user": MESSAGES,
    "CallTask.user": MESSAGES,
    "ActionDigest.recipient": MESSAGES,
    # surveys: linked responses only (an anonymous survey's responses have no user, by design)
    "SurveyResponse.user": SURVEYS,
    "SurveyInvitation.user": SURVEYS,
    # co-creation
    "Vote.voter": COCREATION,
    "RevoteRequest.voter": COCREATION,
    "ChangeFollow.user": COCREATION,
    "ChangeComment.author": COCREATION,
    "ThemeSuggestion.author": COCREATION,
    "CommentReport.reporter": COCREATION,
    "ImpactAsk.user": COCREATION,
    "ChangeNotice.user": COCREATION,
    # scrutiny panels: membership and what a member did
    "PanelMembership.person": PANELS,
    "PanelAttendance.person": PANELS,
    "PanelSupport.person": PANELS,
    "PackItemView.person": PANELS,
    "AccuracyComment.author": PANELS,
    "DocumentProposal.author": PANELS,
    "LessonAnnotation.author": PANELS,
    "PanelQuestion.asked_by": PANELS,
    # records about a member of staff as a person (not the work they did)
    "StaffInterview.person": WORK,
    "RoleDesignation.person": WORK,
    "CaseAccess.person": WORK,
    "CaseRead.person": WORK,
    "ComplaintStaff.person": WORK,
    "Champion.person": WORK,
    "MeetingAttendee.person": WORK,
    "StaffBriefing.person": WORK,
    "TrainingAttendee.person": WORK,
    "SectorEventAttendee.person": WORK,
    "SavedReport.owner": WORK,
    "SavedReportRecipient.person": WORK,
    # their earlier subject access requests
    "SubjectAccessRequest.person": REQUESTS,
}

STAFF_WORK = (
    "names the member of staff who did, decided, recorded or owns a piece of the landlord's work: the row is the "
    "work's record, not about the person; every change they made is in the audit entries about them, which are "
    "included"
)
KEYS_ONLY = (
    "holds a secret (a key, a code's hash) and nothing else about the person; that it is set up is in the profile"
)
LINE_REPORTS = "points at the people the person manages: those rows are the reports' own data"

#: ``"Model.column": reason``: columns whose rows stay out of the export, and why.
EXCLUDED: dict[str, str] = {
    "User.manager": LINE_REPORTS,
    "SecondFactor.user": KEYS_ONLY,
    "RecoveryCode.user": KEYS_ONLY,
    "PhoneVerification.user": "a one-time code's hash, kept minutes; the verified phone and when are in the profile",
    "LegalHold.person": "a hold on erasure for a claim or proceedings: its reason may be legally privileged or "
    "prejudice the proceedings (Data Protection Act 2018, schedule 2), "
    "so the DPO tells the person by hand if it can be",
    "LegalHold.placed_by": STAFF_WORK,
    "LegalHold.lifted_by": STAFF_WORK,
    **{
        name: STAFF_WORK
        for name in (
            "ApiToken.created_by",
            "Representation.consent_recorded_by",
            "SecuritySetting.updated_by",
            "Panel.senior_lead",
            "ScrutinyReview.created_by",
            "ScrutinyReview.published_by",
            "FindingsVersion.written_by",
            "FindingsVersion.entered_by",
            "FindingsVersion.signed_off_by",
            "AccuracyComment.decided_by",
            "CaseSample.drawn_by",
            "ReviewDocument.added_by",
            "DocumentProposal.approved_by",
            "DocumentProposal.adopted_by",
            "EvidenceRequest.asked_by",
            "EvidenceRequest.answered_by",
            "PanelMeeting.created_by",
            "InvolvementEntry.recorded_by",
            "InvolvementEntry.approved_by",
            "PackItem.added_by",
            "PackItem.confirmed_by",
            "LessonAnnotation.entered_by",
            "PanelAttendance.recorded_by",
            "PanelQuestion.entered_by",
            "PanelQuestion.answered_by",
            "Recommendation.owner",
            "Recommendation.responded_by",
            "StaffInterview.recorded_by",
            "WorkProgrammeItem.created_by",
            "Lesson.identified_by",
            "Lesson.owner",
            "Lesson.champion",
            "ImprovementAction.owner",
            "ImprovementAction.proposed_by",
            "ImprovementAction.authorised_by",
            "ImprovementAction.completed_by",
            "ImprovementAction.signed_off_by",
            "ImprovementAction.verified_by",
            "ActionEvidence.added_by",
            "Meeting.recorded_by",
            "Bulletin.created_by",
            "ContactTheme.linked_by",
            "SuccessStory.drafted_by",
            "SuccessStory.approved_by",
            "DueDateChange.authorised_by",
            "LessonSource.recorded_by",
            "LessonTheme.linked_by",
            "NoLessonDecision.decided_by",
            "QaReport.computed_by",
            "QualityReview.reviewer",
            "StaffBriefing.sent_by",
            "TrainingRecord.recorded_by",
            "Contact.received_by",
            "Contact.logged_by",
            "Contact.classified_by",
            "Contact.complaint_offered_by",
            "Contact.restricted_by",
            "Complaint.handler",
            "CaseMessage.created_by",
            "Attachment.uploaded_by",
            "CaseAccess.granted_by",
            "CaseNote.created_by",
            "ComplaintAssignment.handler",
            "ComplaintResponse.issued_by",
            "ComplaintResponse.signed_off_by",
            "ComplaintStaff.recorded_by",
            "ComplaintStaff.told_by",
            "ComplaintStage.handler",
            "ComplaintStage.extension_authorised_by",
            "ContactMerge.merged_by",
            "ContactRestriction.point_of_contact",
            "ContactRestriction.decided_by",
            "ContactRestriction.reviewed_by",
            "ContactReview.reviewed_by",
            "Hazard.flagged_by",
            "Hazard.escalated_to",
            "Hazard.closed_by",
            "HazardDismissal.dismissed_by",
            "NoteFile.uploaded_by",
            "OmbudsmanOrder.recorded_by",
            "OmbudsmanOrder.complied_by",
            "OutstandingAction.owner",
            "OutstandingAction.completed_by",
            "PointScope.recorded_by",
            "ReasonableAdjustment.recorded_by",
            "ReasonableAdjustment.decided_by",
            "Remedy.owner",
            "Remedy.completed_by",
            "ResponseDraft.submitted_by",
            "ResponseDraft.decided_by",
            "StageLeaflet.uploaded_by",
            "UpdateInterval.agreed_by",
            "CallTask.completed_by",
            "Letter.posted_by",
            "MessageTemplate.updated_by",
            "TranslationReview.reviewed_by",
            "Change.created_by",
            "ChangeContact.linked_by",
            "ChangeUpdate.created_by",
            "Digest.drafted_by",
            "Digest.approved_by",
            "LandlordPage.updated_by",
            "ThemeSuggestion.moderated_by",
            "ModerationAction.moderator",
            "PriorityRound.created_by",
            "ThemeQuote.proposed_by",
            "ThemeQuote.approved_by",
            "EqualityProfile.recorded_by",
            "ReportPublication.drafted_by",
            "ReportPublication.approved_by",
            "ReportPublication.published_by",
            "SectorEvent.recorded_by",
            "SelfAssessment.drafted_by",
            "SelfAssessment.approved_by",
            "SelfAssessment.published_by",
            "SignalCount.imported_by",
            "StockCount.entered_by",
            "Survey.created_by",
            "TsmSurveyMethod.recorded_by",
            "SubjectAccessRequest.extended_by",
            "SubjectAccessRequest.logged_by",
            "SubjectAccessRequest.compiled_by",
            "SubjectAccessRequest.reviewed_by",
            "SubjectAccessRequest.released_by",
            "SubjectAccessRequest.closed_by",
        )
    },
}
