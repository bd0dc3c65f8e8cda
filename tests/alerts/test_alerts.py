import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from alerts.models import Subscription
from alerts.services import subscription_create
from core.errors import DomainError
from geodata.models import Area
from reports.models import Comment
from reports.services import report_confirm
from staff.services import report_moderate
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, make_report
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def area(code):
    return Area.objects.current().get(code=code)


def test_email_alert_is_confirmed_by_link_then_receives_new_reports(client, deliver_mail, django_capture_on_commit_callbacks):
    response = client.post(reverse("alerts:subscribe"), {"kind": "area", "local_government": "11010", "email": "Walker@Example.kr"})
    assert response.status_code == 400  # no consent
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alerts:subscribe"), {"kind": "area", "local_government": "11010", "email": "Walker@Example.kr", "consent": "on"})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "walker@example.kr" and subscription.confirmed_at is None
    mailoutbox = deliver_mail()
    assert [m.to for m in mailoutbox] == [["walker@example.kr"]]
    confirm_url = reverse("alerts:confirm", args=[subscription.token])
    assert confirm_url in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        make_report()
    assert len(deliver_mail()) == 1  # not confirmed yet: nothing sent

    assert client.get(confirm_url).status_code == 200
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(description="가로등 고장")
        make_report(at=HAEUNDAE)
    assert len(deliver_mail()) == 1
    message = mailoutbox[0]
    assert "가로등 고장" in message.body and f"/reports/{report.pk}/" in message.body
    unsubscribe = reverse("alerts:unsubscribe", args=[subscription.token])
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_radius_alert_matches_by_distance(deliver_mail, django_capture_on_commit_callbacks):
    user = grant("21090", username="not-staff-here")  # any account; roles are irrelevant
    near = subscription_create(user=user, lon=JONGNO[0] + 0.003, lat=JONGNO[1], radius_m=500)  # ~265 m away
    far = subscription_create(email="far@example.kr", lon=JONGNO[0] + 0.02, lat=JONGNO[1], radius_m=500, consent=True)
    Subscription.objects.filter(pk=far.pk).update(confirmed_at=near.confirmed_at)
    deliver_mail().clear()  # far's confirmation request
    with django_capture_on_commit_callbacks(execute=True):
        make_report()
    assert [m.to for m in deliver_mail()] == [[user.email]]


def test_unconfirmed_report_alerts_only_once_confirmed(deliver_mail, django_capture_on_commit_callbacks):
    subscription_create(user=grant("11010", username="alert-user"), local_government=area("11010"))
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(reporter=None, reporter_email="r@example.kr")
    assert not [m for m in deliver_mail() if "alert-user@example.kr" in m.to]
    with django_capture_on_commit_callbacks(execute=True):
        report_confirm(token=report.confirmation_token)
    # The account is both staff (notice) and subscriber (alert): two different emails.
    assert len([m for m in deliver_mail() if "alert-user@example.kr" in m.to]) == 2


def test_one_click_unsubscribe(client):
    subscription = subscription_create(email="w@example.kr", local_government=area("11010"), consent=True)
    url = reverse("alerts:unsubscribe", args=[subscription.token])
    assert client.get(url).status_code == 200
    assert Subscription.objects.exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # what mail clients send (RFC 8058), no CSRF token
    assert response.status_code == 200 and not Subscription.objects.exists()
    assert client.post(url).status_code == 200  # twice is harmless


def test_subscription_input_errors_are_clear():
    with pytest.raises(DomainError) as error:
        subscription_create(email="not-an-email", local_government=area("11010"), consent=True)
    assert error.value.code == "invalid_email"
    with pytest.raises(DomainError) as error:
        subscription_create(email="a@example.kr", lon=JONGNO[0], lat=JONGNO[1], radius_m=10_000_000, consent=True)
    assert error.value.code == "invalid_radius"
    with pytest.raises(DomainError):
        subscription_create(email="a@example.kr", lon="abc", lat=JONGNO[1], radius_m=500, consent=True)
    with pytest.raises(DomainError):
        subscription_create(email="a@example.kr", consent=True)
    assert not Subscription.objects.exists()


