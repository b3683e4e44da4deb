"""Cursors are sealed: they hide the sort values they carry, and a changed or made-up one is BAD_CURSOR."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

import pytest

from schema.engine.cursor import CursorCodec, CursorError
from tests import factories
from tests.conftest import Browser

INVITATIONS = "query($after: String) { surveyInvitations(first: 1, after: $after) { edges { cursor } nodes { id } } }"


def readable(cursor: str) -> str:
    """What anyone can read from a cursor without the key."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


@pytest.fixture
def resident_with_invitations(signed_in) -> list[dt.datetime]:
    resident = signed_in("resident")
    survey = factories.make_survey()
    made = [factories.make_survey_invitation(survey, user=resident) for _ in range(2)]
    return [invitation.due_at for invitation in made]


def test_cursor_does_not_reveal_a_field_the_viewer_cannot_see(resident_with_invitations, browser: Browser) -> None:
    data = browser.graphql(INVITATIONS).json["data"]["surveyInvitations"]
    cursor = data["edges"][0]["cursor"]
    text = readable(cursor)
    assert "dueAt" not in text and "SurveyInvitation" not in text
    assert all(due.isoformat()[:16] not in text for due in resident_with_invitations)
    # The due time is hidden from residents, and so it stays.
    assert (
        "Cannot query field"
        in browser.graphql("{ surveyInvitations { nodes { dueAt } } }").json["errors"][0]["message"]
    )


def test_sealed_cursor_still_pages_through_the_list(resident_with_invitations, browser: Browser) -> None:
    first = browser.graphql(INVITATIONS).json["data"]["surveyInvitations"]
    second = browser.graphql(INVITATIONS, {"after": first["edges"][0]["cursor"]}).json["data"]["surveyInvitations"]
    assert len(second["nodes"]) == 1 and second["nodes"] != first["nodes"]


def test_tampered_cursor_is_bad_cursor(resident_with_invitations, browser: Browser) -> None:
    cursor = browser.graphql(INVITATIONS).json["data"]["surveyInvitations"]["edges"][0]["cursor"]
    flipped = cursor[:40] + ("A" if cursor[40] != "A" else "B") + cursor[41:]
    response = browser.graphql(INVITATIONS, {"after": flipped})
    assert response.json["errors"][0]["extensions"]["code"] == "BAD_CURSOR"


@pytest.mark.parametrize(
    "values",
    [
        [[1, 2], 4],
        [{"dt": ["2026-01-01"]}, 4],
        [{"dt": "not a time"}, 4],
        [{"d": "2026-01-01", "x": 1}, 4],
    ],
)
def test_cursor_in_the_old_unsealed_shape_is_bad_cursor(resident_with_invitations, browser: Browser, values) -> None:
    raw = json.dumps(["SurveyInvitation", "-dueAt,id", values]).encode()
    crafted = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = browser.graphql(INVITATIONS, {"after": crafted})
    assert response.status_code == 200
    assert response.json["errors"][0]["extensions"]["code"] == "BAD_CURSOR"


@pytest.mark.parametrize(
    "values",
    [[[1, 2], 4], [{"dt": ["x"]}, 4], [{"dt": "not a time"}, 4], [{"d": "2026-01-01", "x": 1}, 4], [{}, 4]],
)
def test_codec_refuses_sort_values_a_cursor_never_holds(values) -> None:
    codec = CursorCodec("k" * 32)
    raw = json.dumps(["SurveyInvitation", "-dueAt,id", values]).encode()
    sealed = base64.urlsafe_b64encode(codec._siv.encrypt(raw, [b"learnloop.cursor"])).decode()
    with pytest.raises(CursorError):
        codec.decode(sealed, "SurveyInvitation", "-dueAt,id", 2)


def test_codec_round_trips_dates_and_times() -> None:
    codec = CursorCodec("k" * 32)
    values = [dt.datetime(2026, 3, 2, 12, 0, 10), dt.date(2026, 3, 2), "text", 4, 1.5, None, True]
    assert codec.decode(codec.encode("R", "o", values), "R", "o", len(values)) == values


def test_codec_refuses_a_cursor_sealed_with_another_key() -> None:
    cursor = CursorCodec("k" * 32).encode("R", "o", [1])
    with pytest.raises(CursorError):
        CursorCodec("j" * 32).decode(cursor, "R", "o", 1)


def test_codec_gives_one_row_the_same_cursor_every_time() -> None:
    codec = CursorCodec("k" * 32)
    assert codec.encode("R", "o", [1, "a"]) == codec.encode("R", "o", [1, "a"]) != codec.encode("R", "o", [2, "a"])


@pytest.mark.parametrize("cursor", ["", "é" * 10, "x" * 5000, "gAAAAA", "a", "===="])
def test_codec_refuses_garbage(cursor: str) -> None:
    with pytest.raises(CursorError):
        CursorCodec("k" * 32).decode(cursor, "R", "o", 1)
