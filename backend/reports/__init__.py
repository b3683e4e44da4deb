"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``models``: equality monitoring answers (kept apart, with consent) and the signal counts imported for the board.
- ``characteristics``: a resident records, changes or withdraws their own equality answers; staff record them on a
  contact with consent, and see only whether some are recorded.
- ``equality``: complaints received, outcomes and timeliness by language, representative, channel, vulnerability and
  protected characteristic, with small numbers hidden; ``responded_in_time`` is the one timeliness definition.
- ``suppression``: the small-number rule: figures below 5 hidden, and those that would give one away from a total.
- ``signals``: import monthly disrepair, damp and mould and insurance counts by service area from CSV; read them.
"""
