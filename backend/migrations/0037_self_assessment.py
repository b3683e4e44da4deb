"""Self-assessments against the Housing Ombudsman's Complaint Handling Code (Code 8.1-8.4).

``code_provision`` holds the Code's provisions (and the "learning from complaints" checklist) as data that admins
edit when the Code changes; ``self_assessment`` and its ``self_assessment_item`` rows hold each assessment, with the
wording copied from the provisions it was started with. ``sector_event`` records benchmarking and network meetings
(learning item 8) and who attended them.
"""
from peewee import *

from backend.updated_at import install_triggers


def up(migrator, db):
    class ImprovementAction(Model):
        class Meta:
            database = db
            table_name = 'improvement_action'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class CodeProvision(Model):
        checklist = CharField(max_length=10, default='code')
        edition = CharField(max_length=40)
        effective_on = DateField()
        number = CharField(max_length=10)
        section = IntegerField()
        section_title = CharField(max_length=200)
        requirement = TextField()
        obligation = CharField(max_length=10, default='must')
        position = IntegerField(default=0)
        retired_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'code_provision'
            indexes = ((('checklist', 'edition', 'number'), True),)
    db.create_tables([CodeProvision])

    class SectorEvent(Model):
        kind = CharField(index=True, max_length=20)
        name = CharField(max_length=200)
        held_on = DateField(index=True)
        expected = BooleanField(default=True)
        notes = TextField(default='')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'sector_event'
    db.create_tables([SectorEvent])

    class SectorEventAttendee(Model):
        event = ForeignKeyField(SectorEvent, on_delete='CASCADE')
        person = ForeignKeyField(User, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'sector_event_attendee'
            indexes = ((('event', 'person'), True),)
    db.create_tables([SectorEventAttendee])

    class SelfAssessment(Model):
        period = CharField(max_length=40)
        period_first = DateField()
        period_last = DateField()
        trigger = CharField(max_length=20, default='annual')
        context = TextField(default='')
        status = CharField(index=True, max_length=10, default='draft')
        drafted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True)
        governing_body_approved_on = DateField(null=True)
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        published_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'self_assessment'
    db.create_tables([SelfAssessment])

    class SelfAssessmentItem(Model):
        assessment = ForeignKeyField(SelfAssessment, on_delete='CASCADE')
        provision = ForeignKeyField(CodeProvision, on_delete='RESTRICT')
        checklist = CharField(max_length=10)
        number = CharField(max_length=10)
        section = IntegerField()
        section_title = CharField(max_length=200)
        requirement = TextField()
        obligation = CharField(max_length=10)
        position = IntegerField(default=0)
        complies = BooleanField(null=True)
        evidence = TextField(default='')
        explanation = TextField(default='')
        action = ForeignKeyField(ImprovementAction, null=True, on_delete='SET NULL')
        links = TextField(default='[]')  # JSON as text (backend.db.JSONField)
        figure = TextField(null=True)  # JSON as text (backend.db.JSONField)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'self_assessment_item'
            indexes = ((('assessment', 'provision'), True),)
    db.create_tables([SelfAssessmentItem])
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table('self_assessment_item'))
    migrator.migrate(migrator.drop_table('self_assessment'))
    migrator.migrate(migrator.drop_table('sector_event_attendee'))
    migrator.migrate(migrator.drop_table('sector_event'))
    migrator.migrate(migrator.drop_table('code_provision'))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the tables leave behind
