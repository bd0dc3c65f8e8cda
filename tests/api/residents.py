"""Acting for a resident in API tests, the two ways api.authentication allows, and schema paths.

    headers = app_acting_for(user)                       # an app's key and the grant the person gave it
    client.post(url, body, content_type="application/json", **headers)
    browser, token = site_session(user, "/proposals/")   # the site's own pages: session and CSRF token
"""

from __future__ import annotations

from itertools import count

from django.test import Client

from accounts.grants import Purpose, resident_grant_issue
from clients.models import ApiClient
from clients.services import api_client_create, api_key_create
from tests.api.openapi import openapi_schema

_apps = count(1)


def site_session(user, page: str) -> tuple[Client, str]:
    """A client signed in as the person, with the CSRF token the page set (as a browser has)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(page)
    return client, client.cookies["csrftoken"].value


def app_key(*, app: ApiClient | None = None, scopes=("read", "submit")) -> tuple[ApiClient, dict]:
    """An app (a new one unless given) and one of its keys, as test-client headers."""
    app = app or api_client_create(name=f"Resident app {next(_apps)}")
    _key, raw = api_key_create(client=app, scopes=list(scopes), rate_limit_per_minute=100_000)
    return app, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def grant_header(user, app: ApiClient, purposes=None, now=None) -> dict:
    grant = resident_grant_issue(user=user, client_id=app.pk, purposes=list(purposes or Purpose.values), now=now)
    return {"HTTP_X_DONGNE_RESIDENT": grant}


def app_acting_for(user, *, app: ApiClient | None = None, purposes=None, scopes=("read", "submit")) -> dict:
    """An app's key with the grant the person gave that app (every purpose unless named)."""
    app, headers = app_key(app=app, scopes=scopes)
    return {**headers, **grant_header(user, app, purposes)}


def assert_paths_in_schema(*paths: str) -> None:
    documented = openapi_schema()["paths"]
    missing = [path for path in paths if path not in documented]
    assert not missing, f"not in the OpenAPI schema: {missing}"
