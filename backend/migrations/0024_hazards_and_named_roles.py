"""Hazards and the named complaints roles.

Hazards (damp and mould, disrepair, gas or electrical safety, serious harm) get their own clocks under the Hazards
in Social Housing (Prescribed Requirements) (England) Regulations 2025, apart from any complaint's. Staff confirm
or dismiss what keywords in the resident's own words suggest; the keywords are data an admin edits, seeded here in
English and Welsh. The complaints officer, the senior lead and the Member Responsible for Complaints are
designations of a person from one date to another (Code 4.1, 9.4-9.7).
"""

import datetime

from peewee import *

from backend.updated_at import install_triggers

# Words that suggest a hazard, by language and kind. Each matches the start of a word, in any case; staff confirm
# every suggestion. Welsh words are given with their common mutations (lleithder, leithder; trydan, drydan).
KEYWORDS = {
    ("en", "damp_mould"): ("damp", "mould", "mold", "mildew", "condensation", "black spots", "fungus", "fungal"),
    ("en", "disrepair"): ("leak", "collapse", "crumbling", "rotten", "subsidence", "flooding", "falling down"),
    ("en", "gas_electrical"): (
        "gas",
        "carbon monoxide",
        "spark",
        "exposed wire",
        "electric shock",
        "burning smell",
        "fuse box",
    ),
    ("en", "serious_harm"): ("injur", "hurt", "unsafe", "dangerous", "hospital", "asthma", "fire", "smoke"),
    ("cy", "damp_mould"): ("lleithder", "leithder", "llaith", "tamprwydd", "llwydni", "lwydni", "anwedd", "ffwng"),
    ("cy", "disrepair"): ("gollwng", "dymchwel", "pydredd", "llifogydd", "wedi torri"),
    ("cy", "gas_electrical"): ("nwy", "carbon monocsid", "gwifrau", "gwreichion", "sioc drydan", "trydan", "drydan"),
    ("cy", "serious_harm"): ("anaf", "wedi brifo", "peryglus", "perygl", "berygl", "ysbyty", "asthma", "tân", "mwg"),
}


def up(migrator, db):
    class Complaint(Model):
        class Meta:
            database = db
            table_name = "complaint"

    class Contact(Model):
        class Meta:
            database = db
            table_name = "contact"

    class User(Model):
        class Meta:
            database = db
            table_name = "account"

    class Hazard(Model):
        contact = ForeignKeyField(Contact, on_delete="CASCADE")
        complaint = ForeignKeyField(Complaint, null=True, on_delete="SET NULL")
        kind = CharField(index=True, max_length=20)
        severity = CharField(max_length=12)
        status = CharField(index=True, max_length=10, default="open")
        description = TextField(default="")
        keywords = TextField()
        aware_at = DateTimeField()
        flagged_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        flagged_at = DateTimeField()
        escalated_to = ForeignKeyField(User, null=True, on_delete="SET NULL")
        escalated_at = DateTimeField(null=True)
        resident_told_at = DateTimeField(null=True)
        investigation_concluded_at = DateTimeField(null=True)
        findings = TextField(default="")
        summary_sent_at = DateTimeField(null=True)
        work_started_at = DateTimeField(null=True)
        made_safe_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        closure_note = TextField(default="")
        next_due_at = DateTimeField(index=True, null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "hazard"

    db.create_tables([Hazard])

    class HazardClock(Model):
        hazard = ForeignKeyField(Hazard, on_delete="CASCADE")
        kind = CharField(max_length=12)
        status = CharField(max_length=10, default="running")
        started_at = DateTimeField()
        due_at = DateTimeField(index=True)
        met_at = DateTimeField(null=True)
        breached = BooleanField(default=False)
        at_risk_notified_at = DateTimeField(null=True)
        breach_notified_at = DateTimeField(null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "hazard_clock"
            indexes = ((("hazard", "kind"), True),)

    db.create_tables([HazardClock])

    class HazardDismissal(Model):
        contact = ForeignKeyField(Contact, on_delete="CASCADE")
        kind = CharField(max_length=20)
        reason = TextField()
        dismissed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        dismissed_at = DateTimeField()

        class Meta:
            database = db
            table_name = "hazard_dismissal"
            indexes = ((("contact", "kind"), True),)

    db.create_tables([HazardDismissal])

    class HazardKeyword(Model):
        locale = CharField(max_length=10)
        kind = CharField(max_length=20)
        word = CharField(max_length=60)
        archived_at = DateTimeField(null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "hazard_keyword"
            indexes = ((("locale", "word"), True),)

    db.create_tables([HazardKeyword])

    class RoleDesignation(Model):
        role = CharField(index=True, max_length=20)
        person = ForeignKeyField(User, on_delete="CASCADE")
        starts_on = DateField()
        ends_on = DateField(null=True)
        note = TextField(default="")
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "role_designation"

    db.create_tables([RoleDesignation])
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    HazardKeyword.insert_many(
        [
            {"locale": locale, "kind": kind, "word": word, "updated_at": now}
            for (locale, kind), words in KEYWORDS.items()
            for word in words
        ]
    ).execute()
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    migrator.migrate(migrator.drop_table("role_designation"))
    migrator.migrate(migrator.drop_table("hazard_keyword"))
    migrator.migrate(migrator.drop_table("hazard_dismissal"))
    migrator.migrate(migrator.drop_table("hazard_clock"))
    migrator.migrate(migrator.drop_table("hazard"))
    install_triggers(db)  # on PostgreSQL, drops the trigger functions the tables leave behind
