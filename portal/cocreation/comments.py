"""Comments on a change. (Being built.)"""

from __future__ import annotations

from typing import Any


def change_page_part(change: dict[str, Any]) -> dict[str, Any]:
    """What the change page needs to show this part, for the change as read through the API."""
    return {}
