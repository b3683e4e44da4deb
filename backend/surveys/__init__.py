"""Surveys staff build without code, and the answers people give.

Use cases by module:

- ``services``: create and change surveys, questions and invitation rules; publish and close.
- ``invitations``: invite people when events happen, send, remind, expire, open signed links.
- ``answers``: record answers from a signed link or an import.
- ``batches``: release anonymous answers to staff in groups.
- ``imports``: import results of a survey run elsewhere from CSV rows.
- ``results``: sum answers per question, by language and channel.
- ``tsm``: record the method statement of a tenant perception survey per regulator's year.
- ``messages``: the survey invitation and reminder, with one-click answers, in the person's language.
- ``redaction``: remove personal data from free-text answers.
- ``policies``: who may do what with surveys (each check returns a bool).
- ``models``: surveys, questions, rules, invitations, responses, answers.
"""
