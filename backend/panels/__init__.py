"""Scrutiny panels: residents who review how the landlord works and make recommendations it must answer.

Use cases by module:

- ``models``: panels, memberships, reviews, meetings, interviews, evidence requests, case samples, pack items and
  their views, annotations, questions, report versions, accuracy comments, recommendations and the ledger.
- ``access``: who sees which panel records (members: their own panels' reviews and confirmed pack items).
- ``annotations``: members annotate the lessons in their pack and ask staff questions; staff answer, and enter
  what members gave on paper or by phone.
- ``findings``: the panel's versioned drafts, staff's accuracy comments, sign-off and the response clock.
- ``findings_messages``: the messages of questions, sign-off and overdue responses.
- ``responses``: the landlord's responses, their approval, the actions' progress, the panel's satisfaction, and
  the sweep that escalates overdue responses.
- ``publication``: the public summary, drafted by staff and published by another manager; the public report.
"""
