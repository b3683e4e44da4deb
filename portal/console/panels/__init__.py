"""The scrutiny panels area of the console: panels, members, reviews, evidence packs, responses and the ledger.

Each module adds its pages to the console's blueprint:

- ``findings``: questions to answer, a review's findings with accuracy comments, responses, approval,
  publication, the approval bodies' meetings, and members' words given on paper or by phone.
"""

from portal.console.panels import findings  # noqa: F401 - each adds its pages to bp
