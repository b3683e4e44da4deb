"""Small-number suppression: which figures of a table to hide so that nobody in a small group can be picked out.

The rule (docs/reports.md, "Equality and diversity", gives the reasons):

1. **Primary.** Every figure below :data:`THRESHOLD` (0 to 4) is hidden.
2. **Secondary.** A table's figures are tied by sums: the groups of a breakdown add up to the "all complaints" total,
   and within a group the responses add up to those in time and late, and to the outcomes. In every sum whose total
   is shown, the hidden parts (if any) must be at least two and together come to at least :data:`THRESHOLD`:
   otherwise the total minus the shown parts would give away a hidden figure,
   or a small group made of several. In a sum whose total is hidden (and not 0), at least one part must be hidden
   too, or the shown parts would add up to it. While any sum breaks this, the smallest shown part of it (the first
   of equals) is hidden too, or its total when every part already is.

Hidden figures carry one marker whether they were hidden as small or to protect another, so the marker itself tells
nobody that a figure is below 5. Groups with no complaints may be worked out as empty (a zero group picks out
nobody), but a zero inside a group is protected like any other hidden figure: "none of the five was late" says
something about each of the five, so the total less the shown parts must not give it away.
A figure that appears in several tables (the totals) is one figure, so it is hidden in all of them or in none.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: The smallest figure shown.
THRESHOLD = 5


@dataclass(frozen=True)
class Sum:
    """A total and the parts that add up to it, each named by its key in the table's figures."""

    total: Hashable
    parts: Sequence[Hashable]
    #: The parts are groups of people (a breakdown's groups): a hidden part worked out as 0 is an empty group, which
    #: picks out nobody. Otherwise (in time and late, the outcomes) a 0 says something of everyone in the group.
    groups: bool = False


def suppress(values: Mapping[Hashable, int], sums: Iterable[Sum], threshold: int = THRESHOLD) -> set[Hashable]:
    """The keys of the figures to hide under the rule above. Every key a sum names must be in ``values``."""
    hidden = {key for key, value in values.items() if value < threshold}
    sums = list(sums)
    changed = True
    while changed:
        changed = False
        for tie in sums:
            if _protected(tie, values, hidden, threshold):
                continue
            hidden.add(_next_to_hide(tie, values, hidden))
            changed = True
    return hidden


def _protected(tie: Sum, values: Mapping[Hashable, int], hidden: set[Hashable], threshold: int) -> bool:
    hidden_parts = [part for part in tie.parts if part in hidden]
    if tie.total in hidden:
        # The total and at least one part: neither can be worked out from the rest.
        return bool(hidden_parts) or values[tie.total] == 0
    if not hidden_parts:
        return True
    together = sum(values[part] for part in hidden_parts)
    return (tie.groups and together == 0) or (len(hidden_parts) >= 2 and together >= threshold)


def _next_to_hide(tie: Sum, values: Mapping[Hashable, int], hidden: set[Hashable]) -> Hashable:
    shown = [(values[part], index, part) for index, part in enumerate(tie.parts) if part not in hidden]
    if not shown:
        return tie.total
    return min(shown, key=lambda found: (found[0], found[1]))[2]
