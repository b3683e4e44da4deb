"""The impact survey and the per-person survey cap.

- ``survey.system``: which survey the system itself sends (``impact``: did a change make a difference?), unique; null
  for the surveys staff build. An invitation's status may now also be ``skipped`` (not sent: the person was asked to
  answer a survey too recently), which needs no column.
"""
from peewee import *

from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    migrator.migrate(migrator.add_column('survey', 'system', CharField(null=True, max_length=20, unique=True)))
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)
    migrator.migrate(migrator.drop_index('survey', 'survey_system'))
    migrator.migrate(migrator.drop_column('survey', 'system'))
    install_triggers(db)
