"""The co-creation area of the console: priority rounds, public themes and residents' suggestions, changes,
moderation of comments, the quarterly digests and the landlord's own pages.

Each module adds its pages to the console's blueprint:

- ``home``: the area's front page, linking to each of the others, with what waits for staff.
- ``rounds``: priority rounds: set up, publish, cancel, and the count.
- ``themes``: publishing themes for residents, their example quotes, and residents' suggestions to moderate.
- ``changes``: "you said, we did" changes: record, link, publish, move, milestones.
- ``impact``: changes and their impact: what residents answered, who was asked, confirmed or not fixed.
- ``moderation``: the queue of comments held or reported, and staff replies.
- ``digests``: the quarterly digest: assemble, edit, submit, approve and publish.
- ``pages``: the landlord's own pages, written by admins in each language.
"""

from portal.console.cocreation import (  # noqa: F401 - each adds its pages to the console
    changes,
    digests,
    home,
    impact,
    moderation,
    pages,
    rounds,
    themes,
)
