"""Scrutiny panels: residents who review how the landlord works and make recommendations it must answer.

Use cases by module:

- ``models``: panels, memberships, reviews, meetings, interviews, evidence requests, case samples, pack items and
  their views, annotations, questions, report versions, accuracy comments, recommendations and the ledger.
"""
