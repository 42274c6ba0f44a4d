"""A stand-in for a mail server that refuses some addresses (the mail server is outside our code)."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingEmailBackend(EmailBackend):
    """The locmem backend, except that it raises for every address in `refused`."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            bad = set(message.to) & self.refused
            if bad:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(bad, (550, b"mailbox unavailable")))
        return super().send_messages(messages)
