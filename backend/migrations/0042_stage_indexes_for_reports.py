"""The reports find a year's complaint stages by when they opened (CH01, the annual report's received figures) or
when they were answered (CH02, response times), and a year's responses by when they were issued (remedies,
outcomes): without these indexes each statement reads every complaint of the nation and probes its stage or
response (docs/performance.md: CH01(1) from 86 to 51 ms, CH02(2) from 50 to 21 ms and the annual report's remedies
from 130 to 68 ms of CPU on the bench's dataset).
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('complaint_stage', ('number', 'opened_at'), False))
    migrator.migrate(migrator.add_index('complaint_stage', ('number', 'responded_at'), False))
    migrator.migrate(migrator.add_index('complaint_response', ('issued_at',), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('complaint_response', 'complaint_response_issued_at'))
    migrator.migrate(migrator.drop_index('complaint_stage', 'complaint_stage_number_responded_at'))
    migrator.migrate(migrator.drop_index('complaint_stage', 'complaint_stage_number_opened_at'))
