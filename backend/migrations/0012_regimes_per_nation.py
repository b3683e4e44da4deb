"""A complaints procedure for each nation, the statutory maxima each one allows, exclusion grounds per procedure,
and extensions beyond the cap with a good reason and a manager's authorisation.

Wales gets the Public Services Ombudsman for Wales (PSOW) model concerns and complaints policy and Northern
Ireland the NIPSO model complaints handling procedure. There is no "default" procedure any more: a home in a
nation no procedure covers is refused, never handled under another country's rules. The sources for every
figure are in docs/complaints.md ("Regimes")."""
import json

from peewee import *

PSOW = (
    "Public Services Ombudsman for Wales, 1 Ffordd yr Hen Gae, Pencoed, CF35 5LJ. "
    "Telephone 0300 790 0203. www.ombudsman.wales"
)
NIPSO = (
    "Northern Ireland Public Services Ombudsman, Progressive House, 33 Wellington Place, Belfast, BT1 6HN. "
    "Freephone 0800 34 34 24. www.nipso.org.uk"
)
# Stages: (number, name, acknowledge days, respond days, respond from, extension days).
NEW_REGIMES = (
    {
        "code": "psow",
        "name": "Public Services Ombudsman for Wales model concerns and complaints policy",
        "nations": ["wales"],
        "ombudsman_name": "Public Services Ombudsman for Wales",
        "ombudsman_details": PSOW,
        "stages": (
            (1, "Stage 1: informal resolution", None, 10, "receipt", 0),
            (2, "Stage 2: formal investigation", 5, 20, "receipt", 0),
        ),
    },
    {
        "code": "nipso",
        "name": "NIPSO model complaints handling procedure",
        "nations": ["northern_ireland"],
        "ombudsman_name": "Northern Ireland Public Services Ombudsman",
        "ombudsman_details": NIPSO,
        "stages": (
            (1, "Stage 1: frontline response", None, 5, "receipt", 5),
            (2, "Stage 2: investigation", 3, 20, "receipt", 0),
        ),
    },
)
# What the law or the ombudsman's model allows; admins can shorten a timescale but never go beyond these.
# Per stage: (acknowledge max or None, acknowledgement required, respond max, respond from, extension cap,
# every extension needs a manager's authorisation).
LIMITS = {
    "hoc": {1: (5, True, 10, "acknowledgement", 10, False), 2: (5, True, 20, "acknowledgement", 20, False)},
    "spso": {1: (None, False, 5, "receipt", 5, True), 2: (3, True, 20, "receipt", 0, True)},
    "psow": {1: (None, False, 10, "receipt", 0, False), 2: (5, True, 20, "receipt", 0, False)},
    "nipso": {1: (None, False, 5, "receipt", 5, True), 2: (3, True, 20, "receipt", 0, True)},
}
GROUNDS = {
    "hoc": ["over_twelve_months", "legal_proceedings", "already_considered"],
    "spso": ["over_six_months", "legal_proceedings", "already_considered"],
    "psow": ["over_six_months", "legal_proceedings", "already_considered"],
    "nipso": ["over_six_months", "legal_proceedings", "already_considered"],
}
STAGES = {"hoc": 2, "spso": 2, "psow": 2, "nipso": 2}


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Regime(Model):
        code = CharField(unique=True, max_length=30)
        name = CharField(max_length=200)
        nations = TextField()
        max_stages = IntegerField(default=2)
        counting = CharField(max_length=20, default='next_working_day')
        ombudsman_name = CharField(max_length=200)
        ombudsman_details = TextField()
        archived_at = DateTimeField(null=True)
        statutory_stages = IntegerField(default=2)
        refusal_grounds = TextField(default='[]')
        class Meta:
            database = db
            table_name = 'regime'

    class RegimeStage(Model):
        regime = ForeignKeyField(Regime, on_delete='CASCADE')
        number = IntegerField()
        name = CharField(max_length=100)
        acknowledge_days = IntegerField(null=True)
        respond_days = IntegerField()
        respond_from = CharField(max_length=20, default='acknowledgement')
        max_extension_days = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'regime_stage'

    class RegimeLimit(Model):
        regime = ForeignKeyField(Regime, on_delete='CASCADE')
        number = IntegerField()
        acknowledge_max = IntegerField(null=True)
        acknowledge_required = BooleanField(default=False)
        respond_max = IntegerField()
        respond_from = CharField(max_length=20)
        extension_max = IntegerField(default=0)
        extension_needs_manager = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'regime_limit'
            indexes = [(('regime', 'number'), True)]

    migrator.migrate(
        migrator.drop_column('regime', 'is_default'),
        migrator.add_column('regime', 'statutory_stages', IntegerField(default=2)),
        migrator.add_column('regime', 'refusal_grounds', TextField(default='[]')),
        migrator.add_column('complaint_stage', 'extension_good_reason', TextField(null=True)),
        migrator.add_column(
            'complaint_stage',
            'extension_authorised_by_id',
            ForeignKeyField(User, null=True, on_delete='SET NULL', field=User.id),
        ),
        migrator.add_column('complaint_stage', 'extension_authorised_at', DateTimeField(null=True)),
    )
    db.create_tables([RegimeLimit])

    for regime in NEW_REGIMES:
        if Regime.select().where(Regime.code == regime["code"]).exists():
            continue
        regime_id = Regime.insert(
            code=regime["code"],
            name=regime["name"],
            nations=json.dumps(regime["nations"]),
            max_stages=len(regime["stages"]),
            counting="next_working_day",
            ombudsman_name=regime["ombudsman_name"],
            ombudsman_details=regime["ombudsman_details"],
        ).execute()
        for number, name, acknowledge, respond, respond_from, extension in regime["stages"]:
            RegimeStage.insert(
                regime=regime_id,
                number=number,
                name=name,
                acknowledge_days=acknowledge,
                respond_days=respond,
                respond_from=respond_from,
                max_extension_days=extension,
            ).execute()
    for code, stages in LIMITS.items():
        regime = Regime.get_or_none(Regime.code == code)
        if regime is None:
            continue
        Regime.update(statutory_stages=STAGES[code], refusal_grounds=json.dumps(GROUNDS[code])).where(
            Regime.id == regime.id
        ).execute()
        for number, (ack_max, ack_required, respond_max, respond_from, extension_max, manager) in stages.items():
            RegimeLimit.insert(
                regime=regime.id,
                number=number,
                acknowledge_max=ack_max,
                acknowledge_required=ack_required,
                respond_max=respond_max,
                respond_from=respond_from,
                extension_max=extension_max,
                extension_needs_manager=manager,
            ).execute()
            # Settings made before the maxima existed are brought back within them.
            stage = RegimeStage.get_or_none(RegimeStage.regime == regime.id, RegimeStage.number == number)
            if stage is None:
                continue
            acknowledge = stage.acknowledge_days
            if ack_required and acknowledge is None:
                acknowledge = ack_max
            if acknowledge is not None and ack_max is not None:
                acknowledge = min(acknowledge, ack_max)
            RegimeStage.update(
                acknowledge_days=acknowledge,
                respond_days=min(stage.respond_days, respond_max),
                respond_from=respond_from if respond_from == "receipt" else stage.respond_from,
                max_extension_days=min(stage.max_extension_days, extension_max),
            ).where(RegimeStage.id == stage.id).execute()
        Regime.update(max_stages=STAGES[code]).where(Regime.id == regime.id, Regime.max_stages < STAGES[code]).execute()


