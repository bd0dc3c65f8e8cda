import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import PrivacyConsent, RateLimitHit
from accounts.ratelimit import rate_limit_hit
from alerts.models import Subscription
from alerts.services import subscription_create
from geodata.models import Area
from reports.models import Comment, Report, Status, Support
from reports.services import report_support
from tests.factories import UserFactory, make_report

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_signup_needs_consent_and_records_it(client):
    data = {"username": "newbie", "email": "newbie@example.kr", "password1": "a-Long-pass-9911", "password2": "a-Long-pass-9911"}
    response = client.get(reverse("accounts:signup"))
    assert "1095" in response.content.decode()  # the notice says how long data is kept
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 400 and not get_user_model().objects.filter(username="newbie").exists()
    response = client.post(reverse("accounts:signup"), {**data, "consent": "on"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newbie")
    assert PrivacyConsent.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:my-reports")).status_code == 200


def test_login_logout_and_password_reset_by_email(client, deliver_mail):
    user = UserFactory(username="walker", email="walker@example.kr")
    response = client.post(reverse("accounts:login"), {"username": "walker", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:my-reports")
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:my-reports")).status_code == 302

    client.post(reverse("accounts:password_reset"), {"email": "walker@example.kr"})
    mailoutbox = deliver_mail()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Brand-new-pass-77", "new_password2": "Brand-new-pass-77"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-77")


def test_my_reports_and_subscriptions_are_my_own(client):
    me = UserFactory()
    mine = make_report(reporter=me)
    theirs = make_report()
    subscription_create(user=me, local_government=Area.objects.current().get(code="11010"))
    subscription_create(user=UserFactory(), local_government=Area.objects.current().get(code="21090"))
    client.force_login(me)
    reports = [r.pk for r in client.get(reverse("accounts:my-reports")).context["page"]]
    assert reports == [mine.pk] and theirs.pk not in reports
    body = client.get(reverse("accounts:my-subscriptions")).content.decode()
    assert "종로구" in body and "해운대구" not in body


def test_account_deletion_anonymises_and_keeps_reports(client):
    me = UserFactory(email="me@example.kr")
    report = make_report(reporter=me, reporter_phone="010-1111-2222", reporter_name="홍길동", show_name=True)
    other = make_report()
    report_support(report=other, user=me)
    Comment.objects.create(report=other, author=me, author_email="me@example.kr", author_name="홍길동", text="저도요")
    subscription_create(user=me, local_government=Area.objects.current().get(code="11010"))
    client.force_login(me)
    assert client.post(reverse("accounts:delete"), {"password": "wrong"}).status_code == 400
    assert client.post(reverse("accounts:delete"), {"password": PASSWORD}).status_code == 200
    assert not get_user_model().objects.filter(pk=me.pk).exists()
    report.refresh_from_db()
    assert (report.reporter_id, report.reporter_email, report.reporter_phone, report.reporter_name, report.show_name) == (None, "", "", "", False)
    comment = Comment.objects.get()
    assert comment.text == "저도요" and (comment.author_email, comment.author_name) == ("", "")
    other.refresh_from_db()
    assert other.support_count == 0 and not Support.objects.exists()
    assert not Subscription.objects.exists()


def test_privacy_page(client):
    korean = client.get(reverse("accounts:privacy"))
    assert korean.status_code == 200 and "개인정보 보호법" in korean.content.decode()
    english = client.get(reverse("accounts:privacy"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Personal Information Protection Act" in english.content.decode()


def test_purge_personal_data(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    now = timezone.now()
    old = make_report(reporter_email="old@example.kr", reporter=None, reporter_phone="010-0000-0000")
    Report.objects.filter(pk=old.pk).update(confirmed_at=now, status=Status.CLOSED, outcome="resolved", closed_at=now - timedelta(days=31))
    report_support_email = Support.objects.create(report=old, email="walker@example.kr")
    recent = make_report(reporter_email="recent@example.kr", reporter=None)
    Report.objects.filter(pk=recent.pk).update(confirmed_at=now, status=Status.CLOSED, outcome="resolved", closed_at=now - timedelta(days=5))
    stale = make_report(reporter_email="stale@example.kr", reporter=None)
    Report.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=8))
    fresh = make_report(reporter_email="fresh@example.kr", reporter=None)
    area = Area.objects.current().get(code="11010")
    stale_sub = subscription_create(email="s@example.kr", local_government=area, consent=True)
    Subscription.objects.filter(pk=stale_sub.pk).update(created_at=now - timedelta(days=8))
    kept_sub = subscription_create(email="k@example.kr", local_government=area, consent=True)

    call_command("purge_personal_data", stdout=open("/dev/null", "w"))

    old.refresh_from_db()
    assert (old.reporter_email, old.reporter_phone) == ("", "")
    assert not Support.objects.filter(pk=report_support_email.pk).exists()
    recent.refresh_from_db()
    assert recent.reporter_email == "recent@example.kr"
    assert not Report.objects.filter(pk=stale.pk).exists() and Report.objects.filter(pk=fresh.pk).exists()
    assert list(Subscription.objects.values_list("pk", flat=True)) == [kept_sub.pk]


def test_rate_limit_counts_per_scope_and_key_and_forgets_after_the_window():
    hits = [rate_limit_hit(scope="comment", key="ip:10.0.0.1", limit=3, window_seconds=60) for _ in range(5)]
    assert hits == [False, False, False, True, True]
    assert rate_limit_hit(scope="comment", key="ip:10.0.0.2", limit=3, window_seconds=60) is False
    assert rate_limit_hit(scope="support", key="ip:10.0.0.1", limit=3, window_seconds=60) is False
    assert RateLimitHit.objects.count() == 5  # refused actions are not counted
    assert not RateLimitHit.objects.filter(key_hash__contains="10.0.0.1").exists()
    RateLimitHit.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert rate_limit_hit(scope="comment", key="ip:10.0.0.1", limit=3, window_seconds=60) is False
