"""Accounts are no way around the limits: email confirmation, per-account limits, login lockout, throttles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmailConfirmation
from accounts.services import account_confirmation_token, user_signup
from core.errors import DomainError
from core.http import client_ip
from privacy.services import personal_data_purge
from reports.models import Comment, Report, Support
from reports.services import report_support
from reports.services_comments import comment_create
from tests.factories import UserFactory, make_report

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
SIGNUP = {"username": "newbie", "email": "Newbie@example.kr", "password1": "a-Long-pass-9911", "password2": "a-Long-pass-9911", "consent": "on"}


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/confirm/\S+/)", message.body).group(1)


def test_signup_emails_a_link_and_the_account_waits_until_it_is_opened(client, django_capture_on_commit_callbacks):
    # Filed by email before the account existed: it becomes the account's once the address is proven.
    earlier = make_report(reporter=None, reporter_email="newbie@example.kr")
    assert len(mail.outbox) == 1  # the report's own confirmation link, delivered before the sign-up
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newbie")
    assert [m.to for m in mail.outbox] == [["newbie@example.kr"]]
    link = _confirmation_link(mail.outbox[0])

    page = client.get(reverse("accounts:my-reports")).content.decode()
    assert "확인되지 않았습니다" in page or "not confirmed" in page
    form = client.get(reverse("mapping:report-new")).content.decode()
    assert "확인 링크" in form or "not confirmed" in form

    with django_capture_on_commit_callbacks(execute=True):
        waiting = make_report(reporter=user)
    assert waiting.confirmed_at is None and not Report.objects.public().filter(pk=waiting.pk).exists()
    assert len(mail.outbox) == 1  # no per-report email to an address nobody has proven yet
    other = make_report()
    assert report_support(report=other, user=user) is True
    other.refresh_from_db()
    assert other.support_count == 0
    assert Report.objects.get(pk=earlier.pk).reporter is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:my-reports")
    assert EmailConfirmation.objects.get(user=user).confirmed_at is not None
    assert Report.objects.public().filter(pk=waiting.pk).exists()
    other.refresh_from_db()
    assert other.support_count == 1
    assert Report.objects.get(pk=earlier.pk).reporter == user
    mine = client.get(reverse("accounts:my-reports")).content.decode()
    assert f"#{earlier.pk} " in mine and f"#{waiting.pk} " in mine
    assert client.get(link).status_code == 302  # twice is harmless
    assert make_report(reporter=user).confirmed_at is not None


def test_confirmation_links_that_are_forged_expired_or_for_another_address_are_refused(client, settings):
    user = user_signup(username="late", email="late@example.kr", password=PASSWORD)
    token = account_confirmation_token(user=user)
    response = client.get(reverse("accounts:confirm-email", args=[token[:-2] + "xx"]))
    assert response.status_code == 404 and "올바른 확인 링크가 아닙니다" in response.content.decode()
    settings.ACCOUNT_CONFIRMATION_DAYS = -1
    response = client.get(reverse("accounts:confirm-email", args=[token]))
    assert response.status_code == 404 and "만료" in response.content.decode()
    settings.ACCOUNT_CONFIRMATION_DAYS = 7
    get_user_model().objects.filter(pk=user.pk).update(email="changed@example.kr")
    assert client.get(reverse("accounts:confirm-email", args=[token])).status_code == 404
    assert EmailConfirmation.objects.get(user=user).confirmed_at is None


def test_the_link_can_be_sent_again_to_a_waiting_account(client, django_capture_on_commit_callbacks):
    user = user_signup(username="again", email="again@example.kr", password=PASSWORD)
    assert len(mail.outbox) == 1  # the sign-up's own link
    mail.outbox.clear()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:confirm-again"))
    assert [m.to for m in mail.outbox] == [["again@example.kr"]]
    assert client.get(_confirmation_link(mail.outbox[0])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:confirm-again"))
    assert len(mail.outbox) == 1  # nothing left to confirm


def test_an_account_files_at_most_its_hourly_reports(client, settings):
    settings.REPORTS_PER_ACCOUNT_PER_HOUR = 3
    user = UserFactory()
    for _ in range(3):
        make_report(reporter=user)
    with pytest.raises(DomainError) as exc:
        make_report(reporter=user)
    assert exc.value.code == "rate_limited" and exc.value.http_status == 429
    assert Report.objects.filter(reporter=user).count() == 3
    make_report(reporter=UserFactory())  # another account is not affected

    # The web form says so, in Korean, and saves nothing.
    client.force_login(user)
    page = client.get(reverse("mapping:report-new")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    category = Report.objects.filter(reporter=user).first().category
    response = client.post(reverse("mapping:report-new"), {
        "form_token": token, "category": category.code, "lon": "126.9768", "lat": "37.5759", "description": "또 있어요",
    })
    assert response.status_code == 400 and "너무 많은 신고" in response.content.decode()
    assert Report.objects.filter(reporter=user).count() == 3


def test_an_account_comments_and_supports_within_its_hourly_limits(settings):
    settings.COMMENTS_PER_ACCOUNT_PER_HOUR = 2
    settings.SUPPORTS_PER_ACCOUNT_PER_HOUR = 2
    user = UserFactory()
    report = make_report()
    comment_create(report=report, text="하나", author=user)
    comment_create(report=report, text="둘", author=user)
    with pytest.raises(DomainError) as exc:
        comment_create(report=report, text="셋", author=user)
    assert exc.value.code == "rate_limited"
    assert Comment.objects.filter(author=user).count() == 2
    reports = [make_report() for _ in range(3)]
    assert report_support(report=reports[0], user=user) and report_support(report=reports[1], user=user)
    with pytest.raises(DomainError) as exc:
        report_support(report=reports[2], user=user)
    assert exc.value.code == "rate_limited"
    reports[2].refresh_from_db()
    assert reports[2].support_count == 0 and not Support.objects.filter(report=reports[2]).exists()


def test_login_locks_out_after_repeated_failures_with_a_clear_page_and_429(client, settings):
    UserFactory(username="walker")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": "walker", "password": "wrong"}).status_code == 200
    response = client.post(url, {"username": "walker", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused now, with a page that says why and for how long.
    response = client.post(url, {"username": "walker", "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 429 and "로그인" in page and "30" in page
    assert int(response["Retry-After"]) == 30 * 60
    response = client.post(url, {"username": "walker", "password": PASSWORD}, HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of that account.
    other = client.post(url, {"username": "walker", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_login_lockout_reads_the_client_through_trusted_proxies(client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    UserFactory(username="walker")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "walker", "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    locked = client.post(url, {"username": "walker", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
    elsewhere = client.post(url, {"username": "walker", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert elsewhere.status_code == 302


def test_password_reset_is_throttled_per_address(client, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 3
    UserFactory(username="walker", email="walker@example.kr")
    url = reverse("accounts:password_reset")
    for _ in range(3):
        assert client.post(url, {"email": "walker@example.kr"}).status_code == 302
    response = client.post(url, {"email": "Walker@example.kr"})
    assert response.status_code == 429 and "너무 많" in response.content.decode()
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_client_address(client, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 2
    url = reverse("accounts:password_reset")
    assert client.post(url, {"email": "a@example.kr"}).status_code == 302
    assert client.post(url, {"email": "b@example.kr"}).status_code == 302
    assert client.post(url, {"email": "c@example.kr"}).status_code == 429
    assert client.post(url, {"email": "c@example.kr"}, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_signup_is_throttled_per_client_address_and_per_email(client, settings):
    settings.SIGNUPS_PER_IP_PER_HOUR = 2
    url = reverse("accounts:signup")
    for n in range(2):
        assert client.post(url, {**SIGNUP, "username": f"user{n}", "email": f"user{n}@example.kr"}).status_code == 302
        client.post(reverse("accounts:logout"))
    response = client.post(url, {**SIGNUP, "username": "user9", "email": "user9@example.kr"})
    assert response.status_code == 429 and "너무 많" in response.content.decode()
    assert not get_user_model().objects.filter(username="user9").exists()


@pytest.mark.parametrize(
    ("hops", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1", "10.0.0.1"),  # the header is ignored without trusted proxies
        (1, "198.51.100.7", "10.0.0.1", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "10.0.0.1", "198.51.100.7"),  # the client's own entry is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "10.0.0.1", "198.51.100.7"),
        (1, "", "10.0.0.1", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
        (1, "2001:db8::1", "10.0.0.1", "2001:db8::1"),
        (0, "", "", ""),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, hops, forwarded, remote, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_rate_limits_count_clients_behind_a_proxy_separately(client, settings):
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 1
    settings.TRUSTED_PROXY_HOPS = 1
    url = reverse("accounts:password_reset")
    assert client.post(url, {"email": "a@example.kr"}, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    assert client.post(url, {"email": "b@example.kr"}, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
    assert client.post(url, {"email": "c@example.kr"}, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_unconfirmed_supports_are_forgotten_after_a_week_and_were_never_counted():
    report = make_report()
    report_support(report=report, email="old@example.kr")
    report_support(report=report, email="new@example.kr")
    Support.objects.filter(email="old@example.kr").update(created_at=timezone.now() - timedelta(days=8))
    assert personal_data_purge()["unconfirmed_supports_deleted"] == 1
    assert list(Support.objects.values_list("email", flat=True)) == ["new@example.kr"]
    report.refresh_from_db()
    assert report.support_count == 0
