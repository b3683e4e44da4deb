"""Resident co-creation: public themes and priority rounds, "you said, we did" changes, impact surveys, comments,
quarterly digests and the landlord's own pages.

- ``comments``: residents comment on a published change, reply one level deep, report and delete their own;
  staff reply officially; personal data holds a comment for a moderator.
- ``comment_messages``: the messages a commenter gets: published, removed, and the offer to make a complaint.
- ``ballots``: counting a priority round once it has closed, and its ranked results.
- ``changes``: "you said, we did" changes: record one, link its themes, lessons, actions and contacts, publish it,
  and the public counts of the contacts behind it.
- ``demo``: the demo's co-creation data, part by part.
- ``impact``: the impact survey: who is asked whether a change made a difference and when, counting the answers,
  "confirmed by residents" and "not fixed" (which reopens the change's actions), and the public figure.
- ``moderation``: the queue of held and hidden comments, the moderators' actions with their reasons, and making a
  contact of a dissatisfied comment.
- ``change_messages``: the messages to a change's followers of each move, and to complainants that their
  complaint helped change this; the fan-outs that make them.
- ``followers``: who follows a change and why; following, stopping, and the signed one-click stop link.
- ``digests``: the quarterly "you said, we did" digest: assemble, edit, submit, publish (four eyes), frozen after.
- ``feeds``: the Atom feeds of published changes and published digests.
- ``public_themes``: publishing themes for residents, and the public view of published themes in a language.
- ``quotes``: example quotes of a theme: proposed by staff, redacted, approved by another manager, withdrawn.
- ``suggestions``: residents' suggestions of new themes, and staff accepting, linking or declining them.
- ``suggestion_messages``: the message telling a resident what became of their suggestion.
- ``models``: the tables: themes' quotes and suggestions, rounds and votes, changes with their links, milestones,
  updates, followers and impact asks, comments and moderation, digests and the landlord's pages.
- ``pages``: the landlord's own pages (contact, complaints policy, accessibility, privacy), their built-in defaults
  and the safe markup they are written in.
- ``stories``: approved success stories as the public see them.
- ``round_messages``: the message asking a resident to vote again when a theme they voted for was merged.
- ``rounds``: priority rounds: set one up, publish it, cancel it, and its phase (draft, upcoming, open, closed).
- ``votes``: a resident's votes in a round: set them, read them with what is left of the budget, and the re-vote
  asked for when a theme on the ballot is merged.
- ``progress``: how a change moves: its status, its percentage and its dated milestones, on its public timeline.
"""
