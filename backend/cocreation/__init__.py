"""Resident co-creation: public themes and priority rounds, "you said, we did" changes, impact surveys, comments,
quarterly digests and the landlord's own pages.

- ``changes``: "you said, we did" changes: record one, link its themes, lessons, actions and contacts, publish it,
  and the public counts of the contacts behind it.
- ``demo``: the demo's co-creation data, part by part.
- ``models``: the tables: themes' quotes and suggestions, rounds and votes, changes with their links, milestones,
  updates, followers and impact asks, comments and moderation, digests and the landlord's pages.
- ``progress``: how a change moves: its status, its percentage and its dated milestones, on its public timeline.
"""
