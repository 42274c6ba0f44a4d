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


class FlakyEmailBackend(EmailBackend):
    """The locmem backend, except that the next `failures` sends fail as a mail server that is down."""

    failures = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
