"""API clients and keys: shown once and stored hashed, scopes, revocation, rate limits, CORS, idempotency."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from clients.models import ApiClient, ApiKey, IdempotencyRecord
from clients.services import api_client_create, api_key_create, api_key_revoke
from geodata.models import Area
from reports.models import Report
from tests.factories import JONGNO, CategoryFactory


def make_key(name="App", scopes=("read", "submit"), **kwargs):
    client = api_client_create(name=name, origins=kwargs.pop("origins", None))
    return api_key_create(client=client, scopes=list(scopes), **kwargs)


def report_fields(raw_key: str, category, **extra) -> dict:
    return {"api_key": raw_key, "service_code": category.code, "lat": JONGNO[1], "long": JONGNO[0], "description": "가로등이 꺼졌어요", **extra}


@pytest.mark.django_db
def test_key_is_shown_once_and_stored_as_sha256():
    key, raw = make_key()
    assert raw.startswith("dn_") and len(raw) > 40
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.hashed_key == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ApiKey.objects.values()), default=str)
    assert stored.prefix == raw[:12]


@pytest.mark.django_db
def test_unknown_scope_and_duplicate_name_refused():
    with pytest.raises(ValueError):
        make_key(scopes=("read", "admin"))
    api_client_create(name="Twice")
    with pytest.raises(ValueError):
        api_client_create(name="Twice")


@pytest.mark.django_db
def test_create_api_client_command_prints_the_key_alone_on_the_last_line():
    out = io.StringIO()
    call_command("create_api_client", "--name", "Dongne app", "--scopes", "read,submit", "--contact", "dev@example.kr",
                 "--origins", "https://app.example.kr,https://m.example.kr", stdout=out)
    last_line = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Dongne app")
    assert client.origin_list() == ["https://app.example.kr", "https://m.example.kr"] and client.contact == "dev@example.kr"
    key = client.keys.get()
    assert key.scopes == ["read", "submit"]
    assert hashlib.sha256(last_line.encode()).hexdigest() == key.hashed_key
    with pytest.raises(CommandError):
        call_command("create_api_client", "--name", "Bad", "--scopes", "everything", stdout=io.StringIO())
    assert not ApiClient.objects.filter(name="Bad").exists()


@pytest.mark.django_db
def test_a_client_of_a_local_government():
    call_command("create_api_client", "--name", "Jongno staff app", "--scopes", "read,staff", "--local-government", "11010",
                 stdout=io.StringIO())
    assert ApiClient.objects.get(name="Jongno staff app").local_government.code == "11010"
    with pytest.raises(CommandError):
        call_command("create_api_client", "--name", "Nowhere app", "--local-government", "99999", stdout=io.StringIO())
    district = Area.objects.current().get(code="31011")  # 수원시장안구: a district of a city, not a local government
    with pytest.raises(ValueError):
        api_client_create(name="District app", local_government=district)
    assert not ApiClient.objects.filter(name__in=["Nowhere app", "District app"]).exists()


@pytest.mark.django_db
def test_revoking_works_on_the_next_request(client):
    category = CategoryFactory()
    key, raw = make_key()
    assert client.post("/open311/v2/requests.json", report_fields(raw, category)).status_code == 200
    api_key_revoke(key=key)
    assert client.post("/open311/v2/requests.json", report_fields(raw, category)).status_code == 403
    assert client.get("/api/v1/reports/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_rate_limit_per_key_answers_429_with_retry_after(client):
    key, raw = make_key(rate_limit_per_minute=3)
    for _ in range(3):
        assert client.get("/api/v1/categories/", HTTP_X_API_KEY=raw).status_code == 200
    response = client.get("/api/v1/categories/", HTTP_X_API_KEY=raw)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"
    response = client.get("/open311/v2/services.json", {"api_key": raw})  # the same key, the same window
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert json.loads(response.content)[0]["code"] == 429
    # Other keys and keyless reads are unaffected.
    _other, other_raw = make_key(name="Other")
    assert client.get("/api/v1/categories/", HTTP_X_API_KEY=other_raw).status_code == 200
    assert client.get("/api/v1/categories/").status_code == 200


@pytest.mark.django_db
def test_cors_allows_only_registered_origins(client):
    make_key(origins=["https://app.example.kr"])
    allowed = client.get("/api/v1/categories/", HTTP_ORIGIN="https://app.example.kr")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.kr"
    other = client.get("/api/v1/categories/", HTTP_ORIGIN="https://evil.example.com")
    assert not other.has_header("Access-Control-Allow-Origin")
    preflight = client.options(
        "/open311/v2/requests.json", HTTP_ORIGIN="https://app.example.kr", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://app.example.kr"
    ApiClient.objects.update(is_active=False)
    assert not client.get("/api/v1/categories/", HTTP_ORIGIN="https://app.example.kr").has_header("Access-Control-Allow-Origin")


@pytest.mark.django_db
def test_idempotency_replays_and_refuses_a_different_payload(client):
    category = CategoryFactory()
    _key, raw = make_key()
    fields = report_fields(raw, category)
    first = client.post("/open311/v2/requests.json", fields, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/open311/v2/requests.json", fields, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    changed = client.post("/open311/v2/requests.json", {**fields, "description": "다른 내용"}, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert changed.status_code == 422 and json.loads(changed.content)[0]["error_code"] == "idempotency_key_reused"
    # A failed request does not use the key up: the corrected retry goes through.
    bad = client.post("/open311/v2/requests.json", {**fields, "lat": "x"}, HTTP_IDEMPOTENCY_KEY="abc-2")
    assert bad.status_code == 400
    assert client.post("/open311/v2/requests.json", fields, HTTP_IDEMPOTENCY_KEY="abc-2").status_code == 200
    assert Report.objects.count() == 2 and IdempotencyRecord.objects.count() == 2


@pytest.mark.parametrize("channel", ["open311", "rest"])
def test_ten_concurrent_identical_requests_create_one_report(transactional_db, live_server, channel):
    category = CategoryFactory()
    _key, raw = make_key()
    if channel == "open311":
        url = f"{live_server.url}/open311/v2/requests.json"
        body = urllib.parse.urlencode(report_fields(raw, category)).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        url = f"{live_server.url}/api/v1/reports/"
        body = json.dumps({"category": category.code, "lat": JONGNO[1], "lon": JONGNO[0], "description": "동시에"}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {raw}"}
    headers["Idempotency-Key"] = f"same-{channel}"
    results: list[tuple[int, bytes]] = []
    barrier = threading.Barrier(10)

    def send():
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                results.append((response.status, response.read()))
        except urllib.error.HTTPError as exc:
            results.append((exc.code, exc.read()))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Report.objects.count() == 1, results[:2]
    statuses = [status for status, _body in results]
    assert len(statuses) == 10 and all(status in (200, 201, 409) for status in statuses), results
    successes = {body for status, body in results if status in (200, 201)}
    assert len(successes) == 1  # every success is the same (replayed) answer
