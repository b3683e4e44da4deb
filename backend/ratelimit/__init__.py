"""Request counters shared by every web process.

Use cases by module:

- ``services``: count requests per key in fixed windows; sweep ended windows.
- ``models``: the fixed-window counters.
"""
