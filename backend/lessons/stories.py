"""Success stories: what changed because of lessons and actions, with before and after figures and media.

Staff draft and submit them; a manager who did not write one approves it or returns it with a reason. Images are
checked by content and size like every upload, and each image or link has its text alternative. Residents do not
see them here (publishing them is for a later issue).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from backend.audit.services import field_changes, record_audit
from backend.complaints import files
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.lessons.models import StoryLink, StoryMedia, StoryStatus, SuccessStory
from backend.lessons.sharing import (
    MAX_TEXT,
    MAX_TITLE,
    action_exists,
    lesson_exists,
    require_manager,
    require_staff,
    text,
    values_of,
)
from backend.timeutil import utcnow

FIELDS = ("title", "story", "before_figure", "after_figure", "status", "return_reason")
MAX_FIGURE = 200
MAX_ALT = 300
MAX_URL = 2000
MAX_LINKS = 50
MAX_MEDIA = 10
EDITABLE = (StoryStatus.DRAFT, StoryStatus.RETURNED)


def _story(actor: Actor, story_id: int) -> SuccessStory:
    story = SuccessStory.get_or_none(SuccessStory.id == story_id)
    if story is None:
        raise NotFound("success_story", story_id)
    return story


def _own(actor: Actor, story: SuccessStory, action: str) -> None:
    if story.drafted_by_id != actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed(action)
    if story.status not in EDITABLE:
        raise Conflict("story_not_editable")


def _check_links(problems: Any, lesson_ids: Sequence[int], action_ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """The lessons and actions to link, each once; a problem at each one not there, at its place as sent."""
    lessons, actions = list(dict.fromkeys(lesson_ids)), list(dict.fromkeys(action_ids))
    if len(lessons) + len(actions) > MAX_LINKS:
        problems.add("lessons", "too_many", at=("lesson_ids",), maximum=MAX_LINKS)
        return [], []
    for index, lesson in enumerate(lesson_ids):
        if not lesson_exists(lesson):
            problems.add("lessons", "not_found", at=("lesson_ids", index))
    for index, action in enumerate(action_ids):
        if not action_exists(action):
            problems.add("actions", "not_found", at=("action_ids", index))
    return lessons, actions


def _check(problems: Any, title: str, story: str, before: str, after: str) -> dict[str, str]:
    return {
        "title": text(problems, "title", title, MAX_TITLE, required=True, line=True),
        "story": text(problems, "story", story, MAX_TEXT, required=True),
        "before_figure": text(problems, "before_figure", before, MAX_FIGURE),
        "after_figure": text(problems, "after_figure", after, MAX_FIGURE),
    }


def _set_links(story: SuccessStory, lessons: list[int], actions: list[int]) -> None:
    StoryLink.delete().where(StoryLink.story == story.id).execute()
    for lesson in lessons:
        StoryLink.create(story=story.id, lesson=lesson)
    for action in actions:
        StoryLink.create(story=story.id, action=action)


def draft_story(
    actor: Actor,
    title: str,
    story: str,
    before_figure: str = "",
    after_figure: str = "",
    lesson_ids: Sequence[int] = (),
    action_ids: Sequence[int] = (),
) -> SuccessStory:
    """Draft a success story, linked to the lessons and actions behind it. Staff only.

    Raises NotAllowed, or Invalid listing every problem: ``title``, ``story`` "required" or "too_long";
    ``before_figure``, ``after_figure`` "too_long"; ``lessons``/``actions`` "not_found" at each one not there
    (``lesson_ids[i]``, ``action_ids[i]``: its place as sent), or "too_many" (at ``lesson_ids``).
    """
    require_staff(actor, "success_story.draft")
    with gather() as problems:
        values = _check(problems, title, story, before_figure, after_figure)
        lessons, actions = _check_links(problems, lesson_ids, action_ids)
    with transaction():
        made = SuccessStory.create(**values, drafted_by=actor.user_id)
        _set_links(made, lessons, actions)
        changes = field_changes(None, {**values_of(made, FIELDS), "lesson_ids": lessons, "action_ids": actions})
        record_audit(actor, "success_story.drafted", "success_story", made.id, changes)
    return made


#: What :func:`update_story` may change.
UPDATABLE = ("title", "story", "before_figure", "after_figure", "lesson_ids", "action_ids")


def _links_of(story_id: int) -> tuple[list[int], list[int]]:
    rows = list(StoryLink.select().where(StoryLink.story == story_id).order_by(StoryLink.id))
    lessons = [row.lesson_id for row in rows if row.lesson_id is not None]  # type: ignore[attr-defined]
    actions = [row.action_id for row in rows if row.action_id is not None]  # type: ignore[attr-defined]
    return lessons, actions


def update_story(actor: Actor, story_id: int, **values: Any) -> SuccessStory:
    """Change a draft or returned story and its links. Its author only.

    Only the fields given in ``values`` (see UPDATABLE) change, the rest are kept: ``lesson_ids`` and
    ``action_ids`` each replace that set of links when given (empty: none), and leave it alone when not; the
    figures given as "" are cleared; the title and the story cannot be. Raises NotAllowed, NotFound
    ("success_story"), Conflict("story_not_editable") once submitted or approved, or Invalid as
    :func:`draft_story` (a field not in UPDATABLE: "unknown_field"). Returns the story unchanged (and audits
    nothing) when nothing differs.
    """
    require_staff(actor, "success_story.update")
    found = _story(actor, story_id)
    _own(actor, found, "success_story.update")
    had_lessons, had_actions = _links_of(found.id)
    with gather() as problems:
        for name in sorted(set(values) - set(UPDATABLE)):
            problems.add(name, "unknown_field")
        checked = {
            name: text(problems, name, values[name], limit, required=name in ("title", "story"))
            for name, limit in (
                ("title", MAX_TITLE),
                ("story", MAX_TEXT),
                ("before_figure", MAX_FIGURE),
                ("after_figure", MAX_FIGURE),
            )
            if name in values
        }
        lessons, actions = _check_links(
            problems, values.get("lesson_ids", had_lessons) or (), values.get("action_ids", had_actions) or ()
        )
    before = values_of(found, FIELDS)
    relinked = (lessons, actions) != (had_lessons, had_actions)
    if not relinked and not field_changes(before, {**before, **checked}):
        return found
    with transaction():
        SuccessStory.update(**checked, updated_at=utcnow()).where(SuccessStory.id == found.id).execute()
        if relinked:
            _set_links(found, lessons, actions)
        found = SuccessStory.get_by_id(found.id)
        changes = field_changes(before, values_of(found, FIELDS))
        if relinked:
            changes["links"] = {"before": had_lessons + had_actions, "after": lessons + actions}
        record_audit(actor, "success_story.updated", "success_story", found.id, changes)
    return found


def _safe_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc) and " " not in url


def add_media(
    actor: Actor,
    story_id: int,
    alt_text: str,
    url: str = "",
    file_name: str = "",
    stream: BinaryIO | None = None,
) -> StoryMedia:
    """Add an image (uploaded, or a link) or a video link to a draft or returned story, with its text alternative.

    Its author only. Raises NotAllowed, NotFound("success_story"), Conflict("story_not_editable"), Conflict
    ("too_many"), or Invalid listing every problem: ``alt_text`` "required" or "too_long"; ``url`` "media_required" (no
    file and no link), "with_file" (both), "invalid" (not an https address) or "too_long"; ``image`` "not_image",
    or ``attachments`` with the upload checks' codes (too large, unsupported type, empty).
    """
    require_staff(actor, "success_story.media_add")
    found = _story(actor, story_id)
    _own(actor, found, "success_story.media_add")
    with gather() as problems:
        alt = text(problems, "alt_text", alt_text, MAX_ALT, required=True)
        link = text(problems, "url", url, MAX_URL)
        if stream is None and not link:
            problems.add("url", "media_required")
        elif stream is not None and link:
            problems.add("url", "with_file")
        elif link and not _safe_url(link):
            problems.add("url", "invalid")
        if stream is not None:
            with problems.check():
                kinds = files.check([files.Upload(file_name, stream)])
                if kinds and kinds[0].family != "image":
                    problems.add("image", "not_image")
    if _media_count(found.id) >= MAX_MEDIA:
        raise Conflict("too_many", maximum=MAX_MEDIA)
    prepared = files.prepare([files.Upload(file_name, stream)]) if stream is not None else []
    try:
        with transaction():
            if prepared:
                item = prepared[0]
                media = StoryMedia.create(
                    story=found.id,
                    file_name=item.file_name,
                    media_type=item.kind.media_type,
                    size=item.stored.size,
                    sha256=item.stored.sha256,
                    storage_key=item.stored.key,
                    alt_text=alt,
                )
            else:
                media = StoryMedia.create(story=found.id, url=link, alt_text=alt)
            after = {"id": media.id, "url": link, "file_name": media.file_name, "alt_text": alt}
            record_audit(
                actor,
                "success_story.media_added",
                "success_story",
                found.id,
                {"media": {"before": None, "after": after}},
            )
    except BaseException:
        files.discard(prepared)
        raise
    return media


def _media_count(story_id: int) -> int:
    return StoryMedia.select().where(StoryMedia.story == story_id).count()


def open_media(actor: Actor, media_id: int) -> tuple[StoryMedia, BinaryIO]:
    """An uploaded image of a story and its content, for staff. Raises NotAllowed or NotFound("story_media")."""
    if not actor.is_staff:
        raise NotAllowed("success_story.media_open")
    media = StoryMedia.get_or_none(StoryMedia.id == media_id, StoryMedia.storage_key.is_null(False))
    if media is None:
        raise NotFound("story_media", media_id)
    try:
        return media, files.open_stored(str(media.storage_key), media.size, media.sha256)
    except (FileNotFoundError, ValueError):
        raise NotFound("story_media", media_id) from None


def _move(
    actor: Actor, story_id: int, action: str, allowed: tuple[str, ...], status: str, **values: Any
) -> SuccessStory:
    found = _story(actor, story_id)
    if action == "submitted":
        if found.drafted_by_id != actor.user_id:  # type: ignore[attr-defined]
            raise NotAllowed(f"success_story.{action}")
    elif found.drafted_by_id == actor.user_id:  # type: ignore[attr-defined]
        raise NotAllowed(f"success_story.{action}", code="own_story")  # four eyes: another manager decides
    before = values_of(found, FIELDS)
    with transaction():
        moved = (
            SuccessStory.update(status=status, updated_at=utcnow(), **values)
            .where(SuccessStory.id == found.id, SuccessStory.status.in_(allowed))
            .execute()
        )
        if not moved:
            raise Conflict("story_not_submitted" if action != "submitted" else "story_not_editable")
        found = SuccessStory.get_by_id(found.id)
        record_audit(
            actor, f"success_story.{action}", "success_story", found.id, field_changes(before, values_of(found, FIELDS))
        )
    return found


def submit_story(actor: Actor, story_id: int) -> SuccessStory:
    """Send a draft or returned story to managers for approval. Its author only.

    Raises NotAllowed, NotFound("success_story") or Conflict("story_not_editable") when already submitted or approved.
    """
    require_staff(actor, "success_story.submit")
    return _move(actor, story_id, "submitted", EDITABLE, StoryStatus.SUBMITTED)


def approve_story(actor: Actor, story_id: int) -> SuccessStory:
    """Approve a submitted story. A manager who did not write it.

    Raises NotAllowed (``code`` "own_story" for its author), NotFound("success_story") or
    Conflict("story_not_submitted").
    """
    require_manager(actor, "success_story.approve")
    return _move(
        actor,
        story_id,
        "approved",
        (StoryStatus.SUBMITTED,),
        StoryStatus.APPROVED,
        approved_by=actor.user_id,
        approved_at=utcnow(),
    )


def return_story(actor: Actor, story_id: int, reason: str) -> SuccessStory:
    """Return a submitted story to its author with the reason. A manager who did not write it.

    Raises NotAllowed (``code`` "own_story" for its author), NotFound("success_story"), Invalid (``reason``
    "required" or "too_long") or Conflict("story_not_submitted").
    """
    require_manager(actor, "success_story.return")
    _story(actor, story_id)
    with gather() as problems:
        why = text(problems, "reason", reason, MAX_TEXT, required=True)
    return _move(actor, story_id, "returned", (StoryStatus.SUBMITTED,), StoryStatus.RETURNED, return_reason=why)
