"""The reports in the console: the figures the regulators, the board and residents expect.

- ``spso``: the SPSO's complaints performance indicators for homes in Scotland, and the complaints behind each.
"""

from portal.console.reports import spso  # noqa: F401 - adds its pages to the console
