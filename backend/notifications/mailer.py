"""Send email over SMTP (plain, STARTTLS or TLS), or write it to a folder in development."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from backend.config import Settings
from backend.timeutil import utcnow


def build_message(
    settings: Settings, to: str, subject: str, text: str, html: str, unsubscribe_url: str | None = None
) -> EmailMessage:
    """Return a multipart message with a plain-text part and an HTML part."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    domain = settings.mail_from.rsplit("@", 1)[-1].strip("> ") or "learnloop.invalid"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@{domain}>"
    # Learnloop writes every message itself (RFC 3834): out-of-office replies leave it alone, and the
    # complaints mailbox never answers a machine, so no two can write to each other for ever.
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text_footer, html_footer = sign_off(settings)
    message.set_content(f"{text}\n\n-- \n{text_footer}")
    message.add_alternative(html.replace("</body>", f"{html_footer}</body>", 1), subtype="html")
    return message


def sign_off(settings: Settings) -> tuple[str, str]:
    """The footer every email ends with, as text and as HTML: the landlord's name and address, not the product's."""
    lines = [settings.landlord_name, *settings.landlord_address]
    text = "\n".join(line for line in lines if line)
    html = "<footer><p>" + "<br>".join(escape(line) for line in lines if line) + "</p></footer>"
    return text, html


def send_message(settings: Settings, message: EmailMessage) -> None:
    """Deliver ``message`` through ``settings.smtp_url``. Raises ``OSError``/``smtplib.SMTPException``."""
    url = urlparse(settings.smtp_url)
    if url.scheme == "file":
        folder = Path(url.path or url.netloc)
        if not folder.is_absolute():
            parts = folder.parts
            folder = (
                settings.instance_path.joinpath(*parts[1:]) if parts and parts[0] == "instance" else folder.resolve()
            )
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        (folder / name).write_bytes(bytes(message))
        return
    options = dict(parse_qsl(url.query))
    timeout = float(options.get("timeout", 20))
    host, port = url.hostname or "localhost", url.port
    context = ssl.create_default_context()
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port or 465, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, port or (587 if url.scheme == "smtp+starttls" else 25), timeout=timeout)
    with client:
        if url.scheme == "smtp+starttls":
            client.starttls(context=context)
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(message)
