"""The demo's co-creation: published themes with quotes, a round open for votes and one closed with its results,
changes at every stage with followers and comments, a digest and the landlord's pages.

Needs the demo accounts, lessons and themes (backend.demo). Running again changes nothing. Each part is its own
function, called in order by :func:`load_demo_cocreation`.
"""

from __future__ import annotations


def load_demo_cocreation() -> None:
    """Create the demo's co-creation data once."""
