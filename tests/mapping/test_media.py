"""Photos are served through a view that checks who may see them, in every environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import override_settings

from reports.models import Report, ReportPhoto
from reports.services import report_confirm
from staff.services import report_moderate
from tests.factories import HAEUNDAE, UserFactory, make_report, photo_upload
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people():
    """Of 종로구: staff, a moderator, an expert; of 해운대구: staff; and a resident."""
    return {
        "jongno_staff": grant("11010", "staff", username="media-staff"),
        "jongno_moderator": grant("11010", "moderator", username="media-moderator"),
        "jongno_expert": grant("11010", "expert", username="media-expert"),
        "haeundae_staff": grant("21090", "staff", username="media-busan"),
        "resident": UserFactory(username="media-resident"),
        "superuser": UserFactory(username="media-root", is_superuser=True, is_staff=True),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def seen_by(client, url: str, people: dict) -> set[str]:
    """Who gets the photo: "public" for an anonymous visitor, else the people's names."""
    seen = set()
    client.logout()
    if client.get(url).status_code == 200:
        seen.add("public")
    for name, user in people.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        if response.status_code == 200:
            seen.add(name)
    client.logout()
    return seen


STAFF_OF_JONGNO = {"jongno_staff", "jongno_moderator", "jongno_expert", "superuser"}
EVERYONE = {"public", "resident", "haeundae_staff"} | STAFF_OF_JONGNO


def test_a_public_photo_is_served_to_everyone_from_the_report_page_url(client, people):
    report = make_report(photos=[photo_upload()])
    photo = report.photos.get()
    page = client.get(f"/reports/{report.pk}/").content.decode()
    url = re.search(r'<img src="(/media/[^"]+)"', page).group(1)
    assert url == photo.image.url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert body(response) == Path(photo.image.path).read_bytes()
    assert response["Cache-Control"] == "no-cache" and response["X-Content-Type-Options"] == "nosniff"
    assert seen_by(client, url, people) == EVERYONE


def test_a_hidden_reports_photo_is_only_for_its_governments_staff_and_moderators(client, people):
    report = make_report(photos=[photo_upload()])
    url = report.photos.get().image.url
    report_moderate(report=report, actor=people["jongno_moderator"], action="hide_report", reason="개인정보")
    assert seen_by(client, url, people) == STAFF_OF_JONGNO
    client.force_login(people["jongno_staff"])
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    # The staff page of the report links the same URL, and it works for them.
    assert url in client.get(f"/staff/reports/{report.pk}/").content.decode()
    report_moderate(report=report, actor=people["jongno_moderator"], action="show_report", reason="복구")
    assert seen_by(client, url, people) == EVERYONE


def test_a_removed_photo_is_only_for_staff_and_the_other_photos_stay_public(client, people):
    report = make_report(photos=[photo_upload(), photo_upload("PNG", name="b.png")])
    removed, kept = report.photos.order_by("id")
    report_moderate(report=report, actor=people["jongno_moderator"], action="remove_photo", reason="얼굴", photo=removed)
    assert seen_by(client, removed.image.url, people) == STAFF_OF_JONGNO
    assert seen_by(client, kept.image.url, people) == EVERYONE
    assert removed.image.url not in client.get(f"/reports/{report.pk}/").content.decode()


def test_an_unconfirmed_reports_photo_waits_for_the_confirmation(client, people):
    report = make_report(photos=[photo_upload()], reporter=None, reporter_email="wait@example.kr")
    url = report.photos.get().image.url
    assert seen_by(client, url, people) == STAFF_OF_JONGNO
    report_confirm(token=report.confirmation_token)
    assert seen_by(client, url, people) == EVERYONE


def test_another_governments_report_is_not_theirs(client, people):
    report = make_report(at=HAEUNDAE, photos=[photo_upload()])
    url = report.photos.get().image.url
    report_moderate(report=report, actor=grant("21090", "moderator", username="busan-mod"), action="hide_report", reason="x")
    assert seen_by(client, url, people) == {"haeundae_staff", "superuser"}


def test_files_that_are_no_photo_of_a_report_are_never_served(client, people, settings):
    report = make_report(photos=[photo_upload()])
    photo = report.photos.get()
    stored = Path(photo.image.path)
    (Path(settings.MEDIA_ROOT) / "secret.txt").write_text("operator notes")
    (stored.parent / "stray.jpg").write_bytes(stored.read_bytes())
    client.force_login(people["superuser"])
    for url in ["/media/secret.txt", f"/media/reports/{report.pk}/stray.jpg", f"/media/reports/{report.pk}/../../secret.txt",
                "/media/reports/999999/x.jpg", "/media/", f"/media/reports/{report.pk}/"]:
        assert client.get(url).status_code == 404, url
    # A removed report (its rows deleted, e.g. by an administrator): its files are nobody's.
    Report.objects.filter(pk=report.pk).delete()
    assert stored.exists() and not ReportPhoto.objects.exists()
    assert client.get(photo.image.url).status_code == 404
    assert client.post(photo.image.url).status_code in (403, 405)


def test_behind_a_proxy_the_view_decides_and_the_proxy_sends(client, people):
    report = make_report(photos=[photo_upload()])
    photo = report.photos.get()
    with override_settings(MEDIA_ACCEL_REDIRECT_PREFIX="/protected-media/"):
        response = client.get(photo.image.url)
        assert response.status_code == 200 and body(response) == b""
        assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
        assert response["Content-Type"] == "image/jpeg"
        report_moderate(report=report, actor=people["jongno_moderator"], action="hide_report", reason="x")
        hidden = client.get(photo.image.url)
        assert hidden.status_code == 404 and "X-Accel-Redirect" not in hidden
        client.force_login(people["jongno_moderator"])
        assert client.get(photo.image.url)["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
