"""Case samples: closed complaints drawn at random for a review, each entering the pack as a redacted draft.

A sample is drawn from the closed complaints of a period (a code of ``backend.reports.periods``), optionally only
some service areas, the stage they reached and the outcome of their last response. ``random`` draws from them all;
``stratified`` draws from each service area in proportion to its share (largest remainders first). The seed is
stored with the criteria, so the same draw can be shown again: the candidates are taken in id order and shuffled
with a generator seeded by it.

Never drawn: a complaint of any member of the panel (past members too), of anyone living in a member's home, or one a
member represented; a need-to-know (restricted) case; a case already in the review's pack. Each case drawn becomes
a draft item labelled "Case 1", "Case 2" ... (numbered on from the pack's cases), never by its reference.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from typing import Any

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints.models import Complaint, ComplaintResponse, Contact, ResponseOutcome
from backend.context import Actor
from backend.db import transaction
from backend.errors import gather
from backend.events.services import record_event
from backend.panels import packs
from backend.panels.access import visible_review
from backend.panels.models import CaseSample, ItemKind, PackItem, PanelMembership, SampleMethod, ScrutinyReview
from backend.reports.periods import parse_period
from backend.timeutil import utcnow

MAX_SIZE = 50
MAX_AREAS = 50
MAX_SEED = 64
MAX_STAGE = 5


def _members(panel_id: int) -> Any:
    """Everyone who is or was a member of the panel."""
    return PanelMembership.select(PanelMembership.person).where(PanelMembership.panel == panel_id)


def excluded(review: ScrutinyReview) -> Any:
    """SQL: the complaints never drawn for the review's panel (see the module's docstring)."""
    members = _members(review.panel_id)  # type: ignore[attr-defined]
    homes = User.select(User.home).where(User.id.in_(members), User.home.is_null(False))
    household = User.select(User.id).where(User.home.in_(homes))
    contacts = Contact.select(Contact.id).where(
        Contact.resident.in_(members)
        | Contact.resident.in_(household)
        | Contact.representative_user.in_(members)
        | Contact.home.in_(homes)
        | Contact.restricted_kind.is_null(False)
    )
    in_pack = PackItem.select(PackItem.complaint).where(PackItem.review == review.id, PackItem.complaint.is_null(False))
    return Complaint.select(Complaint.id).where(
        Complaint.resident.in_(members)
        | Complaint.resident.in_(household)
        | Complaint.home.in_(homes)
        | Complaint.contact.in_(contacts)
        | Complaint.id.in_(in_pack)
    )


def _last_outcome(outcome: str) -> Any:
    """SQL: complaints whose last stage's response had ``outcome``."""
    return ComplaintResponse.select(ComplaintResponse.complaint).where(
        ComplaintResponse.complaint == Complaint.id,
        ComplaintResponse.stage == Complaint.stage,
        ComplaintResponse.outcome == outcome,
    )


def candidates(review: ScrutinyReview, criteria: dict[str, Any]) -> list[tuple[int, int | None]]:
    """The (id, service area id) of every complaint the criteria match and the sample may draw, in id order."""
    period = parse_period(criteria["period"])
    query = Complaint.select(Complaint.id, Complaint.service_area).where(
        Complaint.status == "closed",
        Complaint.closed_at >= period.start,
        Complaint.closed_at < period.end,
        Complaint.id.not_in(excluded(review)),
    )
    if criteria.get("serviceAreaIds"):
        query = query.where(Complaint.service_area.in_(criteria["serviceAreaIds"]))
    if criteria.get("stage"):
        query = query.where(Complaint.stage == criteria["stage"])
    if criteria.get("outcome"):
        query = query.where(Complaint.id.in_(_last_outcome(criteria["outcome"])))
    return [(row.id, row.service_area_id) for row in query.order_by(Complaint.id)]  # type: ignore[attr-defined]


