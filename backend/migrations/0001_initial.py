"""Create the accounts, audit and outbox tables."""
from peewee import *

def up(migrator, db):
    class Landlord(Model):
        name = CharField(max_length=200)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'landlord'
    db.create_tables([Landlord])

    class Home(Model):
        landlord = ForeignKeyField(Landlord, on_delete='RESTRICT')
        reference = CharField(unique=True, max_length=50)
        address = TextField()
        postcode = CharField(max_length=10)
        nation = CharField(index=True, max_length=20)
        tenure = CharField(index=True, max_length=20)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'home'
    db.create_tables([Home])

    class User(Model):
        email = CharField(unique=True, max_length=254)
        display_name = CharField(max_length=120)
        password_hash = CharField(null=True)
        home = ForeignKeyField(Home, null=True, on_delete='SET NULL')
        locale = CharField(null=True, max_length=10)
        contact_channel = CharField(max_length=20, default='email')
        phone = CharField(null=True, max_length=30)
        accessibility_needs = TextField(default='')
        reasonable_adjustments = TextField(default='')
        email_verified_at = DateTimeField(null=True)
        is_active = BooleanField(default=True)
        is_demo = BooleanField(index=True, default=False)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'account'
    db.create_tables([User])

    class ApiToken(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        name = CharField(max_length=100)
        scope = CharField(max_length=10)
        prefix = CharField(max_length=16)
        token_hash = CharField(unique=True, max_length=64)
        created_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        extra = TextField(null=True)
        class Meta:
            database = db
            table_name = 'api_token'
    db.create_tables([ApiToken])

    class AuditEvent(Model):
        occurred_at = DateTimeField(index=True)
        actor_user_id = IntegerField(index=True, null=True)
        actor_token_id = IntegerField(null=True)
        actor_label = CharField(max_length=200)
        action = CharField(index=True, max_length=80)
        entity_type = CharField(max_length=50)
        entity_id = CharField(max_length=50)
        changes = TextField()
        request_id = CharField(null=True, max_length=64)
        class Meta:
            database = db
            table_name = 'audit_event'
            indexes = ((('entity_type', 'entity_id'), False),)
    db.create_tables([AuditEvent])

    class OutboxEvent(Model):
        name = CharField(index=True, max_length=80)
        payload = TextField()
        created_at = DateTimeField()
        dispatched_at = DateTimeField(index=True, null=True)
        attempts = IntegerField(default=0)
        request_id = CharField(null=True, max_length=64)
        class Meta:
            database = db
            table_name = 'outbox_event'
    db.create_tables([OutboxEvent])

    class Delivery(Model):
        event = ForeignKeyField(OutboxEvent, on_delete='CASCADE')
        idempotency_key = CharField(unique=True, max_length=200)
        channel = CharField(max_length=20)
        recipient_user_id = IntegerField(null=True)
        status = CharField(max_length=20, default='pending')
        attempts = IntegerField(default=0)
        last_error = TextField(null=True)
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'delivery'
    db.create_tables([Delivery])

    class Representation(Model):
        advocate = ForeignKeyField(User, on_delete='CASCADE')
        resident = ForeignKeyField(User, on_delete='CASCADE')
        relationship = CharField(max_length=30, default='advocate')
        consent_method = CharField(max_length=30)
        consent_recorded_at = DateTimeField()
        consent_recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'representation'
            indexes = ((('advocate', 'resident'), False),)
    db.create_tables([Representation])

    class SignInFailure(Model):
        key_hash = CharField(index=True, max_length=64)
        failed_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'sign_in_failure'
    db.create_tables([SignInFailure])

    class UserRole(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=20)
        granted_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user_role'
            indexes = ((('user', 'role'), True),)
    db.create_tables([UserRole])

    class UserSession(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        key_hash = CharField(unique=True, max_length=64)
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        expires_at = DateTimeField()
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'user_session'
    db.create_tables([UserSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_session'))
    migrator.migrate(migrator.drop_table('user_role'))
    migrator.migrate(migrator.drop_table('sign_in_failure'))
    migrator.migrate(migrator.drop_table('representation'))
    migrator.migrate(migrator.drop_table('delivery'))
    migrator.migrate(migrator.drop_table('outbox_event'))
    migrator.migrate(migrator.drop_table('audit_event'))
    migrator.migrate(migrator.drop_table('api_token'))
    migrator.migrate(migrator.drop_table('account'))
    migrator.migrate(migrator.drop_table('home'))
    migrator.migrate(migrator.drop_table('landlord'))
