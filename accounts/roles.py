"""Who is who. Every permission check in the project starts from these few functions.

- secretariat: active staff users in the `Secretariat` group (or superusers);
- partner: users in the `Partners` group (API tokens are issued to them);
- focal point: users with an active FocalPoint row for one or more countries;
- everyone else, including anonymous visitors: the public.
"""

SECRETARIAT_GROUP = "Secretariat"
PARTNERS_GROUP = "Partners"


def _group_names(user) -> set[str]:
    # Cached on the user object: one query per request, however many checks a page makes.
    if not hasattr(user, "_gcm_group_names"):
        user._gcm_group_names = set(user.groups.values_list("name", flat=True))
    return user._gcm_group_names


def is_secretariat(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and SECRETARIAT_GROUP in _group_names(user))


def is_partner(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return PARTNERS_GROUP in _group_names(user)


def focal_country_ids(user) -> set[int]:
    """Ids of the countries this user actively serves as focal point for (empty for everyone else)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    if not hasattr(user, "_gcm_focal_country_ids"):
        from countries.models import FocalPoint

        user._gcm_focal_country_ids = set(
            FocalPoint.objects.filter(user=user, is_active=True).values_list("country_id", flat=True)
        )
    return user._gcm_focal_country_ids


def is_focal_point(user) -> bool:
    return bool(focal_country_ids(user))
