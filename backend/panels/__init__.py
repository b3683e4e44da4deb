"""Scrutiny panels: residents who review how the landlord works and make recommendations it must answer.

Use cases by module:

- ``models``: panels, memberships, reviews, meetings, interviews, evidence requests, case samples, pack items and
  their views, annotations, questions, report versions, accuracy comments, recommendations and the ledger.
- ``access``: who sees which panel records: staff all, a member only their own panels' reviews and packs.
- ``ledger``: each member's involvement ledger: meetings attended, reviews completed, time, documents, expenses,
  rewards by the panel's rule approved by a second manager, opting out, and the totals of the involvement report.
- ``ledger_messages``: the thank-you messages for a completed review and an approved reward.
- ``documents``: the letters-and-leaflets review: documents under review, members' proposed wording, the panel's
  approval, and adopting it as the message wording or the enclosed leaflet.
"""
