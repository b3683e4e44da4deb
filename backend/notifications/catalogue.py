"""What an event that sends messages declares: its topic, whether it is statutory, its placeholders, the call
to action the system adds after the wording, and the default wording in every language (translated through the
catalogues until staff edit it). Each domain declares its own events (``backend.<domain>.messages``), and
``backend.notifications.registry`` puts them all in :data:`EVENTS`.

Links are never placeholders. Wording is staff's to edit, and a placeholder that wording can move
could carry a secret (a reset, verification or personal survey link) into a subject or into the
delivery log. So every link is a line of the event's *call to action*, which the system writes
after the wording: secret links are put in only as an email or text message is handed to its
channel, and every stored copy shows ``[link]`` in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.i18n import N_
from backend.vocabulary import Vocabulary


class Topic(Vocabulary):
    """What a message is about: people choose how often they hear about each topic."""

    ACCOUNT = "account", "Their account and its security (always sent at once)."
    COMPLAINTS = "complaints", "Their complaints (always sent at once)."
    CHANGES = "changes", "Changes made because residents spoke up."
    SURVEYS = "surveys", "Invitations to answer surveys."
    FEEDBACK = "feedback", "What they told the landlord."


TOPICS = Topic.codes()
# People can't opt out of these: the Code requires complaint letters, and security notices protect them.
STATUTORY_TOPICS = frozenset({"account", "complaints"})
# What a stored copy of a message shows in place of a secret link.
LINK_MARK = "[link]"
# Statutory messages are queued and swept ahead of bulk ones.
STATUTORY_PRIORITY = 10
DIGEST_INTRO = N_("Hello %(name)s, here are the messages you asked us to collect for you.")


def recipient_id(payload: Mapping[str, Any]) -> int | None:
    """The person an event is about: its user, resident or (for staff events) recipient."""
    for key in ("user_id", "resident_id", "recipient_id"):
        if payload.get(key) is not None:
            return int(payload[key])
    return None


@dataclass(frozen=True)
class Link:
    """One line of a call to action: a label and the address it opens.

    A ``secret`` link works as a credential (it resets a password, confirms an address, or opens
    someone's own survey answers) and is never stored or shown to staff.
    """

    label: str
    url: str
    secret: bool = False


# A call to action is a list of lines: plain text, links, and "" for a paragraph break.
ActionLine = str | Link


@dataclass(frozen=True)
class Recipient:
    """Who one message is for, and how it will reach them: what a call to action depends on."""

    event: str
    payload: Mapping[str, Any]
    subject_user: Any  # the person the event is about
    reader: Any  # who reads this message: the person, or their advocate's copy
    channel: str
    locale: str

    @property
    def is_copy(self) -> bool:
        return self.reader.id != self.subject_user.id


@dataclass(frozen=True)
class Attachment:
    """A file an email carries (a meeting's calendar file): its name, its media type and its bytes."""

    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class EventSpec:
    """What an event says by default. Placeholders are ``%(name)s`` in the translatable defaults and
    ``{{ name }}`` in the templates staff edit; ``variables`` lists them with sample values for previews.

    ``link_text`` labels the event's one link, made by ``link``; ``action`` replaces both where an
    event needs more than one line (a survey's one-click answers). Either way the system writes
    the call to action after the wording.
    """

    name: str
    topic: str
    subject: str
    paragraphs: tuple[str, ...]
    variables: Mapping[str, str]
    link_text: str | None = None
    description: str = ""
    # Supplies the placeholders' values for one recipient: (payload, user, locale) -> values.
    context: Callable[[Mapping[str, Any], Any, str], dict[str, Any]] | None = field(default=None, compare=False)
    # The address of the event's link for one recipient, and whether it is a secret.
    link: Callable[[Recipient], str | None] | None = field(default=None, compare=False)
    secret: bool = False
    # A call to action of several lines, for one recipient (overrides link and link_text).
    action: Callable[[Recipient], list[ActionLine]] | None = field(default=None, compare=False)
    # Sample lines for previews: the link's sample address, or a whole sample call to action.
    sample_link: str = "https://example.org/"
    sample_action: tuple[ActionLine, ...] = ()
    # The substance the system writes after the wording for one recipient (see backend.notifications.blocks).
    details: Callable[[Recipient], list[Any]] | None = field(default=None, compare=False)
    # Files an email of the event carries, for one recipient (other channels carry none).
    attachments: Callable[[Recipient], list[Attachment]] | None = field(default=None, compare=False)

    @property
    def statutory(self) -> bool:
        return self.topic in STATUTORY_TOPICS


HELLO = N_("Hello %(name)s,")
THANKS = N_("Thank you for using Learnloop.")
# Blocks, not messages: the system writes them into other messages, and they are never sent alone.
BLOCKS = frozenset({"block.where_you_are"})


@dataclass
class EventGroup:
    """One domain's events, in the order staff see them listed."""

    specs: list[EventSpec] = field(default_factory=list)

    def add(self, spec: EventSpec) -> EventSpec:
        self.specs.append(spec)
        return spec


# Every event by name, filled by ``backend.notifications.registry``. Code that may run before anything imported
# the registry imports ``EVENTS`` from there; this module's own name for it is for the modules the domains' events
# are built on (templates, compose, wording), which only read it once a message is made.
EVENTS: dict[str, EventSpec] = {}


def register(spec: EventSpec) -> None:
    """Add one event; a second event of the same name is refused."""
    if spec.name in EVENTS:
        raise ValueError(f"two events are called {spec.name}")
    EVENTS[spec.name] = spec
