"""Text messages through a provider. Development and tests use a folder; a provider for a real
gateway implements :class:`SmsProvider` and is chosen by ``LEARNLOOP_SMS_URL``."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

from backend.config import Settings
from backend.timeutil import utcnow


class SmsProvider(Protocol):
    def send(self, to: str, text: str) -> str:
        """Send ``text`` to the number ``to``; return the provider's message id. Raise OSError to retry."""


class FileSmsProvider:
    """Writes each message to a file, one per message, in a folder that can be read."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, to: str, text: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        message_id = uuid.uuid4().hex
        (self.folder / f"{utcnow():%Y%m%dT%H%M%S}-{message_id[:8]}.txt").write_text(f"To: {to}\n\n{text}\n")
        return message_id


def provider_for(settings: Settings) -> SmsProvider:
    url = urlparse(settings.sms_url)
    if url.scheme == "file":
        folder = Path(url.path or url.netloc)
        if not folder.is_absolute():
            parts = folder.parts
            folder = settings.instance_path.joinpath(*parts[1:]) if parts and parts[0] == "instance" else folder
        return FileSmsProvider(folder)
    raise ValueError(f"no SMS provider for {url.scheme!r}")
