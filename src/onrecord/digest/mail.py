"""The briefing as an email (plain text with an HTML alternative), sent over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from onrecord.digest import render
from onrecord.digest.build import Briefing
from onrecord.digest.config import ConfigError, SMTPSettings
from onrecord.record import one_line


def message(b: Briefing, sender: str, recipients: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = one_line(b.subject)  # never a header built from a line-broken title
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(idstring=f"briefing-{b.day.isoformat()}")
    msg.set_content(render.text(b))
    msg.add_alternative(render.html(b), subtype="html")
    return msg


def send(msg: EmailMessage, smtp: SMTPSettings) -> None:
    """Send ``msg`` to ``smtp.recipients`` (STARTTLS or implicit TLS when configured)."""
    if not smtp.recipients:
        raise ConfigError("no recipients: set [smtp] to = [...] or ONRECORD_SMTP_TO")
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.ssl:
        client = smtplib.SMTP_SSL(smtp.host, smtp.real_port, timeout=smtp.timeout,
                                  context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.real_port, timeout=smtp.timeout)
    with client:
        if smtp.starttls and not smtp.ssl:
            client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(msg, from_addr=smtp.sender, to_addrs=smtp.recipients)
