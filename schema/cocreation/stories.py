"""Approved success stories for everyone: ``publicStories`` and ``publicStory``, with their before and after figures
and media with text alternatives; never who wrote or approved them. Staff's own view stays ``successStories``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.cocreation import stories
from backend.errors import NotFound
from schema.access import EVERYONE
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.mutations import parse_id


@strawberry.type(description="An image or a video link of a public success story.")
class PublicStoryMedia:
    id: strawberry.ID = strawberry.field(description="The media, for an uploaded image's address.")
    url: str = strawberry.field(description="The link; empty for an uploaded image.")
    media_type: str = strawberry.field(description="An uploaded image's media type.")
    alt_text: str = strawberry.field(description="What it shows, for people who cannot see it.")


@strawberry.type(description="An approved success story, as the public page shows it.")
class PublicSuccessStory:
    id: strawberry.ID = strawberry.field(description="The story.")
    title: str = strawberry.field(description="Its title.")
    story: str = strawberry.field(description="The story.")
    before_figure: str = strawberry.field(description="The figure before the change.")
    after_figure: str = strawberry.field(description="The figure after the change.")
    approved_on: str = strawberry.field(description="The UK day it was approved (ISO date).")
    media: list[PublicStoryMedia] = strawberry.field(description="Its images and video links.")


def _typed(story: stories.PublicStory) -> PublicSuccessStory:
    return PublicSuccessStory(
        id=strawberry.ID(str(story.id)),
        title=story.title,
        story=story.story,
        before_figure=story.before_figure,
        after_figure=story.after_figure,
        approved_on=story.approved_on,
        media=[
            PublicStoryMedia(
                id=strawberry.ID(str(item.id)), url=item.url, media_type=item.media_type, alt_text=item.alt_text
            )
            for item in story.media
        ],
    )


@only_for(EVERYONE)
@strawberry.type
class PublicStoryQuery:
    @strawberry.field(description="Approved success stories, newest first (at most 100). Open to everyone.")
    def public_stories(self, info: strawberry.Info[Context, None]) -> list[PublicSuccessStory]:
        return [_typed(story) for story in stories.public_stories()]

    @strawberry.field(description="An approved success story by id; null when there is none. Open to everyone.")
    def public_story(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The story.")],
    ) -> PublicSuccessStory | None:
        try:
            story_id = parse_id(id, "success_story")
        except NotFound:  # an id that is not a number names no story
            return None
        found = stories.public_story(story_id)
        return _typed(found) if found is not None else None


QUERIES = [PublicStoryQuery]
