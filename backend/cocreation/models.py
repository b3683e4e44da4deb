"""Resident co-creation: residents vote on themes, follow the changes made because of them ("you said, we did"),
say whether a change made a difference, and comment on its impact; the landlord publishes it all.

- **Priority rounds** put published themes to a vote: open and close times, a vote budget (dots to spread, or one
  vote per theme), who may vote (by tenure, nation or area) and whether the budget is per home or per resident.
  Votes change until the round closes; the count is public once it has.
- **Changes** are the "you said, we did" records: what changed, why and when, in each language, with an easy-read
  summary, their themes, lessons, actions and (counted, never shown) contacts, a status, a percentage and dated
  milestones. Followers hear of every move; complainants whose complaint is linked are told personally.
- **Impact**: some weeks after a change is implemented, the residents it affected are asked whether it made a
  difference; the answers are counted on the change ("confirmed by residents").
- **Comments** on a change, one level deep, moderated, with reports from anyone.
- **Digests** (the quarterly "you said, we did") and the landlord's own **pages** are published after approval.

Nothing here that is published names a person: published text is written by staff for the public, and residents'
words (quotes, comments) are published only after redaction and moderation.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from backend.accounts.models import Home, User
from backend.changes import Changing, WrittenOnce
from backend.complaints.models import Contact, ServiceArea
from backend.db import BaseModel, JSONField
from backend.lessons.models import ImprovementAction, Lesson, SuccessStory, Theme
from backend.surveys.models import SurveyInvitation
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary

# --- Public themes -------------------------------------------------------------------------------------------------


class QuoteStatus(Vocabulary):
    """Where an example quote of a theme stands."""

    PROPOSED = "proposed", "Proposed by staff: not yet public."
    APPROVED = "approved", "Approved: shown on the theme's public page."
    WITHDRAWN = "withdrawn", "Withdrawn: no longer shown."


class ThemeQuote(BaseModel):
    """An anonymised example of what residents said about a theme, in one language, approved before it is shown.

    The text is redacted as it is saved; the contact it came from is for staff only and is never published.
    """

    id = AutoField()
    theme = ForeignKeyField(Theme, backref="quotes", on_delete="CASCADE", help_text="The theme it illustrates.")
    locale = CharField(max_length=10, help_text="The language it is in, e.g. cy.")
    text = TextField(help_text="The quote, anonymised (up to 500 characters).")
    contact = ForeignKeyField(
        Contact, null=True, on_delete="SET NULL", backref="+", help_text="The contact it came from (staff only)."
    )
    status = CharField(max_length=20, index=True, choices=QuoteStatus, default=QuoteStatus.PROPOSED)
    proposed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who proposed it.")
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who approved it.")
    approved_at = DateTimeField(null=True, help_text="When it was approved. Null: not approved.")
    created_at = DateTimeField(default=utcnow, help_text="When it was proposed.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing(parents=("theme",))


class SuggestionStatus(Vocabulary):
    """Where a resident's suggestion of a new theme stands."""

    PENDING = "pending", "Waiting for a moderator."
    ACCEPTED = "accepted", "Accepted: a new theme was made from it."
    LINKED = "linked", "Linked to a theme that already stands for it."
    DECLINED = "declined", "Declined, with the reason given."


