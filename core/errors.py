"""Errors that services raise and that every interface (form, API, admin) turns into a message.

Services also raise Django's own `PermissionDenied` (refused: 403) and `ValidationError` (bad input:
400, with field messages).
"""


class ConflictError(Exception):
    """Someone else changed the record since the caller read it (optimistic locking)."""

    def __init__(self, message: str, *, current=None):
        super().__init__(message)
        self.current = current


class InvalidStateError(Exception):
    """The requested change is not allowed from the record's current state (e.g. re-approving)."""
