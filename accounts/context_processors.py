from accounts import roles


def user_roles(request):
    """Lets templates show the links a user may follow (the views check again on the server)."""
    user = getattr(request, "user", None)
    return {
        "is_secretariat": roles.is_secretariat(user),
        "is_focal_point": roles.is_focal_point(user),
    }
