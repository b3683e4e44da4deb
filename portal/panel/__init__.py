"""The scrutiny panel workspace, at ``/panel``: where members review with redacted evidence and make recommendations.

Each module adds its pages to the blueprint:

- ``blueprint``: the workspace's blueprint.
- ``home``: the front page.
- ``involvement``: My involvement: the member's own ledger, totals and choice about rewards.
- ``documents``: the letters-and-leaflets review: documents under review and proposed wording.
"""

from portal.panel import documents, home, involvement  # noqa: F401 - each adds its pages to bp
from portal.panel.blueprint import bp

__all__ = ["bp"]
