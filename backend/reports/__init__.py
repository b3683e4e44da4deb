"""Reports for the regulators, the board and residents: the figures counted in SQL over a period.

Use cases by module:

- ``periods``: the regulator's year, its quarters, months and custom ranges, as UK dates and the UTC moments that
  bound them.
- ``tsm_perception``: the tenant perception measures TP01 to TP12 from the perception survey, weighted, for LCRA,
  LCHO and all.
"""
