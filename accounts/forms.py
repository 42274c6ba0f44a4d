import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from accounts.models import Profile
from core import queue


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves: language and reminder e-mails."""

    class Meta:
        model = Profile
        fields = ["preferred_language", "receive_digests"]


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, except that the e-mail is queued and sent by a worker, never in the request.

    The worker makes the token itself (notifications.password_reset), so the queue never holds a
    sign-in link; the request answers at once whatever the mail server does.
    """

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        queue.defer_after_commit(
            "notifications.password_reset",
            user_id=context["user"].pk,
            domain=context["domain"],
            protocol=context["protocol"],
            site_name=context["site_name"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            subject_template=subject_template_name,
            email_template=email_template_name,
            request_key=uuid.uuid4().hex,
        )
