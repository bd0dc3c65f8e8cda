from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from core.middleware import drop_broken_connections
from notifications.worker import queue_state, worker_alive


@never_cache
def healthz(request):
    """Database reachability and the worker's state, for load balancers and `make run` checks.

    503 when the database is unreachable; 200 "degraded" when only the worker is down (reports are
    still accepted, their emails wait in the outbox).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        worker = {"alive": worker_alive(), **queue_state()}
    except DatabaseError:
        drop_broken_connections()
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
        return response
    status = "ok" if worker["alive"] else "degraded"
    return JsonResponse({"status": status, "database": "ok", "worker": worker})
