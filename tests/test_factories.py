"""Every model has a factory, and each factory gives a saved row."""

from __future__ import annotations

from backend.models import ALL_MODELS
from tests import factories

FACTORY_FOR = {
    "Landlord": factories.make_landlord,
    "Home": factories.make_home,
    "User": factories.make_user,
    "UserRole": lambda: factories.make_user("staff").roles[0],
    "Representation": lambda: factories.make_representation(factories.make_user("advocate"), factories.make_user()),
    "UserSession": lambda: factories.make_session()[0],
    "SignInFailure": factories.make_sign_in_failure,
    "ApiToken": lambda: factories.make_token()[0],
    "AuditEvent": factories.make_audit_event,
    "OutboxEvent": factories.make_outbox_event,
    "Delivery": factories.make_delivery,
    "RateLimitWindow": factories.make_rate_limit_window,
}


def test_every_model_has_a_factory() -> None:
    assert {model.__name__ for model in ALL_MODELS} == set(FACTORY_FOR)


def test_each_factory_saves_a_row() -> None:
    for model in ALL_MODELS:
        row = FACTORY_FOR[model.__name__]()
        assert isinstance(row, model) and model.get_by_id(row.id) is not None
