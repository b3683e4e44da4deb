"""Approved success stories as the public see them: the title, the story, the before and after figures, and the
images and video links with their text alternatives; never who wrote or approved it.

Staff write and approve stories (``backend.lessons.stories``); a story is public once approved. Its text passes
the narrative redaction as it is shown, so contact details typed into it are never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from backend.complaints import files
from backend.errors import NotFound
from backend.lessons.models import StoryMedia, StoryStatus, SuccessStory
from backend.redaction import redact_narrative
from backend.timeutil import local_date

MAX_LISTED = 100


@dataclass(frozen=True)
class PublicMedia:
    """An image or video link of a public story. ``url`` is empty for an uploaded image (served by its id)."""

    id: int
    url: str
    media_type: str
    alt_text: str


@dataclass(frozen=True)
class PublicStory:
    """A success story as the public page shows it."""

    id: int
    title: str
    story: str
    before_figure: str
    after_figure: str
    approved_on: str
    media: tuple[PublicMedia, ...]


def _public(row: SuccessStory) -> PublicStory:
    media = StoryMedia.select().where(StoryMedia.story == row.id).order_by(StoryMedia.id)
    return PublicStory(
        id=row.id,
        title=redact_narrative(row.title),
        story=redact_narrative(row.story),
        before_figure=redact_narrative(row.before_figure),
        after_figure=redact_narrative(row.after_figure),
        approved_on=local_date(row.approved_at).isoformat() if row.approved_at else "",
        media=tuple(
            PublicMedia(id=item.id, url=item.url, media_type=item.media_type, alt_text=item.alt_text) for item in media
        ),
    )


def public_stories() -> list[PublicStory]:
    """The approved stories, newest approval first (at most 100)."""
    rows = (
        SuccessStory.select()
        .where(SuccessStory.status == StoryStatus.APPROVED)
        .order_by(SuccessStory.approved_at.desc(), SuccessStory.id.desc())
        .limit(MAX_LISTED)
    )
    return [_public(row) for row in rows]


def public_story(story_id: int) -> PublicStory | None:
    """An approved story by id; None when there is none (or it is not approved)."""
    if not 0 < story_id < 2**63:
        return None
    row = SuccessStory.get_or_none(SuccessStory.id == story_id, SuccessStory.status == StoryStatus.APPROVED)
    return _public(row) if row is not None else None


def open_public_image(story_id: int, media_id: int) -> tuple[StoryMedia, BinaryIO]:
    """An uploaded image of an approved story and its content, for anyone. Raises NotFound("story_media") when
    the story is not approved, the image is not its own, or it is a link."""
    if not (0 < story_id < 2**63 and 0 < media_id < 2**63):
        raise NotFound("story_media", media_id)
    media = (
        StoryMedia.select()
        .join(SuccessStory, on=(StoryMedia.story == SuccessStory.id))
        .where(StoryMedia.id == media_id, StoryMedia.story == story_id, StoryMedia.storage_key.is_null(False))
        .where(SuccessStory.status == StoryStatus.APPROVED)
        .first()
    )
    if media is None:
        raise NotFound("story_media", media_id)
    try:
        return media, files.open_stored(str(media.storage_key), media.size, media.sha256)
    except (FileNotFoundError, ValueError):
        raise NotFound("story_media", media_id) from None
