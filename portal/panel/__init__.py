"""The scrutiny panel workspace, at ``/panel``: where members review with redacted evidence and make recommendations.

Each module adds its pages to the blueprint:

- ``blueprint``: the workspace's blueprint.
- ``home``: the front page: the member's panels, with their reviews current and past.
- ``reviews``: a review's overview: topic, scope, questions, timeline, meetings and interviews.
- ``packs``: a review's evidence pack, its items, the evidence requests and the standing data.
- ``findings``: lesson annotations, questions to staff, findings, sign-off, responses and satisfaction.
- ``involvement``: My involvement: the member's own ledger, totals and choice about rewards.
- ``documents``: the letters-and-leaflets review: documents under review and proposed wording.
"""

from portal.panel import documents, findings, home, involvement, packs, reviews  # noqa: F401 - each adds its pages to bp
from portal.panel.blueprint import bp

__all__ = ["bp"]
