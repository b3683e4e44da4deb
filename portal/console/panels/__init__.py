"""The scrutiny panels area of the console: panels, members, reviews, evidence packs, responses and the ledger.

Each module adds its pages to the console's blueprint:

- ``ledger``: the involvement ledger, rewards to approve and the CSV for the annual involvement report.
- ``documents``: the letters-and-leaflets review.
"""

from portal.console.panels import documents, ledger  # noqa: F401 - each adds its pages to bp
