"""Every model, in dependency order, for migrations, tests and the schema check."""

from backend.accounts.models import (
    ApiToken,
    Home,
    Landlord,
    Representation,
    SignInFailure,
    User,
    UserRole,
    UserSession,
)
from backend.audit.models import AuditEvent
from backend.events.models import Delivery, OutboxEvent
from backend.notifications.models import ChannelStatus, Letter, MessageTemplate, PortalMessage, Preference
from backend.ratelimit.models import RateLimitWindow
from backend.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyRule,
)

ALL_MODELS = [
    Landlord,
    Home,
    User,
    UserRole,
    Representation,
    UserSession,
    SignInFailure,
    ApiToken,
    AuditEvent,
    OutboxEvent,
    Delivery,
    RateLimitWindow,
    Survey,
    SurveyQuestion,
    SurveyRule,
    SurveyInvitation,
    SurveyResponse,
    SurveyAnswer,
    MessageTemplate,
    Preference,
    ChannelStatus,
    PortalMessage,
    Letter,
]
