"""The lessons collector: lessons and their sources, root causes, themes, SMART actions, champions, meetings,
staff briefings, bulletins, training, success stories, the monthly QA and the quality checks.

The root-cause taxonomy starts with the framework's systems categories (process, policy, system, communication,
resourcing, training, contractor) and a few sub-causes; admins edit it. None names a person (PHSO's just and
learning culture). The theme priority weights start equal, and the quality checklist starts with the checks the
Code's self-assessment asks of a closed complaint; admins edit both.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers


ROOT_CAUSES = {
    "Process": ["Process not followed", "Process unclear or missing", "Hand-offs between teams"],
    "Policy": ["Policy unclear", "Policy out of date"],
    "System": ["System error", "Information not recorded", "Information not shared"],
    "Communication": ["Resident not kept informed", "Unclear letter or message", "Expectations not managed"],
    "Resourcing": ["Not enough staff", "Materials or parts not available"],
    "Training": ["Knowledge gap", "Training not given"],
    "Contractor": ["Contractor's work quality", "Contractor missed an appointment"],
    "Other": [],
}
WEIGHTS = (("residents_affected", 1.0), ("upheld_complaints", 1.0), ("impact", 1.0), ("votes", 1.0))
CHECKLIST = (
    "The complaint was handled at the right stage.",
    "The complaint definition was agreed with the resident.",
    "Each point was answered, with reasons.",
    "The remedy fitted the impact on the resident.",
    "The response letter was clear and said how to escalate.",
    "The resident was kept informed within the timescales.",
)


def _seed(db):
    param = db.param
    now = "CURRENT_TIMESTAMP"
    for position, (name, children) in enumerate(ROOT_CAUSES.items()):
        db.execute_sql(f"INSERT INTO root_cause (name, description, updated_at) VALUES ({param}, '', {now})", (name,))
        parent = db.execute_sql(f"SELECT id FROM root_cause WHERE name = {param} AND parent_id IS NULL", (name,)).fetchone()[0]
        for child in children:
            db.execute_sql(
                f"INSERT INTO root_cause (name, parent_id, description, updated_at) VALUES ({param}, {param}, '', {now})",
                (child, parent),
            )
    for factor, weight in WEIGHTS:
        db.execute_sql(f"INSERT INTO priority_weight (factor, weight, updated_at) VALUES ({param}, {param}, {now})", (factor, weight))
    for position, text in enumerate(CHECKLIST, start=1):
        db.execute_sql(
            f"INSERT INTO quality_check_item (text, position, updated_at) VALUES ({param}, {param}, {now})", (text, position)
        )


def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class ServiceArea(Model):
        class Meta:
            database = db
            table_name = 'service_area'

    class Survey(Model):
        class Meta:
            database = db
            table_name = 'survey'

    class SurveyQuestion(Model):
        class Meta:
            database = db
            table_name = 'survey_question'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Lesson(Model):
        reference = CharField(unique=True, max_length=20)
        title = CharField(max_length=200)
        status = CharField(index=True, max_length=20, default='identified')
        identified_on = DateField()
        identified_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        champion = ForeignKeyField(User, null=True, on_delete='SET NULL')
        team = CharField(index=True, null=True, max_length=100)
        service_area = ForeignKeyField(ServiceArea, null=True, on_delete='SET NULL')
        early_lesson = TextField(default='')
        event_summary = TextField(default='')
        business_impact = IntegerField(null=True)
        resident_impact = IntegerField(null=True)
        actions_taken = TextField(default='')
        later_findings = TextField(default='')
        referred_to_hr = BooleanField(default=False)
        end_reason = TextField(default='')
        merged_into = ForeignKeyField('self', null=True, on_delete='SET NULL')
        archived_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'lesson'
    db.create_tables([Lesson])

    class RootCause(Model):
        name = CharField(max_length=100)
        parent = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        description = TextField(default='')
        archived_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'root_cause'
            indexes = ((('parent', 'name'), True),)
    db.create_tables([RootCause])

    class LessonCause(Model):
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        root_cause = ForeignKeyField(RootCause, on_delete='RESTRICT')
        contributing = BooleanField(default=False)
        detail = TextField(default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'lesson_cause'
    db.create_tables([LessonCause])

    class Programme(Model):
        name = CharField(unique=True, max_length=100)
        description = TextField(default='')
        archived_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'programme'
    db.create_tables([Programme])

    class ImprovementAction(Model):
        lesson = ForeignKeyField(Lesson, on_delete='RESTRICT')
        title = CharField(max_length=200)
        description = TextField(default='')
        measure = TextField(default='')
        baseline = CharField(max_length=200, default='')
        target = CharField(max_length=200, default='')
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        team = CharField(index=True, null=True, max_length=100)
        cause = ForeignKeyField(LessonCause, null=True, on_delete='SET NULL')
        action_type = CharField(index=True, max_length=30)
        programme = ForeignKeyField(Programme, null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=20, default='proposed')
        due_on = DateField(index=True, null=True)
        first_due_on = DateField(null=True)
        proposed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        proposed_at = DateTimeField()
        authorised_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        authorised_at = DateTimeField(null=True)
        started_at = DateTimeField(null=True)
        completed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        completed_at = DateTimeField(index=True, null=True)
        evidence = TextField(default='')
        signed_off_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        signed_off_at = DateTimeField(null=True)
        verified_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        verified_at = DateTimeField(index=True, null=True)
        effect = CharField(null=True, max_length=20)
        effect_note = TextField(default='')
        follows = ForeignKeyField('self', null=True, on_delete='SET NULL')
        cancel_reason = TextField(default='')
        due_soon_notified_at = DateTimeField(null=True)
        overdue_notified_at = DateTimeField(null=True)
        overdue_escalated_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'improvement_action'
    db.create_tables([ImprovementAction])

    class ActionDigest(Model):
        action = ForeignKeyField(ImprovementAction, on_delete='CASCADE')
        recipient = ForeignKeyField(User, on_delete='CASCADE')
        day = DateField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'action_digest'
            indexes = ((('action', 'recipient', 'day'), True),)
    db.create_tables([ActionDigest])

    class ActionEvidence(Model):
        action = ForeignKeyField(ImprovementAction, on_delete='CASCADE')
        text = TextField(default='')
        url = CharField(max_length=2000, default='')
        file_name = CharField(max_length=200, default='')
        media_type = CharField(max_length=100, default='')
        size = IntegerField(default=0)
        sha256 = CharField(max_length=64, default='')
        storage_key = CharField(unique=True, null=True, max_length=200)
        added_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        added_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'action_evidence'
    db.create_tables([ActionEvidence])

    class Meeting(Model):
        kind = CharField(index=True, max_length=20)
        title = CharField(max_length=200)
        held_on = DateField(index=True)
        team = CharField(null=True, max_length=100)
        minutes = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'meeting'
    db.create_tables([Meeting])

    class AgendaItem(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        position = IntegerField(default=0)
        title = CharField(max_length=200)
        notes = TextField(default='')
        lesson = ForeignKeyField(Lesson, null=True, on_delete='SET NULL')
        action = ForeignKeyField(ImprovementAction, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agenda_item'
    db.create_tables([AgendaItem])

    class Bulletin(Model):
        title = CharField(max_length=200)
        period_start = DateField()
        period_end = DateField()
        introduction = TextField(default='')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'bulletin'
    db.create_tables([Bulletin])

    class BulletinLesson(Model):
        bulletin = ForeignKeyField(Bulletin, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'bulletin_lesson'
            indexes = ((('bulletin', 'lesson'), True),)
    db.create_tables([BulletinLesson])

    class Champion(Model):
        person = ForeignKeyField(User, on_delete='CASCADE')
        team = CharField(index=True, max_length=100)
        appointed_on = DateField()
        ended_on = DateField(null=True)
        responsibilities = TextField(default='')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'champion'
    db.create_tables([Champion])

    class Theme(Model):
        name = CharField(unique=True, max_length=100)
        merged_into = ForeignKeyField('self', null=True, on_delete='SET NULL')
        archived_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'theme'
    db.create_tables([Theme])

    class ContactTheme(Model):
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        linked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        linked_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'contact_theme'
            indexes = ((('contact', 'theme'), True),)
    db.create_tables([ContactTheme])

    class DueDateChange(Model):
        action = ForeignKeyField(ImprovementAction, on_delete='CASCADE')
        from_date = DateField()
        to_date = DateField()
        reason = TextField()
        authorised_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        changed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'due_date_change'
    db.create_tables([DueDateChange])

    class LessonLearningType(Model):
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        learning_type = CharField(index=True, max_length=30)
        class Meta:
            database = db
            table_name = 'lesson_learning_type'
            indexes = ((('lesson', 'learning_type'), True),)
    db.create_tables([LessonLearningType])

    class LessonSource(Model):
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        kind = CharField(index=True, max_length=30)
        complaint = ForeignKeyField(Complaint, null=True, on_delete='CASCADE')
        contact = ForeignKeyField(Contact, null=True, on_delete='CASCADE')
        survey = ForeignKeyField(Survey, null=True, on_delete='SET NULL')
        survey_question = ForeignKeyField(SurveyQuestion, null=True, on_delete='SET NULL')
        reference = CharField(max_length=100, default='')
        note = TextField(default='')
        anonymous = BooleanField(default=False)
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'lesson_source'
    db.create_tables([LessonSource])

    class LessonTheme(Model):
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        linked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        linked_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'lesson_theme'
            indexes = ((('lesson', 'theme'), True),)
    db.create_tables([LessonTheme])

    class MeetingAttendee(Model):
        meeting = ForeignKeyField(Meeting, on_delete='CASCADE')
        person = ForeignKeyField(User, null=True, on_delete='SET NULL')
        name = CharField(max_length=120, default='')
        class Meta:
            database = db
            table_name = 'meeting_attendee'
    db.create_tables([MeetingAttendee])

    class NoLessonDecision(Model):
        complaint = ForeignKeyField(Complaint, unique=True, on_delete='CASCADE')
        reason = TextField()
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'no_lesson_decision'
    db.create_tables([NoLessonDecision])

    class PriorityWeight(Model):
        factor = CharField(unique=True, max_length=30)
        weight = FloatField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'priority_weight'
    db.create_tables([PriorityWeight])

    class QaReport(Model):
        month = DateField(unique=True)
        transfer_met = IntegerField(default=0)
        transfer_due = IntegerField(default=0)
        smart_met = IntegerField(default=0)
        smart_due = IntegerField(default=0)
        on_time_met = IntegerField(default=0)
        on_time_due = IntegerField(default=0)
        overdue_count = IntegerField(default=0)
        effective_met = IntegerField(default=0)
        effective_due = IntegerField(default=0)
        failing = TextField(default='{}')  # JSON as text (backend.db.JSONField)
        computed_at = DateTimeField()
        computed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        sent_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'qa_report'
    db.create_tables([QaReport])

    class QualityCheckItem(Model):
        text = CharField(max_length=300)
        position = IntegerField(default=0)
        archived_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'quality_check_item'
    db.create_tables([QualityCheckItem])

    class QualityReview(Model):
        month = DateField(index=True)
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        team = CharField(null=True, max_length=100)
        reviewer = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reviewed_at = DateTimeField(null=True)
        comments = TextField(default='')
        team_told_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'quality_review'
            indexes = ((('month', 'complaint'), True),)
    db.create_tables([QualityReview])

    class QualityScore(Model):
        review = ForeignKeyField(QualityReview, on_delete='CASCADE')
        item = ForeignKeyField(QualityCheckItem, on_delete='RESTRICT')
        result = CharField(max_length=20)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'quality_score'
            indexes = ((('review', 'item'), True),)
    db.create_tables([QualityScore])

    class StaffBriefing(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        summary = TextField()
        sent_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        sent_at = DateTimeField()
        acknowledged_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'staff_briefing'
            indexes = ((('complaint', 'person'), False),)
    db.create_tables([StaffBriefing])

    class SuccessStory(Model):
        title = CharField(max_length=200)
        story = TextField()
        before_figure = CharField(max_length=200, default='')
        after_figure = CharField(max_length=200, default='')
        status = CharField(index=True, max_length=20, default='draft')
        drafted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True)
        return_reason = TextField(default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'success_story'
    db.create_tables([SuccessStory])

    class StoryLink(Model):
        story = ForeignKeyField(SuccessStory, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, null=True, on_delete='CASCADE')
        action = ForeignKeyField(ImprovementAction, null=True, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'story_link'
    db.create_tables([StoryLink])

    class StoryMedia(Model):
        story = ForeignKeyField(SuccessStory, on_delete='CASCADE')
        url = CharField(max_length=2000, default='')
        file_name = CharField(max_length=200, default='')
        media_type = CharField(max_length=100, default='')
        size = IntegerField(default=0)
        sha256 = CharField(max_length=64, default='')
        storage_key = CharField(unique=True, null=True, max_length=200)
        alt_text = CharField(max_length=300)
        added_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'story_media'
    db.create_tables([StoryMedia])

    class ThemeText(Model):
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        locale = CharField(max_length=10)
        name = CharField(max_length=100)
        description = TextField(default='')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'theme_text'
            indexes = ((('theme', 'locale'), True),)
    db.create_tables([ThemeText])

    class TrainingRecord(Model):
        title = CharField(max_length=200)
        action = ForeignKeyField(ImprovementAction, null=True, on_delete='SET NULL')
        delivered_on = DateField(index=True)
        audience = CharField(max_length=200, default='')
        attendees = IntegerField(default=0)
        notes = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'training_record'
    db.create_tables([TrainingRecord])

    class TrainingAttendee(Model):
        record = ForeignKeyField(TrainingRecord, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'training_attendee'
            indexes = ((('record', 'person'), True),)
    db.create_tables([TrainingAttendee])
    _seed(db)
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)
    migrator.migrate(migrator.drop_table('training_attendee'))
    migrator.migrate(migrator.drop_table('training_record'))
    migrator.migrate(migrator.drop_table('theme_text'))
    migrator.migrate(migrator.drop_table('story_media'))
    migrator.migrate(migrator.drop_table('story_link'))
    migrator.migrate(migrator.drop_table('success_story'))
    migrator.migrate(migrator.drop_table('staff_briefing'))
    migrator.migrate(migrator.drop_table('quality_score'))
    migrator.migrate(migrator.drop_table('quality_review'))
    migrator.migrate(migrator.drop_table('quality_check_item'))
    migrator.migrate(migrator.drop_table('qa_report'))
    migrator.migrate(migrator.drop_table('priority_weight'))
    migrator.migrate(migrator.drop_table('no_lesson_decision'))
    migrator.migrate(migrator.drop_table('meeting_attendee'))
    migrator.migrate(migrator.drop_table('lesson_theme'))
    migrator.migrate(migrator.drop_table('lesson_source'))
    migrator.migrate(migrator.drop_table('lesson_learning_type'))
    migrator.migrate(migrator.drop_table('due_date_change'))
    migrator.migrate(migrator.drop_table('contact_theme'))
    migrator.migrate(migrator.drop_table('theme'))
    migrator.migrate(migrator.drop_table('champion'))
    migrator.migrate(migrator.drop_table('bulletin_lesson'))
    migrator.migrate(migrator.drop_table('bulletin'))
    migrator.migrate(migrator.drop_table('agenda_item'))
    migrator.migrate(migrator.drop_table('meeting'))
    migrator.migrate(migrator.drop_table('action_evidence'))
    migrator.migrate(migrator.drop_table('action_digest'))
    migrator.migrate(migrator.drop_table('improvement_action'))
    migrator.migrate(migrator.drop_table('programme'))
    migrator.migrate(migrator.drop_table('lesson_cause'))
    migrator.migrate(migrator.drop_table('root_cause'))
    migrator.migrate(migrator.drop_table('lesson'))
    install_triggers(db)
