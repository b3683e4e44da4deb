"""Contacts from every channel and the complaint journey; staff teams and managers; the two seeded regimes."""
import json

from peewee import *

HOUSING_OMBUDSMAN = (
    "Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET. "
    "Telephone 0300 111 3000. www.housing-ombudsman.org.uk"
)
SPSO = (
    "Scottish Public Services Ombudsman, Bridgeside House, 99 McDonald Road, Edinburgh, EH7 4NS. "
    "Freephone 0800 377 7330. www.spso.org.uk"
)
# Figures from the Housing Ombudsman's Complaint Handling Code (2024) and the SPSO model procedure.
# They are data: admins change them in the console or through the API when the codes change.
REGIMES = (
    {
        "code": "hoc",
        "name": "Housing Ombudsman Complaint Handling Code",
        "nations": ["england"],
        "is_default": True,
        "ombudsman_name": "Housing Ombudsman",
        "ombudsman_details": HOUSING_OMBUDSMAN,
        "stages": (
            (1, "Stage 1", 5, 10, "acknowledgement", 10),
            (2, "Stage 2", 5, 20, "acknowledgement", 20),
        ),
    },
    {
        "code": "spso",
        "name": "SPSO model complaints handling procedure",
        "nations": ["scotland"],
        "is_default": False,
        "ombudsman_name": "Scottish Public Services Ombudsman",
        "ombudsman_details": SPSO,
        "stages": (
            (1, "Stage 1: frontline response", None, 5, "receipt", 5),
            (2, "Stage 2: investigation", 3, 20, "receipt", 20),
        ),
    },
)


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Home(Model):
        class Meta:
            database = db
            table_name = 'home'

    migrator.migrate(
        migrator.add_column('account', 'team', CharField(max_length=100, null=True)),
        migrator.add_column('account', 'manager_id', ForeignKeyField(User, null=True, on_delete='SET NULL', field=User.id)),
    )

    class Regime(Model):
        code = CharField(unique=True, max_length=30)
        name = CharField(max_length=200)
        nations = TextField()
        is_default = BooleanField(default=False)
        max_stages = IntegerField(default=2)
        counting = CharField(max_length=20, default='next_working_day')
        ombudsman_name = CharField(max_length=200)
        ombudsman_details = TextField()
        archived_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'regime'
    db.create_tables([Regime])

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
            indexes = [(('regime', 'number'), True)]
    db.create_tables([RegimeStage])

    class ClosureDay(Model):
        day = DateField(unique=True)
        name = CharField(max_length=100)
        created_at = DateTimeField()
        archived_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'closure_day'
    db.create_tables([ClosureDay])

    class ServiceArea(Model):
        name = CharField(unique=True, max_length=100)
        archived_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'service_area'
    db.create_tables([ServiceArea])

    class Category(Model):
        name = CharField(unique=True, max_length=100)
        archived_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'category'
    db.create_tables([Category])

    class Contact(Model):
        reference = CharField(unique=True, max_length=20)
        channel = CharField(index=True, max_length=20)
        received_at = DateTimeField(index=True)
        received_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        logged_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        logged_via = CharField(max_length=10, default='portal')
        resident = ForeignKeyField(User, null=True, on_delete='SET NULL')
        home = ForeignKeyField(Home, null=True, on_delete='SET NULL')
        anonymous = BooleanField(default=False)
        locale = CharField(max_length=10, default='en')
        description = TextField()
        description_redacted = TextField()
        wants_to_complain = BooleanField(default=False)
        interpreter_used = BooleanField(default=False)
        interpreter_service = CharField(null=True, max_length=100)
        representative_kind = CharField(null=True, max_length=20)
        representative_user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        representative_consent = BooleanField(default=False)
        representative_consent_method = CharField(null=True, max_length=30)
        adjustments = TextField(default='')
        vulnerabilities = TextField()
        kind = CharField(null=True, index=True, max_length=20)
        kind_reason = TextField(null=True)
        classified_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        classified_at = DateTimeField(null=True)
        complaint_offered_at = DateTimeField(null=True)
        complaint_offered_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        service_area = ForeignKeyField(ServiceArea, null=True, on_delete='SET NULL')
        category = ForeignKeyField(Category, null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=10, default='new')
        related_request = ForeignKeyField('self', null=True, on_delete='SET NULL')
        idempotency_key = CharField(null=True, unique=True, max_length=80)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'contact'
    db.create_tables([Contact])

    class ContactPerson(Model):
        contact = ForeignKeyField(Contact, unique=True, on_delete='CASCADE')
        name = CharField(max_length=120, default='')
        email = CharField(max_length=254, default='')
        phone = CharField(max_length=30, default='')
        address = TextField(default='')
        postcode = CharField(max_length=10, default='')
        representative_name = CharField(max_length=120, default='')
        representative_contact = CharField(max_length=254, default='')
        class Meta:
            database = db
            table_name = 'contact_person'
    db.create_tables([ContactPerson])

    class Complaint(Model):
        reference = CharField(unique=True, max_length=20)
        contact = ForeignKeyField(Contact, unique=True, on_delete='RESTRICT')
        resident = ForeignKeyField(User, null=True, on_delete='SET NULL')
        home = ForeignKeyField(Home, null=True, on_delete='SET NULL')
        nation = CharField(index=True, max_length=20)
        regime = ForeignKeyField(Regime, on_delete='RESTRICT')
        stage = IntegerField(default=1)
        status = CharField(index=True, max_length=12, default='received')
        handler = ForeignKeyField(User, null=True, on_delete='SET NULL')
        team = CharField(null=True, max_length=100)
        service_area = ForeignKeyField(ServiceArea, null=True, on_delete='SET NULL')
        category = ForeignKeyField(Category, null=True, on_delete='SET NULL')
        summary = TextField(null=True)
        outcomes_sought = TextField(null=True)
        mediation_offered_at = DateTimeField(null=True)
        mediation_note = TextField(null=True)
        refusal_ground = CharField(null=True, max_length=30)
        refusal_reasons = TextField(null=True)
        refused_at = DateTimeField(null=True)
        withdrawn_at = DateTimeField(null=True)
        withdrawal_reason = TextField(null=True)
        underlying_cause = TextField(null=True)
        remedial_action = TextField(null=True)
        closed_at = DateTimeField(null=True)
        ombudsman_referred_at = DateTimeField(null=True)
        ombudsman_reference = CharField(null=True, max_length=50)
        ombudsman_determination = CharField(null=True, max_length=30)
        ombudsman_determined_at = DateTimeField(null=True)
        ombudsman_orders = TextField(null=True)
        next_due_on = DateField(null=True, index=True)
        created_at = DateTimeField(index=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'complaint'
            indexes = ((('handler', 'status', 'next_due_on'), False),)
    db.create_tables([Complaint])

    class ComplaintStage(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        number = IntegerField()
        handler = ForeignKeyField(User, null=True, on_delete='SET NULL')
        opened_at = DateTimeField()
        acknowledged_at = DateTimeField(null=True)
        responded_at = DateTimeField(null=True)
        extended_days = IntegerField(default=0)
        extension_reason = TextField(null=True)
        extension_told_on = DateField(null=True)
        extension_ombudsman_details_given = BooleanField(default=False)
        escalation_reason = TextField(null=True)
        class Meta:
            database = db
            table_name = 'complaint_stage'
            indexes = [(('complaint', 'number'), True)]
    db.create_tables([ComplaintStage])

    class ComplaintPoint(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        position = IntegerField()
        text = TextField()
        outcome_sought = TextField(default='')
        stage = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'complaint_point'
    db.create_tables([ComplaintPoint])

    class Clock(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        stage = IntegerField()
        kind = CharField(max_length=12)
        status = CharField(max_length=10, default='running')
        started_on = DateField()
        days = IntegerField(default=0)
        due_on = DateField(index=True)
        original_due_on = DateField()
        met_at = DateTimeField(null=True)
        met_on = DateField(null=True)
        breached = BooleanField(default=False)
        working_days_taken = IntegerField(null=True)
        at_risk_notified_at = DateTimeField(null=True)
        breach_notified_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'clock'
            indexes = [(('complaint', 'stage', 'kind'), True), (('status', 'due_on'), False)]
    db.create_tables([Clock])

    class ComplaintResponse(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        stage = IntegerField()
        reasons = TextField()
        next_steps = TextField()
        issued_at = DateTimeField()
        issued_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'complaint_response'
            indexes = [(('complaint', 'stage'), True)]
    db.create_tables([ComplaintResponse])

    class PointDecision(Model):
        response = ForeignKeyField(ComplaintResponse, on_delete='CASCADE')
        point = ForeignKeyField(ComplaintPoint, on_delete='CASCADE')
        decision = CharField(index=True, max_length=15)
        reasons = TextField(default='')
        class Meta:
            database = db
            table_name = 'point_decision'
    db.create_tables([PointDecision])

    class Remedy(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        response = ForeignKeyField(ComplaintResponse, on_delete='CASCADE')
        kind = CharField(index=True, max_length=25)
        description = TextField()
        amount = DecimalField(null=True, max_digits=10, decimal_places=2)
        due_on = DateField()
        completed_at = DateTimeField(null=True)
        completed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'remedy'
    db.create_tables([Remedy])

    class OutstandingAction(Model):
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        response = ForeignKeyField(ComplaintResponse, on_delete='CASCADE')
        description = TextField()
        owner = ForeignKeyField(User, null=True, on_delete='SET NULL')
        due_on = DateField()
        completed_at = DateTimeField(null=True)
        completed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'outstanding_action'
    db.create_tables([OutstandingAction])

    class CaseMessage(Model):
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        complaint = ForeignKeyField(Complaint, null=True, on_delete='CASCADE')
        direction = CharField(max_length=15)
        kind = CharField(max_length=30)
        body = TextField()
        body_redacted = TextField(default='')
        stage = IntegerField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'case_message'
    db.create_tables([CaseMessage])

    class ContactMerge(Model):
        contact = ForeignKeyField(Contact, unique=True, on_delete='CASCADE')
        complaint = ForeignKeyField(Complaint, on_delete='CASCADE')
        reason = TextField()
        merged_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        merged_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'contact_merge'
    db.create_tables([ContactMerge])

    class Attachment(Model):
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        message = ForeignKeyField(CaseMessage, null=True, on_delete='SET NULL')
        file_name = CharField(max_length=200)
        media_type = CharField(max_length=100)
        family = CharField(max_length=10)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        storage_key = CharField(unique=True, max_length=200)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'attachment'
    db.create_tables([Attachment])

    for regime in REGIMES:
        regime_id = Regime.insert(
            code=regime["code"],
            name=regime["name"],
            nations=json.dumps(regime["nations"]),
            is_default=regime["is_default"],
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


def down(migrator, db):
    for table in ('attachment', 'contact_merge', 'case_message', 'outstanding_action', 'remedy', 'point_decision', 'complaint_response', 'clock', 'complaint_point', 'complaint_stage', 'complaint', 'contact_person', 'contact', 'category', 'service_area', 'closure_day', 'regime_stage', 'regime'):
        migrator.migrate(migrator.drop_table(table))
    migrator.migrate(
        migrator.drop_index('account', 'account_manager_id'),
        migrator.drop_column('account', 'manager_id'),
        migrator.drop_column('account', 'team'),
    )