def _entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_area_feed_lists_public_reports_without_personal_data(client):
    moderator = grant("11010", "moderator", username="feed-moderator")
    shown = make_report(description="도로 파손", reporter_name="홍길동", reporter_email="secret@example.kr", reporter_phone="010-9999-0000", reporter=None)
    report_confirm(token=shown.confirmation_token)
    named = make_report(description="이름 공개", reporter_name="김공개", show_name=True)
    hidden = make_report(description="숨김")
    report_moderate(report=hidden, actor=moderator, action="hide_report", reason="spam")
    make_report(description="미확인", reporter=None, reporter_email="u@example.kr")
    make_report(at=HAEUNDAE, description="해운대")
    response = client.get(reverse("alerts:feed-area", args=["11010"]))
    entries = _entries(response)
    body = response.content.decode()
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(entries) == 2 and all(title.startswith(("#" + str(shown.pk), "#" + str(named.pk))) for title in titles)
    assert "도로 파손" in body and "김공개" in body
    for secret in ["홍길동", "secret@example.kr", "010-9999-0000", "숨김", "미확인", "해운대", "resident"]:
        assert secret not in body
    link = entries[-1].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/reports/{shown.pk}/")
    assert client.get(reverse("alerts:feed-area", args=["99999"])).status_code == 404


def test_province_feed_includes_its_municipalities(client):
    make_report()
    assert len(_entries(client.get(reverse("alerts:feed-area", args=["11"])))) == 1


def test_near_feed(client):
    category = CategoryFactory()
    inside = make_report(category=category)
    make_report(category=category, at=(JONGNO[0] + 0.05, JONGNO[1]))
    url = reverse("alerts:feed-near")
    entries = _entries(client.get(url, {"lat": JONGNO[1], "lon": JONGNO[0], "radius": 300}))
    assert [entry.find(f"{ATOM}title").text.split()[0] for entry in entries] == [f"#{inside.pk}"]
    for bad in [{"lat": "x", "lon": "1"}, {"lat": "37", "lon": "127", "radius": "-5"}, {"lat": "95", "lon": "127"}, {}]:
        response = client.get(url, bad)
        assert response.status_code == 400 and response.content


def test_comment_on_a_public_report(client):
    report = make_report()
    url = reverse("alerts:comment", args=[report.pk])
    response = client.post(url, {"text": "저도 봤어요 <script>x</script>", "email": "c@example.kr"})
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/#comments")
    comment = Comment.objects.get()
    assert comment.text == "저도 봤어요 x" and comment.author_email == "c@example.kr"
    client.post(url, {"text": "", "email": "c@example.kr"})
    client.post(url, {"text": "hi", "email": "not-email"})
    assert Comment.objects.count() == 1
    hidden = make_report(reporter=None, reporter_email="u@example.kr")
    assert client.post(reverse("alerts:comment", args=[hidden.pk]), {"text": "x", "email": "c@example.kr"}).status_code == 404


@override_settings(RATE_LIMITS={"comment": (2, 3600), "subscription": (1, 3600)})
def test_comments_and_subscriptions_are_rate_limited(client):
    report = make_report()
    url = reverse("alerts:comment", args=[report.pk])
    for n in range(4):
        client.post(url, {"text": f"comment {n}", "email": f"c{n}@example.kr"})
    assert Comment.objects.count() == 2  # per client address
    client.post(reverse("alerts:subscribe"), {"kind": "area", "local_government": "11010", "email": "a@example.kr", "consent": "on"})
    response = client.post(reverse("alerts:subscribe"), {"kind": "area", "local_government": "11010", "email": "b@example.kr", "consent": "on"})
    assert response.status_code == 400 and Subscription.objects.count() == 1
