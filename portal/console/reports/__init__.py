"""The reports area of the console: the regulators' measures, the homes they divide by, and their drill-downs.

- ``periods``: the period a report page covers, read from the page's address, and the periods to choose from.
- ``tsm``: the Tenant Satisfaction Measures on complaints (CH01, CH02), the complaints behind each figure, and CSV.
- ``stock``: the relevant homes at each year's end: the list, entering and correcting one, importing a CSV.
"""

from portal.console.reports import (  # noqa: F401 - each adds its pages to the console
    stock,
    tsm,
)
