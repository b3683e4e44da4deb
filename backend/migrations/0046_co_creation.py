"""Resident co-creation: public themes (a theme's publication, example quotes, residents' suggestions), priority
rounds and votes, "you said, we did" changes with their links, milestones, updates, followers and impact asks,
comments with reports and moderation, quarterly digests and the landlord's own pages."""
# Generated from a schema diff on 2026-12-07 10:13.
from peewee import *
from backend import db as learnloop_fields
from backend.updated_at import install_triggers, remove_triggers


def up(migrator, db):
    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class Home(Model):
        class Meta:
            database = db
            table_name = 'home'

    class ImprovementAction(Model):
        class Meta:
            database = db
            table_name = 'improvement_action'

    class Lesson(Model):
        class Meta:
            database = db
            table_name = 'lesson'

    class ServiceArea(Model):
        class Meta:
            database = db
            table_name = 'service_area'

    class SuccessStory(Model):
        class Meta:
            database = db
            table_name = 'success_story'

    class SurveyInvitation(Model):
        class Meta:
            database = db
            table_name = 'survey_invitation'

    class Theme(Model):
        class Meta:
            database = db
            table_name = 'theme'

    class User(Model):
        class Meta:
            database = db
            table_name = 'account'

    class Change(Model):
        reference = CharField(unique=True, max_length=20)
        title = learnloop_fields.JSONField()
        what = learnloop_fields.JSONField(default=dict)
        why = learnloop_fields.JSONField(default=dict)
        easy_read = learnloop_fields.JSONField(default=dict)
        service_area = ForeignKeyField(ServiceArea, null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=20, default='planned')
        percent = IntegerField(default=0)
        changed_on = DateField(null=True)
        implemented_at = DateTimeField(index=True, null=True)
        confirmed_at = DateTimeField(null=True)
        published_at = DateTimeField(index=True, null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        impact_yes = IntegerField(default=0)
        impact_partly = IntegerField(default=0)
        impact_no = IntegerField(default=0)
        impact_dont_know = IntegerField(default=0)
        not_fixed_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change'
    db.create_tables([Change])

    class ChangeAction(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        action = ForeignKeyField(ImprovementAction, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'change_action'
            indexes = ((('change', 'action'), True),)
    db.create_tables([ChangeAction])

    class ChangeComment(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        official = BooleanField(default=False)
        locale = CharField(max_length=10, default='en')
        body = TextField()
        body_public = TextField(default='')
        status = CharField(index=True, max_length=20, default='held')
        held_reason = CharField(max_length=30, default='')
        reports = IntegerField(default=0)
        contact = ForeignKeyField(Contact, null=True, on_delete='SET NULL')
        complaint_offered_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change_comment'
            indexes = ((('change', 'status', 'created_at'), False),)
    db.create_tables([ChangeComment])

    class ChangeContact(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        contact = ForeignKeyField(Contact, on_delete='CASCADE')
        linked_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        linked_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change_contact'
            indexes = ((('change', 'contact'), True),)
    db.create_tables([ChangeContact])

    class ChangeFollow(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        following = BooleanField(default=True)
        source = CharField(max_length=20, default='pressed')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change_follow'
            indexes = ((('change', 'user'), True),)
    db.create_tables([ChangeFollow])

    class ChangeLesson(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        lesson = ForeignKeyField(Lesson, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'change_lesson'
            indexes = ((('change', 'lesson'), True),)
    db.create_tables([ChangeLesson])

    class ChangeMilestone(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        title = learnloop_fields.JSONField()
        due_on = DateField(null=True)
        done_on = DateField(null=True)
        position = IntegerField(default=0)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change_milestone'
    db.create_tables([ChangeMilestone])

    class ChangeUpdate(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        kind = CharField(max_length=20)
        status = CharField(max_length=20)
        percent = IntegerField(default=0)
        milestone = ForeignKeyField(ChangeMilestone, null=True, on_delete='SET NULL')
        note = learnloop_fields.JSONField(default=dict)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change_update'
    db.create_tables([ChangeUpdate])

    class ChangeNotice(Model):
        change_update = ForeignKeyField(ChangeUpdate, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField(max_length=20, default='progress')
        contact = ForeignKeyField(Contact, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'change_notice'
            indexes = ((('change_update', 'user', 'kind'), True),)
    db.create_tables([ChangeNotice])

    class ChangeReferenceCounter(Model):
        year = IntegerField(primary_key=True)
        last = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'change_reference_counter'
    db.create_tables([ChangeReferenceCounter])

    class ChangeTheme(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'change_theme'
            indexes = ((('change', 'theme'), True),)
    db.create_tables([ChangeTheme])

    class CommentReport(Model):
        comment = ForeignKeyField(ChangeComment, on_delete='CASCADE')
        reporter = ForeignKeyField(User, on_delete='CASCADE')
        reason = CharField(max_length=200, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'comment_report'
            indexes = ((('comment', 'reporter'), True),)
    db.create_tables([CommentReport])

    class Digest(Model):
        year = IntegerField()
        quarter = IntegerField()
        introduction = learnloop_fields.JSONField(default=dict)
        content = learnloop_fields.JSONField(default=dict)
        status = CharField(index=True, max_length=20, default='draft')
        drafted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        published_at = DateTimeField(index=True, null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'digest'
            indexes = ((('year', 'quarter'), True),)
    db.create_tables([Digest])

    class DigestStory(Model):
        digest = ForeignKeyField(Digest, on_delete='CASCADE')
        story = ForeignKeyField(SuccessStory, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'digest_story'
            indexes = ((('digest', 'story'), True),)
    db.create_tables([DigestStory])

    class ImpactAsk(Model):
        change = ForeignKeyField(Change, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        invitation = ForeignKeyField(SurveyInvitation, unique=True, null=True, on_delete='SET NULL')
        answer = CharField(null=True, max_length=20)
        skipped = BooleanField(default=False)
        created_at = DateTimeField()
        answered_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'impact_ask'
            indexes = ((('change', 'user'), True),)
    db.create_tables([ImpactAsk])

    class LandlordPage(Model):
        kind = CharField(max_length=30)
        locale = CharField(max_length=10, default='en')
        title = CharField(max_length=200)
        body = TextField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'landlord_page'
            indexes = ((('kind', 'locale'), True),)
    db.create_tables([LandlordPage])

    class ThemeSuggestion(Model):
        author = ForeignKeyField(User, on_delete='CASCADE')
        locale = CharField(max_length=10, default='en')
        title = CharField(max_length=100)
        description = TextField(default='')
        status = CharField(index=True, max_length=20, default='pending')
        theme = ForeignKeyField(Theme, null=True, on_delete='SET NULL')
        moderated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        moderated_at = DateTimeField(null=True)
        reason = TextField(default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'theme_suggestion'
    db.create_tables([ThemeSuggestion])

    class ModerationAction(Model):
        comment = ForeignKeyField(ChangeComment, null=True, on_delete='CASCADE')
        suggestion = ForeignKeyField(ThemeSuggestion, null=True, on_delete='CASCADE')
        action = CharField(max_length=30)
        reason = TextField()
        moderator = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'moderation_action'
    db.create_tables([ModerationAction])

    class PriorityRound(Model):
        title = learnloop_fields.JSONField()
        description = learnloop_fields.JSONField(default=dict)
        opens_at = DateTimeField(index=True)
        closes_at = DateTimeField(index=True)
        budget = IntegerField(default=3)
        max_per_theme = IntegerField(default=1)
        budget_unit = CharField(max_length=10, default='resident')
        tenures = learnloop_fields.JSONField(default=list)
        nations = learnloop_fields.JSONField(default=list)
        areas = learnloop_fields.JSONField(default=list)
        status = CharField(index=True, max_length=20, default='draft')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        published_at = DateTimeField(null=True)
        counted_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'priority_round'
    db.create_tables([PriorityRound])

    class RevoteRequest(Model):
        round = ForeignKeyField(PriorityRound, on_delete='CASCADE')
        voter = ForeignKeyField(User, on_delete='CASCADE')
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        merged_into = ForeignKeyField(Theme, on_delete='CASCADE')
        dots = IntegerField(default=1)
        created_at = DateTimeField()
        answered_at = DateTimeField(null=True)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'revote_request'
    db.create_tables([RevoteRequest])

    class RoundTheme(Model):
        round = ForeignKeyField(PriorityRound, on_delete='CASCADE')
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        position = IntegerField(default=0)
        votes = IntegerField(default=0)
        voters = IntegerField(default=0)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'round_theme'
            indexes = ((('round', 'theme'), True),)
    db.create_tables([RoundTheme])

    class ThemeQuote(Model):
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        locale = CharField(max_length=10)
        text = TextField()
        contact = ForeignKeyField(Contact, null=True, on_delete='SET NULL')
        status = CharField(index=True, max_length=20, default='proposed')
        proposed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        approved_at = DateTimeField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'theme_quote'
    db.create_tables([ThemeQuote])

    class Vote(Model):
        round = ForeignKeyField(PriorityRound, on_delete='CASCADE')
        theme = ForeignKeyField(Theme, on_delete='CASCADE')
        voter = ForeignKeyField(User, on_delete='CASCADE')
        home = ForeignKeyField(Home, null=True, on_delete='SET NULL')
        dots = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'vote'
            indexes = ((('round', 'theme', 'voter'), True), (('round', 'voter'), False), (('round', 'home'), False))
    db.create_tables([Vote])

    migrator.migrate(migrator.add_column('theme', 'published_at', DateTimeField(null=True)))
    install_triggers(db)  # the new tables' updated_at triggers, with every other table's


def down(migrator, db):
    remove_triggers(db)  # the theme's trigger names the column dropped here
    migrator.migrate(migrator.drop_column('theme', 'published_at'))
    migrator.migrate(migrator.drop_table('vote'))
    migrator.migrate(migrator.drop_table('theme_quote'))
    migrator.migrate(migrator.drop_table('round_theme'))
    migrator.migrate(migrator.drop_table('revote_request'))
    migrator.migrate(migrator.drop_table('priority_round'))
    migrator.migrate(migrator.drop_table('moderation_action'))
    migrator.migrate(migrator.drop_table('theme_suggestion'))
    migrator.migrate(migrator.drop_table('landlord_page'))
    migrator.migrate(migrator.drop_table('impact_ask'))
    migrator.migrate(migrator.drop_table('digest_story'))
    migrator.migrate(migrator.drop_table('digest'))
    migrator.migrate(migrator.drop_table('comment_report'))
    migrator.migrate(migrator.drop_table('change_theme'))
    migrator.migrate(migrator.drop_table('change_reference_counter'))
    migrator.migrate(migrator.drop_table('change_notice'))
    migrator.migrate(migrator.drop_table('change_update'))
    migrator.migrate(migrator.drop_table('change_milestone'))
    migrator.migrate(migrator.drop_table('change_lesson'))
    migrator.migrate(migrator.drop_table('change_follow'))
    migrator.migrate(migrator.drop_table('change_contact'))
    migrator.migrate(migrator.drop_table('change_comment'))
    migrator.migrate(migrator.drop_table('change_action'))
    migrator.migrate(migrator.drop_table('change'))
    install_triggers(db)
