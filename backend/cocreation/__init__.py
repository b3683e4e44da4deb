"""Resident co-creation: public themes and priority rounds, "you said, we did" changes, impact surveys, comments,
quarterly digests and the landlord's own pages.

- ``ballots``: counting a priority round once it has closed, and its ranked results.
- ``demo``: the demo's co-creation data, part by part.
- ``models``: the tables: themes' quotes and suggestions, rounds and votes, changes with their links, milestones,
  updates, followers and impact asks, comments and moderation, digests and the landlord's pages.
- ``round_messages``: the message asking a resident to vote again when a theme they voted for was merged.
- ``rounds``: priority rounds: set one up, publish it, cancel it, and its phase (draft, upcoming, open, closed).
- ``votes``: a resident's votes in a round: set them, read them with what is left of the budget, and the re-vote
  asked for when a theme on the ballot is merged.
"""
