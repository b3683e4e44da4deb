"""What the regulators' reports count against.

- ``uk_day``: one row a UK day from 2000 to 2060 with the moment it starts and each nation's running count of
  working days (weekends and the nation's bank holidays are not), so reports count working days in SQL
  (``backend.reports.calendar``).
- ``statutory_timescale``: each stage's response timescale as the procedures set it, from the date each edition
  came into force. The Housing Ombudsman's Code of 2022 timed stage 1 from the complaint being logged and stage 2
  from the escalation request, with extensions of up to 10 working days; the 2024 Code, in force for complaints
  received from 1 April 2024, times both from the acknowledgement, with extensions of up to 10 and 20 working days
  without good reason. The SPSO's model procedure times both stages from receipt (5 and 20 working days; the
  SPSO allows up to 5 more at stage 1; any extension at stage 2 is exceptional and authorised); the Welsh and
  Northern Irish model procedures likewise, as the regimes' statutory limits say (migration 0012).
- ``stock_count``: the relevant homes at each year's end by nation and tenure, the denominator per 1,000 homes.
"""

import datetime as dt

from peewee import *

from backend.reports import calendar
from backend.updated_at import install_triggers

TIMESCALES = [
    # regime, stage, in force from, days, starts from, extension cap, source
    ("hoc", 1, dt.date(2000, 1, 1), 10, "acknowledgement", 10,
     "Housing Ombudsman Complaint Handling Code (2022), stage 1: 10 working days from the complaint being logged; "
     "an extension of no more than a further 10 working days without good reason."),
    ("hoc", 2, dt.date(2000, 1, 1), 20, "receipt", 10,
     "Housing Ombudsman Complaint Handling Code (2022), stage 2: 20 working days from the request to escalate; "
     "an extension of no more than a further 10 working days without good reason."),
    ("hoc", 1, dt.date(2024, 4, 1), 10, "acknowledgement", 10,
     "Housing Ombudsman Complaint Handling Code (2024), 6.3 and 6.5: 10 working days from the acknowledgement; "
     "an extension of no more than 10 working days without good reason."),
    ("hoc", 2, dt.date(2024, 4, 1), 20, "acknowledgement", 20,
     "Housing Ombudsman Complaint Handling Code (2024), 6.14 and 6.16: 20 working days from the acknowledgement "
     "of the escalation request; an extension of no more than 20 working days without good reason."),
    ("spso", 1, dt.date(2000, 1, 1), 5, "receipt", 5,
     "SPSO model complaints handling procedure, stage 1 (frontline response): 5 working days from receipt; "
     "an extension of no more than 5 further working days, exceptionally and authorised."),
    ("spso", 2, dt.date(2000, 1, 1), 20, "receipt", 0,
     "SPSO model complaints handling procedure, stage 2 (investigation): 20 working days from receipt or the "
     "escalation request; any longer period only exceptionally, authorised by a senior manager."),
    ("psow", 1, dt.date(2000, 1, 1), 10, "receipt", 0,
     "Public Services Ombudsman for Wales model concerns and complaints policy, stage 1 (informal resolution): "
     "10 working days from receipt."),
    ("psow", 2, dt.date(2000, 1, 1), 20, "receipt", 0,
     "Public Services Ombudsman for Wales model concerns and complaints policy, stage 2 (formal investigation): "
     "20 working days from receipt."),
    ("nipso", 1, dt.date(2000, 1, 1), 5, "receipt", 5,
     "NIPSO model complaints handling procedure, stage 1 (frontline response): 5 working days from receipt; "
     "an extension of no more than 5 further working days."),
    ("nipso", 2, dt.date(2000, 1, 1), 20, "receipt", 0,
     "NIPSO model complaints handling procedure, stage 2 (investigation): 20 working days from receipt or the "
     "escalation request."),
]


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class UkDay(Model):
        day = DateField(primary_key=True)
        starts_at = DateTimeField(unique=True)
        england = IntegerField()
        wales = IntegerField()
        scotland = IntegerField()
        northern_ireland = IntegerField()

        class Meta:
            database = db
            table_name = 'uk_day'

    class StatutoryTimescale(Model):
        id = AutoField()
        regime = CharField(max_length=30)
        stage = IntegerField()
        in_force_from = DateField()
        respond_days = IntegerField()
        starts_from = CharField(max_length=20)
        extension_cap = IntegerField()
        source = TextField()

        class Meta:
            database = db
            table_name = 'statutory_timescale'
            indexes = ((('regime', 'stage', 'in_force_from'), True),)

    class StockCount(Model):
        id = AutoField()
        year = IntegerField()
        nation = CharField(max_length=20)
        tenure = CharField(max_length=20)
        homes = IntegerField()
        source = TextField()
        entered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        entered_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'stock_count'
            indexes = ((('year', 'nation', 'tenure'), True),)

    db.create_tables([UkDay, StatutoryTimescale, StockCount])
    calendar.fill(UkDay)
    StatutoryTimescale.insert_many(
        TIMESCALES,
        fields=[StatutoryTimescale.regime, StatutoryTimescale.stage, StatutoryTimescale.in_force_from,
                StatutoryTimescale.respond_days, StatutoryTimescale.starts_from, StatutoryTimescale.extension_cap,
                StatutoryTimescale.source],
    ).execute()
    install_triggers(db)


def down(migrator, db):
    # Dropping the table drops its triggers on SQLite; PostgreSQL's trigger functions go with install_triggers.
    db.execute_sql('DROP TABLE "stock_count"')
    db.execute_sql('DROP TABLE "statutory_timescale"')
    db.execute_sql('DROP TABLE "uk_day"')
    install_triggers(db)
