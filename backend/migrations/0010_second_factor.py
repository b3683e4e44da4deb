"""Second factors (authenticator apps and recovery codes), site security settings, phone
verification, and the nonce that makes emailed sign-in links single-use.

Numbers typed in before this migration are not verified: their owners confirm them with a code
(messages meanwhile go by their next channel)."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class SecondFactor(Model):
        user = ForeignKeyField(User, unique=True, on_delete='CASCADE')
        secret = CharField(max_length=255)
        created_at = DateTimeField()
        confirmed_at = DateTimeField(null=True)
        last_used_step = BigIntegerField(null=True)
        class Meta:
            database = db
            table_name = 'second_factor'

    class RecoveryCode(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        code_hash = CharField(unique=True, max_length=64)
        created_at = DateTimeField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'recovery_code'

    class SecuritySetting(Model):
        key = CharField(unique=True, max_length=80)
        value = TextField()
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'security_setting'

    class PhoneVerification(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        phone = CharField(max_length=30)
        secret = CharField(max_length=64)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        attempts = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'phone_verification'

    db.create_tables([SecondFactor, RecoveryCode, SecuritySetting, PhoneVerification])
    migrator.migrate(migrator.add_column('account', 'phone_verified_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('account', 'sign_in_nonce', CharField(max_length=32, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('account', 'sign_in_nonce'))
    migrator.migrate(migrator.drop_column('account', 'phone_verified_at'))
    for table in ('phone_verification', 'security_setting', 'recovery_code', 'second_factor'):
        migrator.migrate(migrator.drop_table(table))
