"""A figure as reports publish it: a numerator over a denominator, kept unrounded, published to one decimal place.

Rounding is half up on the exact fraction (22.45 is published 22.5), never on a binary float. A denominator of 0,
or one nobody entered, gives no value: "no value", never 0 nor 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PER_THOUSAND = 1_000
PERCENT = 100
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Figure:
    """``numerator`` ÷ ``denominator`` × ``scale``: per 1,000 homes, a percentage, or a plain ratio (scale 1)."""

    code: str
    numerator: int
    denominator: int | None
    scale: int = PERCENT

    @property
    def exact(self) -> Fraction | None:
        if not self.denominator:
            return None
        return Fraction(self.numerator * self.scale, self.denominator)

    @property
    def value(self) -> float | None:
        """The unrounded value; None when there is nothing to divide by."""
        exact = self.exact
        return None if exact is None else float(exact)

    @property
    def published(self) -> str | None:
        """The value to one decimal place, rounded half up; None when there is no value."""
        exact = self.exact
        if exact is None:
            return None
        value = Decimal(exact.numerator) / Decimal(exact.denominator)
        return str(value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP))


def published(numerator: int, denominator: int | None, scale: int = PERCENT) -> str | None:
    """The published text of a ratio: see :class:`Figure`."""
    return Figure("", numerator, denominator, scale).published
