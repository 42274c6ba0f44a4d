from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse


def healthz(request):
    """For a load balancer: 200 when the database answers and every migration is applied, else 503."""
    checks = {"database": False, "migrations": False}
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        executor = MigrationExecutor(connection)
        checks["migrations"] = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any failure is "unhealthy", reported, never a 500
        connections.close_all()
        return JsonResponse({"status": "unavailable", "checks": checks, "error": exc.__class__.__name__}, status=503)
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
