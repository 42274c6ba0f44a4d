"""procrastinate's own admin pages (its job table) are left out of the secretariat's admin: what a
person needs to know about mail, what was sent and what failed, is in *Sent messages*; the jobs are
the workers' business (`manage.py procrastinate` lists and retries them)."""

from django.contrib import admin
from procrastinate.contrib.django.models import ProcrastinateJob

if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)
