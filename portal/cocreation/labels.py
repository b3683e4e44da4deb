"""Words co-creation's public pages and the console share: a change's status as people read it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUSES = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "implemented": _l("Implemented by the landlord"),
    "confirmed": _l("Confirmed by residents"),
}
