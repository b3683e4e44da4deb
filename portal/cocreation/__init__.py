"""Resident co-creation's public pages: open to everyone, signed in or not; voting, following and commenting ask
the resident to sign in.

Each module adds its pages to the blueprint:

- ``blueprint``: the area's blueprint.
- ``themes``: published themes in the reader's language, with approved quotes and the last results; residents
  suggest new themes.
- ``rounds``: priority rounds: the ballot, a resident's votes, and the results once a round has closed.
- ``labels``: words the public pages and the console share (a change's status).
- ``changes``: "you said, we did" changes, each with its progress, milestones and the parts below.
- ``follows``: following a change, and the signed links that stop the messages.
- ``impact``: "implemented by the landlord" beside "confirmed by residents" on a change.
- ``comments``: residents' comments on a change, replies, and reports.
- ``publication``: the hub, the quarterly digests, success stories, the landlord's own pages and the Atom feeds.
"""

from portal.cocreation import (  # noqa: F401 - each adds its pages to bp
    changes,
    comments,
    follows,
    impact,
    publication,
    rounds,
    themes,
)
from portal.cocreation.blueprint import bp

__all__ = ["bp"]
