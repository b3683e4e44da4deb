"""The privacy domain's tables, defined in the modules that use them (``holds``)."""

from backend.privacy.holds import ErasedRecord, LegalHold

__all__ = ["ErasedRecord", "LegalHold"]
