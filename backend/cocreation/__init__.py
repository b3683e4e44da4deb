"""Resident co-creation: public themes and priority rounds, "you said, we did" changes, impact surveys, comments,
quarterly digests and the landlord's own pages.

- ``change_messages``: the messages to a change's followers of each move, and to complainants that their
  complaint helped change this; the fan-outs that make them.
- ``demo``: the demo's co-creation data, part by part.
- ``followers``: who follows a change and why; following, stopping, and the signed one-click stop link.
- ``models``: the tables: themes' quotes and suggestions, rounds and votes, changes with their links, milestones,
  updates, followers and impact asks, comments and moderation, digests and the landlord's pages.
"""
