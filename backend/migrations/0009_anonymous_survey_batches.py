"""Hold anonymous survey responses until they can reach staff in groups, and remove the times that re-identify.

Adds ``survey_response.held``. For surveys that are anonymous, clears every invitation's ``answered_at`` and
cuts the times of responses and answers already kept to the start of their day, so that an invitation can
no longer be matched to its response by time. That clearing cannot be undone: ``down`` only drops the column.
"""
from peewee import *


def _start_of_day(db, column):
    # SQLite keeps times as text, "YYYY-MM-DD HH:MM:SS.ffffff"; PostgreSQL has a timestamp type.
    if isinstance(db, SqliteDatabase):
        return fn.strftime('%Y-%m-%d 00:00:00', column)
    return fn.date_trunc('day', column)


def up(migrator, db):
    migrator.migrate(migrator.add_column('survey_response', 'held', BooleanField(default=False)))

    class Survey(Model):
        anonymous = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'survey'

    class SurveyInvitation(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        answered_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'survey_invitation'

    class SurveyResponse(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        submitted_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'survey_response'

    class SurveyAnswer(Model):
        response = ForeignKeyField(SurveyResponse, on_delete='CASCADE')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'survey_answer'

    anonymous = Survey.select(Survey.id).where(Survey.anonymous == True)
    responses = SurveyResponse.select(SurveyResponse.id).where(SurveyResponse.survey.in_(anonymous))
    SurveyInvitation.update(answered_at=None).where(SurveyInvitation.survey.in_(anonymous)).execute()
    SurveyResponse.update(
        created_at=_start_of_day(db, SurveyResponse.created_at),
        updated_at=_start_of_day(db, SurveyResponse.updated_at),
        submitted_at=_start_of_day(db, SurveyResponse.submitted_at),
    ).where(SurveyResponse.survey.in_(anonymous)).execute()
    SurveyAnswer.update(
        created_at=_start_of_day(db, SurveyAnswer.created_at),
        updated_at=_start_of_day(db, SurveyAnswer.updated_at),
    ).where(SurveyAnswer.response.in_(responses)).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_column('survey_response', 'held'))
