"""Read-only API requests read from the replica when one is configured; everything else from the primary."""

from django.test import RequestFactory, override_settings

from ops.db_router import ReadOnlyApiMiddleware, ReplicaRouter
from roadmaps.models import Action

DATABASES_WITH_REPLICA = {"default": {}, "replica": {}}


def _database_used_for(method: str, path: str) -> dict:
    seen = {}
    router = ReplicaRouter()

    def view(request):
        seen["read"] = router.db_for_read(Action)
        seen["write"] = router.db_for_write(Action)
        return None

    ReadOnlyApiMiddleware(view)(RequestFactory().generic(method, path))
    return seen


@override_settings(DATABASES=DATABASES_WITH_REPLICA)
def test_api_get_reads_from_the_replica_and_writes_to_the_primary():
    assert _database_used_for("GET", "/api/v1/actions/") == {"read": "replica", "write": "default"}


@override_settings(DATABASES=DATABASES_WITH_REPLICA)
def test_api_post_and_pages_use_the_primary():
    assert _database_used_for("POST", "/api/v1/actions/1/progress-updates/") == {"read": "default", "write": "default"}
    assert _database_used_for("GET", "/en/my/") == {"read": "default", "write": "default"}


def test_without_a_replica_everything_uses_the_primary():
    assert _database_used_for("GET", "/api/v1/actions/") == {"read": "default", "write": "default"}
