"""The monthly QA counts the complaints whose resident was told that it led to an improvement (self-assessment item
12): by an improvement action signed off, or by a change made because of it being implemented."""
# Generated from a schema diff on 2026-12-07 10:26.
from peewee import *

from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    migrator.migrate(migrator.add_column('qa_report', 'complainants_told', IntegerField(default=0)))
    install_triggers(db)


def down(migrator, db):
    remove_triggers(db)  # the report's trigger is rebuilt without the column dropped here
    migrator.migrate(migrator.drop_column('qa_report', 'complainants_told'))
    install_triggers(db)
