"""The client's address, the one way: the sign-in lock-out and the API's rate limits key on it.

`X-Forwarded-For` is written by whoever sends the request, except for the entries that our own proxies
append. With `TRUSTED_PROXY_COUNT = N` (the proxies in front of the app, docs/deploy.md) the client is
the N-th address from the right of that header — the one our outermost proxy saw; anything to its left
was sent by the client and is ignored. With 0 (the default: the app faces the clients) the header is
ignored altogether and the address is the connection's.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through all of them; use the nearest.
        return forwarded[0] if forwarded else remote
    return forwarded[-count]
