"""The groups that carry roles, with exactly the permissions each needs. Kept in step by migrate."""

from django.contrib.auth.models import Group, Permission

from accounts.roles import PARTNERS_GROUP, SECRETARIAT_GROUP

# The secretariat manages everything in the tracker, but not users' passwords or Django internals:
# it views, creates and changes users (to assign focal points) and manages API tokens.
SECRETARIAT_MODELS = {
    "countries": ["country", "focalpoint"],
    "gcm": ["objective", "guidingprinciple", "organization", "forum"],
    "roadmaps": [
        "theme",
        "roadmap",
        "action",
        "progressupdate",
        "countryprogress",
        "reportingcycle",
        "indicator",
        "indicatorcountrytarget",
        "indicatorvalue",
    ],
    "accounts": ["profile"],
    "authtoken": ["tokenproxy"],
}
# add_user: the secretariat creates focal points' accounts, without a password (the admin's form
# for them has none; the owner sets it through the password reset).
SECRETARIAT_EXTRA = [("auth", "view_user"), ("auth", "add_user"), ("auth", "change_user")]
# Optional apps add their models here when they exist (practices, notifications, regional).
OPTIONAL_MODELS = {
    "practices": ["goodpractice"],
    "notifications": ["sentmessage"],
    "regional": ["notrelatedpair"],
}


def secretariat_permissions():
    wanted = []
    for app_label, models in {**SECRETARIAT_MODELS, **OPTIONAL_MODELS}.items():
        for model in models:
            for verb in ("view", "add", "change", "delete"):
                wanted.append((app_label, f"{verb}_{model}"))
    wanted += SECRETARIAT_EXTRA
    perms = Permission.objects.filter(content_type__app_label__in={a for a, _ in wanted})
    by_key = {(p.content_type.app_label, p.codename): p for p in perms.select_related("content_type")}
    return [by_key[key] for key in wanted if key in by_key]


def ensure_groups(**kwargs) -> None:
    secretariat, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    secretariat.permissions.set(secretariat_permissions())
    Group.objects.get_or_create(name=PARTNERS_GROUP)
