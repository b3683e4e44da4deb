"""Create the survey tables: surveys, questions, rules, invitations, responses and answers."""
from peewee import *

def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Survey(Model):
        title = TextField()
        description = TextField()
        anonymous = BooleanField(default=True)
        status = CharField(index=True, max_length=10, default='draft')
        expiry_days = IntegerField(default=28)
        reminder_days = IntegerField(default=7)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'survey'
    db.create_tables([Survey])

    class SurveyQuestion(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        position = IntegerField(default=0)
        kind = CharField(max_length=20)
        text = TextField()
        options = TextField()
        required = BooleanField(default=False)
        condition = TextField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'survey_question'
            indexes = ((('survey', 'position'), False),)
    db.create_tables([SurveyQuestion])

    class SurveyRule(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        event_name = CharField(index=True, max_length=80)
        delay_amount = IntegerField(default=0)
        delay_unit = CharField(max_length=10, default='days')
        active = BooleanField(default=True)
        last_event_id = IntegerField(default=0)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'survey_rule'
    db.create_tables([SurveyRule])

    class SurveyInvitation(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        rule = ForeignKeyField(SurveyRule, null=True, on_delete='SET NULL')
        user = ForeignKeyField(User, on_delete='CASCADE')
        event_id = IntegerField(null=True)
        key = CharField(unique=True, max_length=100)
        status = CharField(index=True, max_length=10, default='pending')
        due_at = DateTimeField(index=True)
        sent_at = DateTimeField(null=True)
        reminded_at = DateTimeField(null=True)
        expires_at = DateTimeField(null=True)
        answered_at = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'survey_invitation'
    db.create_tables([SurveyInvitation])

    class SurveyResponse(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        invitation_key = CharField(null=True, unique=True, max_length=64)
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        locale = CharField(max_length=10, default='en')
        channel = CharField(max_length=20, default='email')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        submitted_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'survey_response'
    db.create_tables([SurveyResponse])

    class SurveyAnswer(Model):
        response = ForeignKeyField(SurveyResponse, on_delete='CASCADE')
        question = ForeignKeyField(SurveyQuestion, on_delete='CASCADE')
        value = CharField(null=True, max_length=50)
        number = IntegerField(null=True)
        choices = TextField(null=True)
        text = TextField(null=True)
        text_redacted = TextField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'survey_answer'
            indexes = ((('response', 'question'), True),)
    db.create_tables([SurveyAnswer])


def down(migrator, db):
    for table in ('survey_answer', 'survey_response', 'survey_invitation', 'survey_rule', 'survey_question', 'survey'):
        migrator.migrate(migrator.drop_table(table))
