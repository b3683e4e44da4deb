"""Equality breakdowns: counted in SQL on hand-built complaints, with small numbers hidden (primary and secondary)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.complaints.models import Clock, ComplaintResponse, ComplaintStage, Contact
from backend.errors import NotAllowed
from backend.reports import equality
from backend.reports.equality import count_breakdowns, equality_report, responded_in_time
from backend.reports.models import EqualityProfile
from backend.reports.periods import parse_period
from backend.reports.suppression import Sum, suppress
from tests.factories import actor_of, make_complaint, make_contact, make_staff, make_user

YEAR = "2025/26"
IN_YEAR = dt.datetime(2025, 6, 2, 10)


def complaint(
    *,
    locale: str = "en",
    opened: dt.datetime = IN_YEAR,
    responded: dt.datetime | None = None,
    outcome: str | None = "upheld",
    in_time: bool = True,
    resident: Any = None,
    **contact_values: Any,
) -> Any:
    """A stage 1 complaint opened on ``opened``, answered on ``responded`` (if given) with ``outcome``."""
    found = make_complaint(resident=resident, received_at=opened)
    Contact.update(locale=locale, **contact_values).where(Contact.id == found.contact_id).execute()
    if responded is not None:
        ComplaintResponse.create(
            complaint=found.id, stage=1, reasons="R.", next_steps="N.", issued_at=responded, outcome=outcome
        )
        # Timeliness is judged from the stage's own dates, as CH02 judges it: answered within two days of being
        # acknowledged, or (late) acknowledged eight weeks before the answer.
        acknowledged = max(opened, responded - dt.timedelta(days=2)) if in_time else responded - dt.timedelta(days=56)
        ComplaintStage.update(acknowledged_at=acknowledged, responded_at=responded).where(
            (ComplaintStage.complaint == found.id) & (ComplaintStage.number == 1)
        ).execute()
        # The respond clock starts at acknowledgement (not done here): made as it would be, and met.
        Clock.delete().where((Clock.complaint == found.id) & (Clock.kind == "respond")).execute()
        Clock.create(
            complaint=found.id,
            stage=1,
            kind="respond",
            status="met",
            breached=not in_time,
            met_at=responded,
            started_on=opened.date(),
            due_on=opened.date(),
            original_due_on=opened.date(),
        )
    return found


def figures(dimension: str, category: str, stage: int = 1) -> dict[str, int]:
    counted = count_breakdowns(parse_period(YEAR))[dimension][category]
    return {measure: counted[(stage, measure)] for measure in equality.MEASURES}


# --- The rule, on small tables ----------------------------------------------------------------------------------


def test_suppress_hides_every_figure_below_five() -> None:
    assert suppress({"a": 0, "b": 4, "c": 5, "d": 120}, []) == {"a", "b"}


def test_suppress_hides_a_second_part_so_a_lone_small_one_cannot_be_worked_out_from_the_total() -> None:
    values = {"total": 40, "a": 3, "b": 20, "c": 17}
    hidden = suppress(values, [Sum("total", ["a", "b", "c"])])
    # total - b - c would give a; hiding c, the smallest shown part, stops that.
    assert hidden == {"a", "c"}


def test_suppress_hides_more_when_the_hidden_parts_together_are_still_small() -> None:
    values = {"total": 40, "a": 1, "b": 2, "c": 30, "d": 7}
    hidden = suppress(values, [Sum("total", ["a", "b", "c", "d"])])
    # a + b = 3 could be worked out and is itself a small group: d is hidden as well.
    assert hidden == {"a", "b", "d"}


def test_suppress_hides_every_part_of_a_small_total() -> None:
    values = {"total": 4, "a": 0, "b": 4}
    assert suppress(values, [Sum("total", ["a", "b"])]) == {"total", "a", "b"}


def test_suppress_hides_a_part_when_a_total_is_hidden_to_protect_another_sum() -> None:
    # x (2) is small; hiding "total" protects it in "grand", and then total = a + b would give total away, so a goes.
    values = {"grand": 12, "total": 10, "x": 2, "a": 5, "b": 5}
    hidden = suppress(values, [Sum("grand", ["total", "x"]), Sum("total", ["a", "b"])])
    assert hidden == {"x", "total", "a"}


def test_suppress_follows_a_hidden_figure_through_every_sum_it_is_in() -> None:
    # A 2 x 2 table with row and column totals: hiding one cell must ripple to keep each row and column safe.
    values = {"r1": 12, "r2": 25, "c1": 10, "c2": 27, "a": 2, "b": 10, "c": 8, "d": 17, "all": 37}
    sums = [
        Sum("r1", ["a", "b"]),
        Sum("r2", ["c", "d"]),
        Sum("c1", ["a", "c"]),
        Sum("c2", ["b", "d"]),
        Sum("all", ["r1", "r2"]),
        Sum("all", ["c1", "c2"]),
    ]
    hidden = suppress(values, sums)
    assert {"a", "b", "c", "d"} <= hidden
    for tie in sums:
        members = [tie.total, *tie.parts]
        assert sum(member in hidden for member in members) != 1


def test_suppress_keeps_the_total_when_the_hidden_parts_come_to_five_or_more() -> None:
    values = {"total": 6, "a": 3, "b": 3}
    assert suppress(values, [Sum("total", ["a", "b"])]) == {"a", "b"}  # 3 + 3 = 6: neither can be told apart


def test_suppress_leaves_empty_groups_that_only_add_up_to_zero() -> None:
    # Groups with no complaints are hidden, but an empty group picks out nobody: no real figure is hidden to cover it.
    values = {"total": 12, "a": 0, "b": 0, "c": 12}
    assert suppress(values, [Sum("total", ["a", "b", "c"], groups=True)]) == {"a", "b"}


def test_suppress_protects_a_zero_inside_a_group() -> None:
    # Five answered, five in time: a late figure of 0 worked out from them would say none of the five was late.
    values = {"responded": 5, "in_time": 5, "late": 0}
    assert suppress(values, [Sum("responded", ["in_time", "late"])]) == {"in_time", "late"}


# --- Counting on hand-built complaints --------------------------------------------------------------------------


def test_count_breakdowns_counts_received_responses_outcomes_and_timeliness_by_language() -> None:
    complaint(locale="cy", responded=dt.datetime(2025, 6, 10, 9), outcome="upheld", in_time=True)
    complaint(locale="cy", responded=dt.datetime(2025, 6, 20, 9), outcome="not_upheld", in_time=False)
    complaint(locale="cy")
    complaint(locale="pl", responded=dt.datetime(2025, 7, 1, 9), outcome="resolved")
    complaint(locale="cy", opened=dt.datetime(2025, 3, 31, 12), responded=dt.datetime(2025, 4, 2, 9))
    complaint(locale="cy", opened=dt.datetime(2026, 4, 1, 9))  # after the year
    welsh = figures("language", "cy")
    assert (welsh["received"], welsh["responded"], welsh["in_time"], welsh["late"]) == (3, 3, 2, 1)
    assert (welsh["upheld"], welsh["not_upheld"], welsh["resolved"], welsh["no_outcome"]) == (2, 1, 0, 0)
    polish = figures("language", "pl")
    assert (polish["received"], polish["responded"], polish["resolved"]) == (1, 1, 1)


def test_count_breakdowns_takes_uk_dates_at_the_year_boundary() -> None:
    # 31 March 2026 23:30 UK time is still 2025/26; 1 April 2025 00:30 BST (23:30 UTC on 31 March) is in it too.
    complaint(opened=dt.datetime(2026, 3, 31, 22, 30))
    complaint(opened=dt.datetime(2025, 3, 31, 23, 30))
    complaint(opened=dt.datetime(2025, 3, 31, 22, 59))  # 23:59 BST on 31 March 2025: the year before
    assert figures("language", "en")["received"] == 2


def test_count_breakdowns_counts_a_stage_two_when_its_escalation_began() -> None:
    found = complaint(opened=dt.datetime(2025, 2, 1, 10))
    ComplaintStage.create(complaint=found.id, number=2, opened_at=dt.datetime(2025, 5, 1, 10), entry_route="escalated")
    assert figures("language", "en", stage=2)["received"] == 1
    assert figures("language", "en", stage=1)["received"] == 0


def test_count_breakdowns_groups_representatives_channels_and_vulnerabilities() -> None:
    complaint(representative_kind="advocate", vulnerabilities=["disability"])
    complaint(vulnerabilities=["disability", "older_person"])
    complaint(channel="phone", vulnerabilities=[])
    assert figures("representative", "advocate")["received"] == 1
    assert figures("representative", "none")["received"] == 2
    assert figures("vulnerability", "disability")["received"] == 1
    assert figures("vulnerability", "several")["received"] == 1
    assert figures("vulnerability", "none")["received"] == 1
    assert figures("channel", "phone")["received"] == 1


def test_count_breakdowns_uses_the_account_holders_answers_then_the_contacts() -> None:
    resident = make_user("resident")
    EqualityProfile.create(
        user=resident.id,
        sex="female",
        ethnic_group="black_african",
        consent_given_by="resident",
        consent_method="portal",
        consent_given_on=dt.date(2025, 5, 1),
    )
    complaint(resident=resident)
    complaint(resident=resident)
    other = complaint()
    EqualityProfile.create(
        contact=other.contact_id,
        sex="male",
        consent_given_by="resident",
        consent_method="verbal",
        consent_given_on=dt.date(2025, 5, 1),
    )
    complaint()
    assert figures("sex", "female")["received"] == 2
    assert figures("sex", "male")["received"] == 1
    assert figures("sex", "not_recorded")["received"] == 1
    assert figures("ethnic_group", "black")["received"] == 2  # reported under the Census heading
    assert figures("ethnic_group", "not_recorded")["received"] == 2


def test_every_dimensions_groups_add_up_to_the_same_total() -> None:
    complaint(locale="cy", representative_kind="mp", vulnerabilities=["bereavement"])
    complaint(responded=dt.datetime(2025, 7, 1, 9), channel="letter")
    counted = count_breakdowns(parse_period(YEAR))
    totals = {
        dimension: sum(groups[(1, "received")] for groups in counted[dimension].values()) for dimension in counted
    }
    assert set(totals.values()) == {2}
    assert set(counted) == set(equality.DIMENSIONS)


def test_every_group_is_listed_even_with_no_complaints() -> None:
    counted = count_breakdowns(parse_period(YEAR))
    assert list(counted["religion"]) == [*equality.categories("religion")]
    assert "not_recorded" in counted["religion"] and "prefer_not_to_say" in counted["religion"]


def test_responded_in_time_is_judged_as_ch02_judges_it() -> None:
    late = complaint(responded=dt.datetime(2025, 7, 1, 9), in_time=False)
    prompt = complaint(responded=dt.datetime(2025, 7, 1, 9), in_time=True)
    found = {
        row.complaint_id
        for row in ComplaintResponse.select(ComplaintResponse.complaint).where(responded_in_time(ComplaintResponse))
    }
    assert prompt.id in found and late.id not in found


# --- The report, as everyone outside this module sees it ----------------------------------------------------------


def test_equality_report_hides_small_figures_and_those_that_give_them_away() -> None:
    for _ in range(6):
        complaint(locale="en", responded=dt.datetime(2025, 7, 1, 9), outcome="upheld")
    for _ in range(2):
        complaint(locale="cy", responded=dt.datetime(2025, 7, 1, 9), outcome="upheld")
    report = equality_report(actor_of(make_staff()), parse_period(YEAR), ["language"])
    table = report.tables[0]
    rows = {row.category: row.stages[0].figures for row in table.rows}
    total = table.total.stages[0].figures
    assert rows["cy"]["received"] is None  # 2: below 5
    assert total["received"] == 8
    # The total (8) less Welsh would give English, and English less the total would give Welsh: English is hidden.
    assert rows["en"]["received"] is None
    assert all(value is None or value >= 5 for row in rows.values() for value in row.values())


def test_equality_report_shows_figures_of_five_or_more() -> None:
    for _ in range(5):
        complaint(locale="en")
    for _ in range(5):
        complaint(locale="cy")
    report = equality_report(actor_of(make_staff()), parse_period(YEAR), ["language"])
    rows = {row.category: row.stages[0].figures for row in report.tables[0].rows}
    assert (rows["en"]["received"], rows["cy"]["received"], report.tables[0].total.stages[0].figures["received"]) == (
        5,
        5,
        10,
    )


def test_equality_report_leaves_no_sum_that_gives_a_hidden_figure_away() -> None:
    for locale, count in (("en", 9), ("cy", 3), ("pl", 6)):
        for index in range(count):
            complaint(locale=locale, responded=dt.datetime(2025, 7, 1, 9), in_time=index % 3 != 0)
    counted = count_breakdowns(parse_period(YEAR))
    values, sums = equality._cells(counted)
    hidden = suppress(values, sums)
    for tie in sums:
        hidden_parts = [part for part in tie.parts if part in hidden]
        together = sum(values[part] for part in hidden_parts)
        if tie.total in hidden:
            assert hidden_parts or values[tie.total] == 0
        elif together:
            assert len(hidden_parts) >= 2 and together >= 5


def test_equality_report_refuses_anyone_but_staff() -> None:
    with pytest.raises(NotAllowed):
        equality_report(actor_of(make_user("resident")), parse_period(YEAR))


def test_in_time_rate_needs_both_figures_shown() -> None:
    shown = equality.StageFigures(1, {"in_time": 6, "responded": 8})
    hidden = equality.StageFigures(1, {"in_time": None, "responded": 8})
    assert shown.in_time_rate == 75.0 and hidden.in_time_rate is None


def test_contacts_that_are_not_complaints_are_not_counted() -> None:
    make_contact()
    assert figures("language", "en")["received"] == 0
