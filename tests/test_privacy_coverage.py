"""Every column that points at an account has a decision for subject access: included, or excluded with a reason."""

from __future__ import annotations

from peewee import ForeignKeyField

from backend.accounts.models import User
from backend.models import ALL_MODELS
from backend.privacy import coverage


def columns_pointing_at_accounts() -> set[str]:
    return {
        f"{model.__name__}.{column.name}"
        for model in ALL_MODELS
        for column in model._meta.sorted_fields
        if isinstance(column, ForeignKeyField) and column.rel_model is User
    }


def test_the_scan_sees_columns_in_every_domain() -> None:
    found = columns_pointing_at_accounts()
    for known in ("Contact.resident", "Vote.voter", "PanelMembership.person", "SurveyResponse.user"):
        assert known in found


def test_every_column_that_points_at_an_account_has_a_decision() -> None:
    undecided = columns_pointing_at_accounts() - set(coverage.INCLUDED) - set(coverage.EXCLUDED)
    assert not undecided, (
        f"decide in backend/privacy/coverage.py whether a subject access export includes these: {sorted(undecided)}"
    )


def test_no_decision_names_a_column_that_does_not_exist() -> None:
    stale = (set(coverage.INCLUDED) | set(coverage.EXCLUDED)) - columns_pointing_at_accounts()
    assert not stale


def test_no_column_is_both_included_and_excluded() -> None:
    assert not set(coverage.INCLUDED) & set(coverage.EXCLUDED)


def test_every_exclusion_gives_a_reason() -> None:
    assert all(reason.strip() for reason in coverage.EXCLUDED.values())
