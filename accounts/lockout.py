"""What a locked-out visitor sees (django-axes calls this once the failure limit is reached)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
