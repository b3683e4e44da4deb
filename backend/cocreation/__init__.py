"""Resident co-creation: public themes and priority rounds, "you said, we did" changes, impact surveys, comments,
quarterly digests and the landlord's own pages.

- ``demo``: the demo's co-creation data, part by part.
- ``digests``: the quarterly "you said, we did" digest: assemble, edit, submit, publish (four eyes), frozen after.
- ``feeds``: the Atom feeds of published changes and published digests.
- ``models``: the tables: themes' quotes and suggestions, rounds and votes, changes with their links, milestones,
  updates, followers and impact asks, comments and moderation, digests and the landlord's pages.
- ``pages``: the landlord's own pages (contact, complaints policy, accessibility, privacy), their built-in defaults
  and the safe markup they are written in.
- ``stories``: approved success stories as the public see them.
"""
