"""The Regulator of Social Housing's tenant perception measures (TP01 to TP12) from the perception survey.

- ``survey_question.tsm_code``: the measure a question asks (or ``TP09_FILTER``, the "made a complaint in the last
  12 months" filter), so that imports and the calculation no longer depend on a question's position. Unique within a
  survey; null for every other question.
- ``survey_response.tenure``, ``weight`` and ``answered_on``: what the import of a survey run elsewhere records, so
  that the measures are split into low-cost rental and low-cost home ownership, weighted, and counted in the period
  of their fieldwork. Existing responses have no tenure, weigh 1 and are dated by when they were submitted.
- ``tsm_survey_method``: the method statement per survey and regulator's year.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    # SQLite rebuilds a table to add a NOT NULL column, which its triggers would not survive: they come back below.
    remove_triggers(db)
    class Survey(Model):
        class Meta:
            database = db
            table_name = 'survey'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class TsmSurveyMethod(Model):
        survey = ForeignKeyField(Survey, on_delete='CASCADE')
        year = IntegerField()
        method = CharField(max_length=20)
        sample_size = IntegerField()
        population = IntegerField()
        weighting = TextField(default='')
        fieldwork_start = DateField()
        fieldwork_end = DateField()
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'tsm_survey_method'
            indexes = ((('survey', 'year'), True),)
    db.create_tables([TsmSurveyMethod])

    migrator.migrate(migrator.add_column('survey_question', 'tsm_code', CharField(null=True, max_length=12)))
    migrator.migrate(migrator.add_column('survey_response', 'tenure', CharField(null=True, max_length=20)))
    migrator.migrate(migrator.add_column('survey_response', 'weight', FloatField(default=1.0)))
    migrator.migrate(migrator.add_column('survey_response', 'answered_on', DateField(null=True)))
    migrator.migrate(migrator.add_index('survey_question', ('survey_id', 'tsm_code'), unique=True))
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)
    migrator.migrate(migrator.drop_index('survey_question', 'survey_question_survey_id_tsm_code'))
    migrator.migrate(migrator.drop_column('survey_response', 'answered_on'))
    migrator.migrate(migrator.drop_column('survey_response', 'weight'))
    migrator.migrate(migrator.drop_column('survey_response', 'tenure'))
    migrator.migrate(migrator.drop_column('survey_question', 'tsm_code'))
    migrator.migrate(migrator.drop_table('tsm_survey_method'))
    install_triggers(db)
