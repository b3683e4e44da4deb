"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``models``: the UK calendar with each nation's working days, the statutory timescales by edition, the homes at
  each year's end.
- ``stock``: the relevant homes at each year's end, entered or imported with their source.
- ``calendar``: the calendar's days written and refreshed, and the SQL that counts working days with it.
- ``spso``: the SPSO's complaints performance indicators for homes in Scotland (received, closed at each stage,
  outcomes, working days, timescales, extensions), and the complaints behind each figure.
- ``spso_context``: what goes around the SPSO's figures: the statements of learning, complainant experience and
  training, and the areas with few or no complaints compared with their homes.
"""
