"""The scrutiny panels area of the console: panels, members, reviews, evidence packs, responses and the ledger.

Each module adds its pages to the console's blueprint.

- ``panels``: the panel list, a panel's page (members, support, reviews, work programme, make-up) and its forms.
- ``reviews``: a review's page and its forms: start, change, move, conclude, the work programme and follow-ups.
- ``meetings``: a meeting's page (attendance, papers to post, agenda, minutes), its forms, and staff interviews.
- ``packs``: a review's evidence pack builder: items of each kind, case samples, previews, confirmation, requests.
- ``findings``: questions to answer, a review's findings with accuracy comments, responses, approval,
  publication, the approval bodies' meetings, and members' words given on paper or by phone.
- ``ledger``: the involvement ledger, rewards to approve and the CSV for the annual involvement report.
- ``documents``: the letters-and-leaflets review.
"""

from portal.console.panels import (  # noqa: F401 - each adds its pages to the console
    documents,
    findings,
    ledger,
    meetings,
    packs,
    panels,
    reviews,
)