class ThemeSuggestion(BaseModel):
    """A theme a resident suggested, which staff moderate: accept it as a new theme, link it to one, or decline it."""

    id = AutoField()
    author = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="The resident who suggested it.")
    locale = CharField(max_length=10, default="en", help_text="The language it was written in.")
    title = CharField(max_length=100, help_text="What the theme would be called.")
    description = TextField(default="", help_text="Why it matters (up to 2,000 characters).")
    status = CharField(max_length=20, index=True, choices=SuggestionStatus, default=SuggestionStatus.PENDING)
    theme = ForeignKeyField(
        Theme, null=True, on_delete="SET NULL", backref="+", help_text="The theme made from it or linked to it."
    )
    moderated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who moderated it.")
    moderated_at = DateTimeField(null=True, help_text="When it was moderated. Null: pending.")
    reason = TextField(default="", help_text="The moderator's reason, told to the resident.")
    created_at = DateTimeField(default=utcnow, help_text="When it was suggested.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


# --- Priority rounds and votes -------------------------------------------------------------------------------------


class RoundStatus(Vocabulary):
    """Where a priority round stands; whether it is open depends on its dates once it is published."""

    DRAFT = "draft", "Being set up: not public."
    PUBLISHED = "published", "Public: open between its open and close times, its results public once closed."
    CANCELLED = "cancelled", "Withdrawn before it closed: its votes are not counted."


class BudgetUnit(Vocabulary):
    """Whose vote budget a round counts."""

    RESIDENT = "resident", "Each resident has the whole budget."
    HOME = "home", "The residents of one home share the budget."


class PriorityRound(BaseModel):
    """A round of voting on published themes, to say which matter most to residents."""

    id = AutoField()
    title = JSONField(help_text="Its title by language code; English is the fallback.")
    description = JSONField(default=dict, help_text="What it is for, by language code.")
    opens_at = DateTimeField(index=True, help_text="When voting opens.")
    closes_at = DateTimeField(index=True, help_text="When voting closes.")
    budget = IntegerField(default=3, help_text="How many votes each voter (or home) has, from 1 to 20.")
    max_per_theme = IntegerField(
        default=1, help_text="How many of them one theme may take: 1 is one vote per theme; the budget lets dots pile."
    )
    budget_unit = CharField(max_length=10, choices=BudgetUnit, default=BudgetUnit.RESIDENT)
    tenures = JSONField(default=list, help_text="The tenures that may vote; empty: any.")
    nations = JSONField(default=list, help_text="The nations whose homes may vote; empty: any.")
    areas = JSONField(default=list, help_text="The postcode districts (e.g. CF10) whose homes may vote; empty: any.")
    status = CharField(max_length=20, index=True, choices=RoundStatus, default=RoundStatus.DRAFT)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who set it up.")
    published_at = DateTimeField(null=True, help_text="When it was published. Null: a draft.")
    counted_at = DateTimeField(null=True, help_text="When its closed ballot was counted. Null: not yet.")
    created_at = DateTimeField(default=utcnow, help_text="When it was set up.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class RoundTheme(BaseModel):
    """A theme on a round's ballot."""

    id = AutoField()
    round = ForeignKeyField(PriorityRound, backref="ballot", on_delete="CASCADE", help_text="The round.")
    theme = ForeignKeyField(Theme, backref="+", on_delete="CASCADE", help_text="The theme on the ballot.")
    position = IntegerField(default=0, help_text="Its place on the ballot.")
    votes = IntegerField(default=0, help_text="Its votes as last counted (public once the round closes).")
    voters = IntegerField(default=0, help_text="How many people voted for it, as last counted.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("round",))
        indexes = ((("round", "theme"), True),)


class Vote(BaseModel):
    """One voter's votes for one theme in one round (``dots`` of their budget). Only the voter changes it."""

    id = AutoField()
    round = ForeignKeyField(PriorityRound, backref="votes", on_delete="CASCADE", help_text="The round.")
    theme = ForeignKeyField(Theme, backref="+", on_delete="CASCADE", help_text="The theme voted for.")
    voter = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="Who voted.")
    home = ForeignKeyField(
        Home, null=True, on_delete="SET NULL", backref="+", help_text="The voter's home when they voted."
    )
    dots = IntegerField(default=1, help_text="How many of the budget's votes it holds, at least 1.")
    created_at = DateTimeField(default=utcnow, help_text="When it was first cast.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()
        indexes = ((("round", "theme", "voter"), True), (("round", "voter"), False), (("round", "home"), False))


class RevoteRequest(BaseModel):
    """A voter asked to vote again because a theme they voted for was merged into another: votes never move."""

    id = AutoField()
    round = ForeignKeyField(PriorityRound, backref="+", on_delete="CASCADE", help_text="The round.")
    voter = ForeignKeyField(User, backref="+", on_delete="CASCADE", help_text="Who is asked.")
    theme = ForeignKeyField(Theme, backref="+", on_delete="CASCADE", help_text="The theme that was merged away.")
    merged_into = ForeignKeyField(Theme, backref="+", on_delete="CASCADE", help_text="The theme it became part of.")
    dots = IntegerField(default=1, help_text="How many votes they had given it, now free to give again.")
    created_at = DateTimeField(default=utcnow, help_text="When they were asked.")
    answered_at = DateTimeField(null=True, help_text="When they voted again in the round. Null: not yet.")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()


# --- Changes ("you said, we did") ----------------------------------------------------------------------------------


class ChangeStatus(Vocabulary):
    """Where a change is on its way to making a difference."""

    PLANNED = "planned", "Planned."
    IN_PROGRESS = "in_progress", "In progress."
    IMPLEMENTED = "implemented", "Implemented by the landlord."
    CONFIRMED = "confirmed", "Confirmed by residents: enough of those asked said it made a difference."


class Change(BaseModel):
    """A "you said, we did" record: what the landlord changed, why and when, for whom it was done.

    The texts map a language code to words written by staff for the public; English is the fallback. It is public
    once ``published_at`` is set. ``impact_*`` count the answers to its impact survey's first question.
    """

    id = AutoField()
    reference = CharField(max_length=20, unique=True, help_text="Its reference, CH-YYYY-NN, never reused.")
    title = JSONField(help_text="What changed, in a line, by language code.")
    what = JSONField(default=dict, help_text="What changed, in full, by language code.")
    why = JSONField(default=dict, help_text="Why: what residents told the landlord, by language code.")
    easy_read = JSONField(default=dict, help_text="An easy-read summary written by staff, by language code.")
    service_area = ForeignKeyField(
        ServiceArea, null=True, on_delete="SET NULL", backref="+", help_text="The part of the service it changed."
    )
    status = CharField(max_length=20, index=True, choices=ChangeStatus, default=ChangeStatus.PLANNED)
    percent = IntegerField(default=0, help_text="How far along it is, 0 to 100.")
    changed_on = DateField(null=True, help_text="The UK day it took effect (or is planned to). Null: not yet known.")
    implemented_at = DateTimeField(null=True, index=True, help_text="When it was marked implemented.")
    confirmed_at = DateTimeField(null=True, help_text="When residents' answers confirmed it.")
    published_at = DateTimeField(null=True, index=True, help_text="When it was made public. Null: not public.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", help_text="Who recorded it.")
    impact_yes = IntegerField(default=0, help_text="Answers that it made a difference.")
    impact_partly = IntegerField(default=0, help_text="Answers that it partly made a difference.")
    impact_no = IntegerField(default=0, help_text="Answers that it made no difference.")
    impact_dont_know = IntegerField(default=0, help_text="Answers of don't know.")
    not_fixed_at = DateTimeField(
        null=True, help_text="When enough answers said no that its actions were marked not addressed."
    )
    created_at = DateTimeField(default=utcnow, help_text="When it was recorded.")
    updated_at = DateTimeField(default=utcnow, help_text="When it last changed.")

    class Meta:
        changes = Changing()


class ChangeReferenceCounter(BaseModel):
    """The last CH-YYYY-NN number given in each year, so a reference is never reused."""

    year = IntegerField(primary_key=True)
    last = IntegerField(default=0)


class ChangeTheme(BaseModel):
    """A theme a change answers."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="themes", on_delete="CASCADE")
    theme = ForeignKeyField(Theme, backref="changes", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("change",))
        indexes = ((("change", "theme"), True),)


class ChangeLesson(BaseModel):
    """A lesson a change came from."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="lessons", on_delete="CASCADE")
    lesson = ForeignKeyField(Lesson, backref="changes", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("change",))
        indexes = ((("change", "lesson"), True),)


class ChangeAction(BaseModel):
    """An improvement action a change carries out."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="actions", on_delete="CASCADE")
    action = ForeignKeyField(ImprovementAction, backref="changes", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("change",))
        indexes = ((("change", "action"), True),)


class ChangeContact(BaseModel):
    """A contact behind a change (staff only): the public see only how many, by kind."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="contacts", on_delete="CASCADE")
    contact = ForeignKeyField(Contact, backref="+", on_delete="CASCADE")
    linked_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    linked_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("change",), written_at="linked_at")
        indexes = ((("change", "contact"), True),)


class ChangeMilestone(BaseModel):
    """A dated step of a change: planned for a day, and done on one."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="milestones", on_delete="CASCADE")
    title = JSONField(help_text="What the step is, by language code.")
    due_on = DateField(null=True, help_text="The UK day it is planned for.")
    done_on = DateField(null=True, help_text="The UK day it was done. Null: not yet.")
    position = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("change",))


class ChangeUpdate(BaseModel):
    """One move of a published change (its status, its percentage or a milestone), as followers are told of it."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="updates", on_delete="CASCADE")
    kind = CharField(max_length=20, help_text="published, status, percent or milestone.")
    status = CharField(max_length=20, choices=ChangeStatus, help_text="Its status after the move.")
    percent = IntegerField(default=0, help_text="Its percentage after the move.")
    milestone = ForeignKeyField(ChangeMilestone, null=True, on_delete="SET NULL", backref="+")
    note = JSONField(default=dict, help_text="What staff said of the move, by language code.")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("change",), written_at="created_at")


class FollowSource(Vocabulary):
    """Why someone follows a change."""

    PRESSED = "pressed", "They pressed follow."
    CONTACT = "contact", "A contact of theirs is linked to it."
    VOTER = "voter", "They voted for one of its themes."


class ChangeFollow(BaseModel):
    """Whether one person follows a change. Residents whose contacts are linked and voters on its themes follow
    it without a row; a row with ``following`` false is their choice to stop."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="follows", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    following = BooleanField(default=True)
    source = CharField(max_length=20, choices=FollowSource, default=FollowSource.PRESSED)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
        indexes = ((("change", "user"), True),)


class NoticeKind(Vocabulary):
    """What one person was told of a change."""

    PROGRESS = "progress", "A follower told of a move."
    COMPLAINT_HELPED = "complaint_helped", "A complainant told their complaint helped change this (item 12)."


class ChangeNotice(BaseModel):
    """That one person was told of one update of a change, so nobody is told the same thing twice. A complainant's
    "your complaint helped change this" names the contact it was for (the QA report counts them)."""

    id = AutoField()
    change_update = ForeignKeyField(ChangeUpdate, backref="+", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=20, choices=NoticeKind, default=NoticeKind.PROGRESS)
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(written_at="created_at")
        indexes = ((("change_update", "user", "kind"), True),)


class ImpactAsk(BaseModel):
    """One resident asked whether a change made a difference: the survey invitation that asks them."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="+", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    invitation = ForeignKeyField(SurveyInvitation, null=True, unique=True, on_delete="SET NULL", backref="+")
    answer = CharField(max_length=20, null=True, help_text="yes, partly, no or dont_know, once sent.")
    skipped = BooleanField(default=False, help_text="Not asked: they were asked to answer a survey too recently.")
    created_at = DateTimeField(default=utcnow)
    answered_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
        indexes = ((("change", "user"), True),)


# --- Comments ------------------------------------------------------------------------------------------------------


class ChangeCommentStatus(Vocabulary):
    """Where a comment on a change stands."""

    HELD = "held", "Held for a moderator: it may hold personal data, or it was reported."
    PUBLISHED = "published", "Public."
    HIDDEN = "hidden", "Hidden for review after reports."
    REMOVED = "removed", "Removed by a moderator, with the reason recorded."


class ChangeComment(BaseModel):
    """What a resident says a change meant for them, or a staff reply (one level deep)."""

    id = AutoField()
    change = ForeignKeyField(Change, backref="comments", on_delete="CASCADE")
    parent = ForeignKeyField(
        "self", null=True, on_delete="CASCADE", backref="replies", help_text="The comment it answers."
    )
    author = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    official = BooleanField(default=False, help_text="Written by staff for the landlord: shown with a badge.")
    locale = CharField(max_length=10, default="en")
    body = TextField(help_text="The words as written (up to 2,000 characters); moderators only.")
    body_public = TextField(default="", help_text="The words as published: personal data removed.")
    status = CharField(max_length=20, index=True, choices=ChangeCommentStatus, default=ChangeCommentStatus.HELD)
    held_reason = CharField(max_length=30, default="", help_text="personal_data, reports or new_author.")
    reports = IntegerField(default=0, help_text="How many people reported it.")
    contact = ForeignKeyField(
        Contact, null=True, on_delete="SET NULL", backref="+", help_text="The contact a moderator made of it."
    )
    complaint_offered_at = DateTimeField(null=True, help_text="When the resident was offered to complain.")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing(parents=("change",))
        indexes = ((("change", "status", "created_at"), False),)


class CommentReport(BaseModel):
    """One person's report of a comment; each person reports a comment once."""

    id = AutoField()
    comment = ForeignKeyField(ChangeComment, backref="+", on_delete="CASCADE")
    reporter = ForeignKeyField(User, on_delete="CASCADE", backref="+")
    reason = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(parents=("comment",), written_at="created_at")
        indexes = ((("comment", "reporter"), True),)


class ModerationAction(BaseModel):
    """What a moderator did to a comment or a theme suggestion, and why."""

    id = AutoField()
    comment = ForeignKeyField(ChangeComment, null=True, backref="+", on_delete="CASCADE")
    suggestion = ForeignKeyField(ThemeSuggestion, null=True, backref="+", on_delete="CASCADE")
    action = CharField(max_length=30, help_text="What was done, e.g. publish, hide, remove, restore, make_contact.")
    reason = TextField(help_text="Why (up to 1,000 characters).")
    moderator = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        changes = WrittenOnce(written_at="created_at")


# --- Publication ---------------------------------------------------------------------------------------------------


class DigestStatus(Vocabulary):
    """Where a quarterly digest stands."""

    DRAFT = "draft", "Assembled and being edited."
    SUBMITTED = "submitted", "Waiting for a manager's approval."
    PUBLISHED = "published", "Approved and public; frozen."


class Digest(BaseModel):
    """The quarterly "you said, we did": outcomes, trends and actions, assembled from the quarter's changes, themes
    and stories, reviewed and approved by a manager before it is published, then frozen."""

    id = AutoField()
    year = IntegerField(help_text="The calendar year of the quarter.")
    quarter = IntegerField(help_text="The quarter, 1 to 4.")
    introduction = JSONField(default=dict, help_text="The introduction, by language code.")
    content = JSONField(default=dict, help_text="The assembled sections, frozen once published.")
    status = CharField(max_length=20, index=True, choices=DigestStatus, default=DigestStatus.DRAFT)
    drafted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    approved_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    published_at = DateTimeField(null=True, index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
        indexes = ((("year", "quarter"), True),)


class DigestStory(BaseModel):
    """A success story a digest features."""

    id = AutoField()
    digest = ForeignKeyField(Digest, backref="stories", on_delete="CASCADE")
    story = ForeignKeyField(SuccessStory, backref="+", on_delete="CASCADE")

    class Meta:
        changes = WrittenOnce(parents=("digest",))
        indexes = ((("digest", "story"), True),)


class PageKind(Vocabulary):
    """The landlord's own public pages."""

    CONTACT = "contact", "How to contact the landlord."
    COMPLAINTS_POLICY = "complaints_policy", "The complaints policy."
    ACCESSIBILITY = "accessibility", "The accessibility statement."
    PRIVACY = "privacy", "The privacy notice."


class LandlordPage(BaseModel):
    """One of the landlord's own pages in one language, written by admins."""

    id = AutoField()
    kind = CharField(max_length=30, choices=PageKind)
    locale = CharField(max_length=10, default="en")
    title = CharField(max_length=200)
    body = TextField(help_text="The page's text (up to 50,000 characters): paragraphs, headings and lists.")
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        changes = Changing()
        indexes = ((("kind", "locale"), True),)