def down(migrator, db):
    class Regime(Model):
        code = CharField(unique=True, max_length=30)
        class Meta:
            database = db
            table_name = 'regime'

    class RegimeStage(Model):
        regime = ForeignKeyField(Regime, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'regime_stage'

    class Complaint(Model):
        regime = ForeignKeyField(Regime, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'complaint'

    migrator.migrate(migrator.drop_table('regime_limit'))
    # The Welsh and Northern Irish procedures go only if no complaint was handled under them.
    for regime in NEW_REGIMES:
        row = Regime.get_or_none(Regime.code == regime["code"])
        if row is not None and not Complaint.select().where(Complaint.regime == row.id).exists():
            RegimeStage.delete().where(RegimeStage.regime == row.id).execute()
            Regime.delete().where(Regime.id == row.id).execute()
    migrator.migrate(
        migrator.drop_index('complaint_stage', 'complaint_stage_extension_authorised_by_id'),
        migrator.drop_column('complaint_stage', 'extension_authorised_at'),
        migrator.drop_column('complaint_stage', 'extension_authorised_by_id'),
        migrator.drop_column('complaint_stage', 'extension_good_reason'),
        migrator.drop_column('regime', 'refusal_grounds'),
        migrator.drop_column('regime', 'statutory_stages'),
        migrator.add_column('regime', 'is_default', BooleanField(default=False)),
    )

    class RegimeWithDefault(Regime):
        is_default = BooleanField(default=False)
        class Meta:
            table_name = 'regime'

    RegimeWithDefault.update(is_default=True).where(RegimeWithDefault.code == 'hoc').execute()
