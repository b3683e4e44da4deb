"""Resident co-creation: public themes and priority rounds, "you said, we did" changes, impact surveys, comments,
quarterly digests and the landlord's own pages.

- ``demo``: the demo's co-creation data, part by part.
- ``public_themes``: publishing themes for residents, and the public view of published themes in a language.
- ``quotes``: example quotes of a theme: proposed by staff, redacted, approved by another manager, withdrawn.
- ``suggestions``: residents' suggestions of new themes, and staff accepting, linking or declining them.
- ``suggestion_messages``: the message telling a resident what became of their suggestion.
- ``models``: the tables: themes' quotes and suggestions, rounds and votes, changes with their links, milestones,
  updates, followers and impact asks, comments and moderation, digests and the landlord's pages.
"""
