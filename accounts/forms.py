from django import forms

from accounts.models import Profile


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves: language and reminder e-mails."""

    class Meta:
        model = Profile
        fields = ["preferred_language", "receive_digests"]
