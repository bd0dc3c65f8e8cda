"""Every kind of email the platform sends carries links that work: each is followed to a 200.

A link is opened by its recipient: signed in when the address belongs to an account (a staff
member opening the staff page), anonymous otherwise. Links point at SITE_URL, which `make run`
sets from its own port; here it is the test server's address.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.services import user_signup
from alerts.services import subscription_create
from notifications.emails import send_staff_digests
from reports.models import Status
from reports.services import report_confirm, report_support
from staff import services as staff_services
from staff.models import StaffRole
from tests.factories import CategoryFactory, make_report
from tests.staff.conftest import government, grant

pytestmark = pytest.mark.django_db
SITE = "http://dongne.test"
LINK = re.compile(r"https?://[^\s<>\"']+")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["dongne.test", "testserver"]


def _links(message) -> list[str]:
    return [link.rstrip(".,)") for link in LINK.findall(message.body) if link.startswith(SITE)]


def _open(link: str, to: str) -> int:
    client = Client(HTTP_HOST="dongne.test")
    user = get_user_model().objects.filter(email__iexact=to).first()
    if user is not None:
        client.force_login(user)
    parts = urlsplit(link)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), follow=True)
    return response.status_code


def _all_links_work(kind: str) -> int:
    messages = list(mail.outbox)
    assert messages, f"no {kind} email"
    opened = 0
    for message in messages:
        for link in _links(message):
            status = _open(link, message.to[0])
            assert status == 200, (kind, message.subject, link, status)
            opened += 1
    assert opened, f"the {kind} email has no link"
    mail.outbox.clear()
    return opened


def test_report_confirmation_and_its_private_link():
    make_report(reporter=None, reporter_email="walker@example.kr")
    _all_links_work("report confirmation")


def test_support_confirmation():
    report = make_report()
    mail.outbox.clear()
    report_support(report=report, email="metoo@example.kr")
    _all_links_work("support confirmation")


def test_account_confirmation():
    user_signup(username="linker", email="linker@example.kr", password="correct horse battery staple")
    _all_links_work("account confirmation")


def test_alert_confirmation_then_new_report_alert():
    subscription_create(email="alerts@example.kr", local_government=government("11010"), consent=True)
    _all_links_work("alert confirmation")
    make_report(reporter=None, reporter_email="someone@example.kr")
    mail.outbox.clear()  # the reporter's own confirmation: tested above
    report = make_report(category=CategoryFactory())
    assert report.local_government.code == "11010"
    _all_links_work("new report alert")


def test_staff_notice_status_update_and_official_update():
    staff = grant("11010", username="links-officer")
    report = make_report(reporter=None, reporter_email="reporter@example.kr")
    mail.outbox.clear()
    report_confirm(token=report.confirmation_token)
    assert any(staff.email in m.to for m in mail.outbox)
    _all_links_work("staff notice")
    staff_services.staff_change_status(report=report, actor=staff, to_status=Status.ACKNOWLEDGED, public_note="확인했습니다")
    _all_links_work("status update")
    staff_services.report_official_update(report=report, actor=staff, public_note="다음 주에 고칩니다")
    _all_links_work("official update")


def test_staff_digest():
    grant("11010", notify=StaffRole.Notify.DAILY_DIGEST, username="digest-officer")
    make_report()
    mail.outbox.clear()
    assert send_staff_digests() == 1
    _all_links_work("staff digest")


def test_password_reset(client):
    get_user_model().objects.create_user("forgetful", "forgetful@example.kr", "correct horse battery staple")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.kr"}, HTTP_HOST="dongne.test")
    _all_links_work("password reset")


def test_staff_invitation():
    administrator = grant("11010", StaffRole.Role.ADMINISTRATOR, username="links-admin")
    staff_services.staff_invitation_create(actor=administrator, government=government("11010"), email="new-officer@example.kr")
    _all_links_work("staff invitation")
