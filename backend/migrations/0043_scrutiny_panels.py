"""Scrutiny panels: members, reviews, meetings, evidence packs with redacted cases, lesson annotations, questions,
versioned findings, recommendations answered on a clock, approval meetings and each member's involvement ledger."""
from peewee import *
from backend import db as learnloop_fields
from backend.updated_at import install_triggers


def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = 'complaint'

    class ImprovementAction(Model):
        class Meta:
            database = db
            table_name = 'improvement_action'

    class Lesson(Model):
        class Meta:
            database = db
            table_name = 'lesson'

    class Survey(Model):
        class Meta:
            database = db
            table_name = 'survey'

    class Theme(Model):
        class Meta:
            database = db
            table_name = 'theme'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Panel(Model):
        name = CharField(unique=True, max_length=120)
        terms_of_reference = TextField(default='')
        sign_off_rule = CharField(max_length=20, default='chair')
        quorum = IntegerField(default=3)
        response_working_days = IntegerField(default=40)
        approval_body = CharField(max_length=20, default='executive')
        senior_lead = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reward_rule = TextField(default='')
        reward_pence = IntegerField(null=True)
        follow_up_months = IntegerField(default=6)
        created_at = DateTimeField()
        archived_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'panel'
    db.create_tables([Panel])

    class ScrutinyReview(Model):
        reference = CharField(unique=True, max_length=20)
        panel = ForeignKeyField(Panel, on_delete='RESTRICT')
        kind = CharField(max_length=20, default='service')
        topic = CharField(max_length=200)
        scope = TextField(default='')
        questions = TextField(default='')
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        status = CharField(index=True, max_length=20, default='planned')
        conclusion = TextField(default='')
        follows = ForeignKeyField('self', null=True, on_delete='SET NULL')
        follow_up_due_on = DateField(null=True)
        theme = ForeignKeyField(Theme, null=True, on_delete='SET NULL')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        published_at = DateTimeField(index=True, null=True)
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        publication_summary = TextField(default='')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'scrutiny_review'
    db.create_tables([ScrutinyReview])

    class FindingsVersion(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        number = IntegerField()
        summary = TextField(default='')
        findings = TextField(default='')
        recommendations = learnloop_fields.JSONField(default=list)
        written_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        channel = CharField(max_length=20, default='workspace')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        written_at = DateTimeField()
        signed_off_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        signed_off_at = DateTimeField(null=True)
        signed_off_as = CharField(null=True, max_length=20)
        quorum_members = learnloop_fields.JSONField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'findings_version'
            indexes = ((('review', 'number'), True),)
    db.create_tables([FindingsVersion])

    class AccuracyComment(Model):
        version = ForeignKeyField(FindingsVersion, on_delete='CASCADE')
        passage = TextField(default='')
        comment = TextField()
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        status = CharField(max_length=20, default='open')
        decision_note = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'accuracy_comment'
    db.create_tables([AccuracyComment])

    class ApprovalMeeting(Model):
        body = CharField(max_length=20)
        meets_on = DateField(index=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'approval_meeting'
            indexes = ((('body', 'meets_on'), True),)
    db.create_tables([ApprovalMeeting])

    class CaseSample(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        method = CharField(max_length=20, default='random')
        criteria = learnloop_fields.JSONField(default=dict)
        size = IntegerField()
        drawn = IntegerField(default=0)
        seed = CharField(max_length=64)
        drawn_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        drawn_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_sample'
    db.create_tables([CaseSample])

    class EvidenceRequest(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        asked = TextField()
        asked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        asked_at = DateTimeField()
        due_on = DateField(index=True)
        status = CharField(index=True, max_length=20, default='open')
        answer = TextField(default='')
        answered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        answered_at = DateTimeField(null=True)
        escalated_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'evidence_request'
    db.create_tables([EvidenceRequest])

    class PanelMembership(Model):
        panel = ForeignKeyField(Panel, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=20, default='member')
        started_on = DateField()
        ended_on = DateField(index=True, null=True)
        training_done_on = DateField(null=True)
        training_note = TextField(default='')
        confidentiality_signed_on = DateField(null=True)
        conflicts = TextField(default='')
        rewards_opt_out = BooleanField(default=False)
        papers_by = CharField(max_length=20, default='email')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'panel_membership'
    db.create_tables([PanelMembership])

    class PanelMeeting(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        starts_at = DateTimeField(index=True)
        minutes_long = IntegerField(default=120)
        mode = CharField(max_length=20, default='in_person')
        place = CharField(max_length=300, default='')
        agenda = TextField(default='')
        minutes = TextField(default='')
        papers_sent_at = DateTimeField(null=True)
        reminded_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'panel_meeting'
    db.create_tables([PanelMeeting])

    class InvolvementEntry(Model):
        membership = ForeignKeyField(PanelMembership, on_delete='CASCADE')
        kind = CharField(index=True, max_length=20)
        occurred_on = DateField(index=True)
        minutes_given = IntegerField(default=0)
        amount_pence = IntegerField(default=0)
        note = TextField(default='')
        review = ForeignKeyField(ScrutinyReview, null=True, on_delete='SET NULL')
        meeting = ForeignKeyField(PanelMeeting, null=True, on_delete='SET NULL')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField()
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True)
        thanked_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'involvement_entry'
    db.create_tables([InvolvementEntry])

    class PackItem(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        kind = CharField(index=True, max_length=20)
        position = IntegerField(default=0)
        title = CharField(max_length=200)
        note = TextField(default='')
        url = CharField(max_length=2000, default='')
        file_name = CharField(max_length=200, default='')
        media_type = CharField(max_length=100, default='')
        size = IntegerField(default=0)
        sha256 = CharField(max_length=64, default='')
        storage_key = CharField(unique=True, null=True, max_length=200)
        lesson = ForeignKeyField(Lesson, null=True, on_delete='SET NULL')
        survey = ForeignKeyField(Survey, null=True, on_delete='SET NULL')
        complaint = ForeignKeyField(Complaint, null=True, on_delete='SET NULL')
        sample = ForeignKeyField(CaseSample, null=True, on_delete='SET NULL')
        request = ForeignKeyField(EvidenceRequest, null=True, on_delete='SET NULL')
        content = learnloop_fields.JSONField(null=True)
        query_name = CharField(max_length=100, default='')
        taken_at = DateTimeField(null=True)
        status = CharField(index=True, max_length=20, default='draft')
        withdrawn_reason = TextField(default='')
        added_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        added_at = DateTimeField()
        confirmed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        confirmed_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'pack_item'
    db.create_tables([PackItem])

    class LessonAnnotation(Model):
        item = ForeignKeyField(PackItem, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, null=True, on_delete='SET NULL')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        comment = TextField(default='')
        rating = CharField(null=True, max_length=20)
        channel = CharField(max_length=20, default='workspace')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'lesson_annotation'
    db.create_tables([LessonAnnotation])

    class PackItemView(Model):
        item = ForeignKeyField(PackItem, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        viewed_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'pack_item_view'
    db.create_tables([PackItemView])

    class PanelAttendance(Model):
        meeting = ForeignKeyField(PanelMeeting, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        attended = BooleanField(default=True)
        minutes_given = IntegerField(default=0)
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'panel_attendance'
            indexes = ((('meeting', 'person'), True),)
    db.create_tables([PanelAttendance])

    class PanelQuestion(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        item = ForeignKeyField(PackItem, null=True, on_delete='SET NULL')
        asked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        text = TextField()
        channel = CharField(max_length=20, default='workspace')
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        asked_at = DateTimeField()
        answer = TextField(default='')
        answered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        answered_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'panel_question'
    db.create_tables([PanelQuestion])

    class PanelSupport(Model):
        panel = ForeignKeyField(Panel, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        duty = CharField(max_length=100, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'panel_support'
            indexes = ((('panel', 'person'), True),)
    db.create_tables([PanelSupport])

    class Recommendation(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        version = ForeignKeyField(FindingsVersion, on_delete='RESTRICT')
        number = IntegerField()
        text = TextField()
        response_due_on = DateField(index=True)
        decision = CharField(null=True, max_length=20)
        reason = TextField(default='')
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        due_on = DateField(null=True)
        lesson = ForeignKeyField(Lesson, null=True, on_delete='SET NULL')
        action = ForeignKeyField(ImprovementAction, null=True, on_delete='SET NULL')
        responded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        responded_at = DateTimeField(null=True)
        approved_by_body = CharField(null=True, max_length=20)
        approved_on = DateField(null=True)
        approval_note = TextField(default='')
        escalated_at = DateTimeField(null=True)
        satisfaction = CharField(null=True, max_length=20)
        satisfaction_note = TextField(default='')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'recommendation'
            indexes = ((('review', 'number'), True),)
    db.create_tables([Recommendation])

    class ScrutinyReferenceCounter(Model):
        year = IntegerField(primary_key=True)
        last = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'scrutiny_reference_counter'
    db.create_tables([ScrutinyReferenceCounter])

    class StaffInterview(Model):
        review = ForeignKeyField(ScrutinyReview, on_delete='CASCADE')
        interviewee_role = CharField(max_length=120)
        person = ForeignKeyField(User, null=True, on_delete='SET NULL')
        held_on = DateField()
        notes = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'staff_interview'
    db.create_tables([StaffInterview])

    class WorkProgrammeItem(Model):
        panel = ForeignKeyField(Panel, on_delete='CASCADE')
        topic = CharField(max_length=200)
        source = CharField(max_length=20, default='panel')
        theme = ForeignKeyField(Theme, null=True, on_delete='SET NULL')
        note = TextField(default='')
        planned_for = DateField(null=True)
        review = ForeignKeyField(ScrutinyReview, null=True, on_delete='SET NULL')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'work_programme_item'
    db.create_tables([WorkProgrammeItem])
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('work_programme_item'))
    migrator.migrate(migrator.drop_table('staff_interview'))
    migrator.migrate(migrator.drop_table('scrutiny_reference_counter'))
    migrator.migrate(migrator.drop_table('recommendation'))
    migrator.migrate(migrator.drop_table('panel_support'))
    migrator.migrate(migrator.drop_table('panel_question'))
    migrator.migrate(migrator.drop_table('panel_attendance'))
    migrator.migrate(migrator.drop_table('pack_item_view'))
    migrator.migrate(migrator.drop_table('lesson_annotation'))
    migrator.migrate(migrator.drop_table('pack_item'))
    migrator.migrate(migrator.drop_table('involvement_entry'))
    migrator.migrate(migrator.drop_table('panel_meeting'))
    migrator.migrate(migrator.drop_table('panel_membership'))
    migrator.migrate(migrator.drop_table('evidence_request'))
    migrator.migrate(migrator.drop_table('case_sample'))
    migrator.migrate(migrator.drop_table('approval_meeting'))
    migrator.migrate(migrator.drop_table('accuracy_comment'))
    migrator.migrate(migrator.drop_table('findings_version'))
    migrator.migrate(migrator.drop_table('scrutiny_review'))
    migrator.migrate(migrator.drop_table('panel'))
    install_triggers(db)
