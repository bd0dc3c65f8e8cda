"""The residents' web map through Django's test client, on real PostGIS."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail

from reports.models import Question, Report, Status
from reports.services import report_change_status
from tests.factories import (
    HAEUNDAE,
    JONGNO,
    SEA_EAST_OF_ULSAN,
    CategoryFactory,
    QuestionFactory,
    UserFactory,
    make_report,
    photo_upload,
)
from tests.reports.test_photos import exif_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pothole():
    question = QuestionFactory(
        code="size", datatype=Question.Datatype.SINGLEVALUELIST, required=True,
        category__code="pothole", category__name="포트홀", category__name_en="Pothole",
        description="크기는?", description_en="How big?",
        values=[{"key": "small", "name": "작음", "name_en": "Small"}, {"key": "large", "name": "큼", "name_en": "Large"}],
    )
    return question.category


def form_token(client) -> str:
    response = client.get("/reports/new/")
    return re.search(r'name="form_token" value="([0-9a-f-]+)"', response.content.decode()).group(1)


def report_post(client, chosen, **overrides) -> dict:
    data = {
        "form_token": form_token(client), "lon": JONGNO[0], "lat": JONGNO[1], "category": chosen.code,
        "description": "도로에 구멍이 났어요", f"answer-{chosen.code}-size": "large",
        "email": "resident@example.kr", "consent": "on", "name": "홍길동",
    }
    data.update(overrides)
    return data


# --- pages -------------------------------------------------------------------------------


def test_home_page_shows_filters_and_the_list(client, pothole):
    make_report(category=pothole, answers={"size": "small"})
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="filter-category"' in html and 'for="filter-status"' in html
    assert 'id="report-list"' in html and "서울특별시 종로구" in html
    assert "tile.openstreetmap.org" not in html  # the tests' basemap is empty: no internet
    assert 'href="#main"' in html


def test_english_is_selectable(client, pothole):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/reports/new/").content.decode()
    assert '<html lang="en">' in html and "How big?" in html


def test_report_form_renders_inputs_per_datatype(client):
    category = CategoryFactory(code="everything")
    values = [{"key": "a", "name": "가"}, {"key": "b", "name": "나"}]
    for code, datatype in [("s", "string"), ("n", "number"), ("d", "datetime"), ("t", "text"), ("one", "singlevaluelist"), ("many", "multivaluelist")]:
        QuestionFactory(category=category, code=code, datatype=datatype, values=values, required=(code == "one"))
    html = client.get("/reports/new/").content.decode()
    assert 'type="text" name="answer-everything-s"' in html
    assert 'type="number" step="any" name="answer-everything-n"' in html
    assert 'type="datetime-local" name="answer-everything-d"' in html
    assert '<textarea name="answer-everything-t"' in html
    assert 'type="radio" name="answer-everything-one"' in html
    assert 'type="checkbox" name="answer-everything-many"' in html
    assert 'name="consent"' in html and 'name="show_name"' in html


# --- filing -------------------------------------------------------------------------------


def test_email_report_waits_for_the_link_then_is_public(client, pothole, deliver_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/new/", report_post(client, pothole, photos=[photo_upload()]))
    assert response.status_code == 302 and response.url == "/reports/sent/"
    report = Report.objects.get()
    assert report.confirmed_at is None and report.answers == {"size": "large"} and report.photos.count() == 1
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    link = re.search(r"/reports/confirm/[0-9a-f-]+/", deliver_mail()[0].body).group(0)
    assert client.get(link).url == f"/reports/{report.pk}/"
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.get(f"/reports/confirm/{uuid.uuid4()}/").status_code == 404


def test_signed_in_report_is_public_at_once(client, pothole):
    client.force_login(UserFactory())
    data = report_post(client, pothole, email="", consent="")
    response = client.post("/reports/new/", data)
    report = Report.objects.get()
    assert response.url == f"/reports/{report.pk}/"
    assert report.confirmed_at is not None and report.channel == "web"


def test_double_submit_creates_one_report(client, pothole):
    client.force_login(UserFactory())
    data = report_post(client, pothole)
    first = client.post("/reports/new/", data)
    second = client.post("/reports/new/", data)
    assert Report.objects.count() == 1
    assert first.url == second.url == f"/reports/{Report.objects.get().pk}/"


def test_unknown_form_token_is_refused(client, pothole):
    data = report_post(client, pothole, form_token=str(uuid.uuid4()))
    response = client.post("/reports/new/", data)
    assert response.status_code == 400 and Report.objects.count() == 0
    assert "expired" in response.content.decode() or "만료" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "expect"),
    [
        ({"lon": "", "lat": ""}, 'id="error-summary"'),
        ({"lon": SEA_EAST_OF_ULSAN[0], "lat": SEA_EAST_OF_ULSAN[1]}, "service area"),
        ({"description": ""}, "Describe the problem"),
        ({"description": "가" * 4001}, 'id="error-summary"'),
        ({"answer-pothole-size": ""}, "This question needs an answer"),
        ({"answer-pothole-size": "huge"}, "Choose one of"),
        ({"email": ""}, "email"),
        ({"email": "not-an-email"}, 'id="error-summary"'),
        ({"consent": ""}, "Agree to the collection"),
        ({"category": "no-such"}, 'id="error-summary"'),
        ({"lon": "abc"}, 'id="error-summary"'),
    ],
    ids=["no-pin", "outside", "no-description", "too-long", "missing-answer", "bad-answer", "no-email", "bad-email", "no-consent", "bad-category", "bad-lon"],
)
def test_mistakes_are_shown_on_the_form_and_nothing_saved(client, pothole, settings, overrides, expect):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/reports/new/", report_post(client, pothole, **overrides))
    assert response.status_code == 400
    assert expect in response.content.decode()
    assert Report.objects.count() == 0


def test_a_bad_photo_is_shown_in_korean_and_nothing_saved(client, pothole):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not a photo", content_type="image/jpeg")
    response = client.post("/reports/new/", report_post(client, pothole, photos=[fake]))
    html = response.content.decode()
    assert response.status_code == 400 and Report.objects.count() == 0
    assert 'id="error-summary"' in html and "사진 1" in html


def test_the_form_keeps_its_token_after_an_error(client, pothole):
    data = report_post(client, pothole, description="")
    response = client.post("/reports/new/", data)
    assert f'value="{data["form_token"]}"' in response.content.decode()
    data["description"] = "<b>고쳐</b> 주세요"
    assert client.post("/reports/new/", data).status_code == 302
    assert Report.objects.get().description == "고쳐 주세요"


# --- the report page --------------------------------------------------------------------------


def test_report_page_shows_the_public_record_but_not_the_reporter(client, pothole):
    user = UserFactory(email="secret-person@example.kr", first_name="비밀", last_name="김")
    report = make_report(category=pothole, answers={"size": "large"}, reporter=user, reporter_phone="010-1234-5678", reporter_name="김비밀")
    report_change_status(report=report, to_status=Status.ACKNOWLEDGED, actor_label="종로구", public_note="현장 확인 예정")
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "포트홀" in html and "큼" in html and "종로구" in html and "현장 확인 예정" in html
    assert 'href="/areas/11010/"' in html
    for private in ["secret-person@example.kr", "010-1234-5678", "김비밀", "비밀"]:
        assert private not in html
    report.show_name = True
    report.save(update_fields=["show_name"])
    assert "김비밀" in client.get(f"/reports/{report.pk}/").content.decode()


def test_email_reporters_address_never_shown(client, pothole):
    report = make_report(category=pothole, answers={"size": "small"}, reporter_email="hidden@example.kr", reporter_name="숨은이")
    Report.objects.filter(pk=report.pk).update(confirmed_at=report.created_at)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "hidden@example.kr" not in html and "숨은이" not in html


def test_hidden_and_unknown_reports_are_not_found(client):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(is_hidden=True)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get("/reports/999999/").status_code == 404


def test_me_too_once_per_person(client, django_capture_on_commit_callbacks):
    report = make_report()
    url = f"/reports/{report.pk}/support/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "a@example.kr"})
    client.post(url, {"email": "A@example.kr"})
    client.post(url, {"email": "not an email"})
    report.refresh_from_db()
    assert report.support_count == 0  # an email-only support counts once its link is opened
    link = re.search(r"https?://[^/]+(/reports/supports/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["a@example.kr"]
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/#support")
    client.get(link)  # twice is harmless
    report.refresh_from_db()
    assert report.support_count == 1
    assert client.get("/reports/supports/confirm/forged:token/").status_code == 404
    client.force_login(UserFactory())
    client.post(url)
    report.refresh_from_db()
    assert report.support_count == 2
    assert client.get(url).status_code == 405


def test_reporter_reopens_a_closed_report(client):
    reporter = UserFactory()
    report = make_report(reporter=reporter)
    report_change_status(report=report, to_status=Status.CLOSED, outcome="resolved")
    url = f"/reports/{report.pk}/reopen/"
    assert client.post(url, {"reason": "아직이요"}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url, {"reason": "아직이요"}).status_code == 403
    assert f"/reports/{report.pk}/reopen/" not in client.get(f"/reports/{report.pk}/").content.decode()
    client.force_login(reporter)
    assert f"/reports/{report.pk}/reopen/" in client.get(f"/reports/{report.pk}/").content.decode()
    client.post(url, {"reason": ""})
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    client.post(url, {"reason": "아직 그대로예요"})
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert "아직 그대로예요" in client.get(f"/reports/{report.pk}/").content.decode()


# --- local governments --------------------------------------------------------------------------


def test_area_index_lists_every_local_government(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        html = client.get("/areas/").content.decode()
    codes = set(re.findall(r'href="/areas/(\d+)/"', html))
    assert len(codes) == 243
    assert "31010" in codes and "31013" not in codes  # Suwon is the government, not its districts


def test_area_page_counts_leave_out_samples(client, django_assert_max_num_queries):
    category = CategoryFactory()
    make_report(category=category)
    overdue = make_report(category=category)
    Report.objects.filter(pk=overdue.pk).update(due_at=overdue.created_at.replace(year=2020))
    make_report(category=category, is_sample=True)
    make_report(category=category, at=HAEUNDAE)
    with django_assert_max_num_queries(10):
        response = client.get("/areas/11010/")
    html = response.content.decode()
    assert re.search(r'id="open-count">2<', html) and re.search(r'id="overdue-count">1<', html)
    assert "/exports/reports.geojson?local_government=11010" in html and "/exports/reports.csv?local_government=11010" in html
    assert html.count('class="report-item"') == 3
    assert client.get("/areas/31013/").status_code == 404
    assert client.get("/areas/99999/").status_code == 404


# --- JSON endpoints ---------------------------------------------------------------------------


def test_map_json_aggregates_when_zoomed_out(client, django_assert_max_num_queries):
    category = CategoryFactory()
    for _ in range(3):
        make_report(category=category, at=JONGNO)
    make_report(category=category, at=HAEUNDAE)
    with django_assert_max_num_queries(3):
        data = client.get("/map/reports.json", {"bbox": "124,33,132,39", "zoom": 7}).json()
    assert data["mode"] == "grid"
    assert sorted(cell["count"] for cell in data["features"]) == [1, 3]
    seoul = next(cell for cell in data["features"] if cell["count"] == 3)
    assert seoul["lon"] == pytest.approx(JONGNO[0], abs=1e-5) and seoul["lat"] == pytest.approx(JONGNO[1], abs=1e-5)
    assert len(data["list"]) == 4


def test_map_json_points_when_zoomed_in_with_filters(client, django_assert_max_num_queries):
    pothole = CategoryFactory(code="pothole")
    other = CategoryFactory()
    closed = make_report(category=pothole)
    report_change_status(report=closed, to_status=Status.CLOSED, outcome="resolved")
    open_one = make_report(category=pothole)
    make_report(category=other)
    make_report(category=pothole, at=HAEUNDAE)
    make_report(category=pothole, reporter_email="unconfirmed@example.kr")
    params = {"bbox": "126.9,37.5,127.1,37.7", "zoom": 15, "category": "pothole", "status": "open"}
    with django_assert_max_num_queries(3):
        data = client.get("/map/reports.json", params).json()
    assert data["mode"] == "points" and not data["truncated"]
    assert [p["id"] for p in data["features"]] == [open_one.pk]
    assert set(data["features"][0]) == {"id", "category", "status", "lon", "lat", "category_name", "created_at", "address"}
    assert [item["id"] for item in data["list"]] == [open_one.pk]


def test_map_json_caps_points(client, monkeypatch):
    from mapping import selectors

    monkeypatch.setattr(selectors, "MAX_POINTS", 2)
    category = CategoryFactory()
    for _ in range(3):
        make_report(category=category)
    data = client.get("/map/reports.json", {"bbox": "126.9,37.5,127.1,37.7", "zoom": 16}).json()
    assert len(data["features"]) == 2 and data["truncated"] is True


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"status": "nope"}, {"zoom": "x"}])
def test_map_json_bad_parameters_are_400(client, params):
    response = client.get("/map/reports.json", params)
    assert response.status_code == 400 and response.json()["error"]["message"]


def test_place_search(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        data = client.get("/map/places.json", {"q": "청운효자동"}).json()
    place = data["results"][0]
    assert place["name"] == "청운효자동" and place["local_government"] == "종로구"
    assert client.get("/map/places.json", {"q": ""}).json() == {"results": []}


def test_nearby_open_reports_of_the_category(client, django_assert_max_num_queries):
    pothole = CategoryFactory(code="pothole")
    near = make_report(category=pothole, at=(JONGNO[0] + 0.001, JONGNO[1]))  # ~90 m east
    make_report(category=pothole, at=(JONGNO[0] + 0.01, JONGNO[1]))  # ~900 m: too far
    make_report(category=CategoryFactory(), at=JONGNO)  # another kind
    params = {"lon": JONGNO[0], "lat": JONGNO[1], "category": "pothole"}
    client.get("/map/nearby.json", params)  # the first reads the category (kept by the process) and PostGIS's version
    # The categories' revision number, and the reports.
    with django_assert_max_num_queries(2):
        data = client.get("/map/nearby.json", params).json()
    assert [r["id"] for r in data["results"]] == [near.pk]
    assert 60 < data["results"][0]["distance_m"] < 120
    assert client.get("/map/nearby.json", {"lon": "x", "lat": "1"}).status_code == 400


def test_photo_location_reads_gps_and_stores_nothing(client, tmp_path):
    data = client.post("/map/photo-location", {"photo": photo_upload(exif=exif_with_gps())}).json()
    assert data["location"] == {"lon": pytest.approx(126.976667, abs=1e-5), "lat": pytest.approx(37.575833, abs=1e-5)}
    assert client.post("/map/photo-location", {"photo": photo_upload()}).json() == {"location": None}
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post("/map/photo-location", {"photo": SimpleUploadedFile("x.jpg", b"text")})
    assert bad.status_code == 400
    assert client.post("/map/photo-location").status_code == 400
    assert not any(tmp_path.rglob("*.jpg"))