def draw(found: Sequence[tuple[int, int | None]], size: int, method: str, seed: str) -> list[int]:
    """The ids drawn from ``found`` (in id order): the same ``seed`` always draws the same ones."""
    generator = random.Random(seed)  # noqa: S311 - a repeatable draw, not a secret
    if method != SampleMethod.STRATIFIED or len(found) <= size:
        ids = [complaint_id for complaint_id, _area in found]
        return sorted(generator.sample(ids, min(size, len(ids))))
    groups: dict[int | None, list[int]] = {}
    for complaint_id, area in found:
        groups.setdefault(area, []).append(complaint_id)
    keys = sorted(groups, key=lambda key: (key is None, key or 0))
    shares = {key: size * len(groups[key]) / len(found) for key in keys}
    counts = {key: int(shares[key]) for key in keys}
    by_remainder = sorted(keys, key=lambda key: (-(shares[key] - counts[key]), keys.index(key)))
    for key in by_remainder[: size - sum(counts.values())]:
        counts[key] += 1
    drawn: list[int] = []
    for key in keys:
        drawn += generator.sample(groups[key], counts[key])
    return sorted(drawn)


def _criteria(
    problems: Any, period: str, service_area_ids: Sequence[int], stage: int | None, outcome: str | None
) -> dict[str, Any]:
    criteria: dict[str, Any] = {"period": (period or "").strip()}
    with problems.check():
        parse_period(criteria["period"])
    if len(service_area_ids) > MAX_AREAS:
        problems.add("service_area_ids", "too_many", maximum=MAX_AREAS)
    criteria["serviceAreaIds"] = sorted({int(area) for area in service_area_ids})[:MAX_AREAS]
    if stage is not None and not 1 <= stage <= MAX_STAGE:
        problems.add("stage", "out_of_range", minimum=1, maximum=MAX_STAGE)
    criteria["stage"] = stage
    if outcome and outcome not in ResponseOutcome.codes():
        problems.add("outcome", "unsupported")
    criteria["outcome"] = outcome or None
    return criteria


def draw_sample(
    actor: Actor,
    review_id: int,
    *,
    period: str,
    size: int,
    method: str = SampleMethod.RANDOM,
    service_area_ids: Sequence[int] = (),
    stage: int | None = None,
    outcome: str | None = None,
    seed: str = "",
) -> CaseSample:
    """Draw a sample of closed complaints for a review; each becomes a draft case item of its pack (staff).

    Fewer cases than ``size`` are drawn when fewer match (``drawn`` says how many); none is not an error. Raises
    NotAllowed, NotFound("ScrutinyReview"), Invalid (every problem at once: ``period`` invalid/reversed/too_long/
    too_early/future, ``size`` out_of_range, ``method`` unsupported, ``service_area_ids`` too_many, ``stage``
    out_of_range, ``outcome`` unsupported, ``seed`` too_long) or Conflict("pack_full").
    """
    packs.require_staff(actor, "sample")
    review = visible_review(actor, review_id)
    with gather() as problems:
        criteria = _criteria(problems, period, service_area_ids, stage, outcome)
        if not 1 <= size <= MAX_SIZE:
            problems.add("size", "out_of_range", minimum=1, maximum=MAX_SIZE)
        if method not in SampleMethod.codes():
            problems.add("method", "unsupported")
        seed = (seed or "").strip() or secrets.token_hex(16)
        if len(seed) > MAX_SEED:
            problems.add("seed", "too_long", maximum=MAX_SEED)
    chosen = draw(candidates(review, criteria), size, method, seed)
    with transaction():
        sample = CaseSample.create(
            review=review.id,
            method=method,
            criteria=criteria,
            size=size,
            drawn=len(chosen),
            seed=seed,
            drawn_by=actor.user_id,
            drawn_at=utcnow(),
        )
        number = PackItem.select().where(PackItem.review == review.id, PackItem.kind == ItemKind.CASE).count()
        for complaint_id in chosen:
            number += 1
            packs.add_case(actor, review.id, complaint_id, f"Case {number}", sample_id=sample.id)
        record_audit(
            actor,
            "case_sample.drawn",
            "case_sample",
            sample.id,
            {
                "review_id": {"before": None, "after": review.id},
                "criteria": {"before": None, "after": criteria},
                "drawn": {"before": None, "after": len(chosen)},
            },
        )
        record_event("panels.sample_drawn", {"sample_id": sample.id, "review_id": review.id, "drawn": len(chosen)})
    return sample
