import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from core.errors import DomainError
from reports.models import Comment, Outcome, Report, ReportEvent, Status, Support
from reports.services import report_support, support_confirm
from staff import services
from staff.models import Department, DigestEntry, ReportAssignment, StaffRole
from tests.factories import HAEUNDAE, UserFactory, make_report, photo_upload
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db


def test_new_report_notice_goes_to_the_routed_governments_staff_only(jongno_staff, haeundae_staff, jongno_expert, deliver_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(reporter_email="resident@example.kr", reporter=None)
        from reports.services import report_confirm
        report_confirm(token=report.confirmation_token)
    mailoutbox = deliver_mail()
    notices = [m for m in mailoutbox if jongno_staff.email in m.to]
    assert len(notices) == 1
    assert f"{report.pk}" in notices[0].subject and report.local_government.name in notices[0].subject
    assert f"/staff/reports/{report.pk}/" in notices[0].body
    assert not [m for m in mailoutbox if haeundae_staff.email in m.to or jongno_expert.email in m.to]


def test_unconfirmed_report_sends_no_staff_notice(jongno_staff, deliver_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_report(reporter_email="resident@example.kr", reporter=None)
    assert not [m for m in deliver_mail() if jongno_staff.email in m.to]


def test_digest_staff_get_one_email_from_the_command(deliver_mail, django_capture_on_commit_callbacks):
    digest_user = grant("11010", notify=StaffRole.Notify.DAILY_DIGEST, username="digest-officer")
    with django_capture_on_commit_callbacks(execute=True):
        first = make_report()
        second = make_report()
    mailoutbox = deliver_mail()
    assert not [m for m in mailoutbox if digest_user.email in m.to]
    assert DigestEntry.objects.filter(user=digest_user).count() == 2
    call_command("send_staff_digests", stdout=open("/dev/null", "w"))
    digests = [m for m in deliver_mail() if digest_user.email in m.to]
    assert len(digests) == 1
    assert f"#{first.pk}" in digests[0].body and f"#{second.pk}" in digests[0].body
    assert not DigestEntry.objects.exists()
    call_command("send_staff_digests", stdout=open("/dev/null", "w"))
    assert len([m for m in deliver_mail() if digest_user.email in m.to]) == 1


def test_status_change_emails_reporter_and_supporters_once_each(jongno_staff, deliver_mail, django_capture_on_commit_callbacks):
    reporter = UserFactory(email="reporter@example.kr")
    report = make_report(reporter=reporter)
    supporter = UserFactory(email="supporter@example.kr")
    report_support(report=report, user=supporter)
    report_support(report=report, email="walker@example.kr")
    report_support(report=report, email="REPORTER@example.kr")  # the reporter supporting too gets one email
    for support in Support.objects.filter(report=report, user__isnull=True):
        support_confirm(support_id=support.pk)
    report_support(report=report, email="stranger@example.kr")  # never confirmed: never emailed
    mailoutbox = deliver_mail()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.staff_change_status(report=report, actor=jongno_staff, to_status=Status.ACKNOWLEDGED, public_note="확인했습니다")
    assert event.actor_label == "종로구"
    deliver_mail()
    recipients = sorted(address.lower() for m in mailoutbox for address in m.to)
    assert recipients == ["reporter@example.kr", "supporter@example.kr", "walker@example.kr"]
    assert "확인했습니다" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_change_status(report=report, actor=jongno_staff, to_status=Status.CLOSED, outcome=Outcome.RESOLVED, public_note="고쳤습니다")
    assert len(deliver_mail()) == 7  # 3 + 3 status emails, and the reporter's rating link (ratings)
    assert [m.to for m in mailoutbox if "/ratings/" in m.body] == [["reporter@example.kr"]]
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.outcome == Outcome.RESOLVED


def test_official_update_is_public_and_emailed(jongno_staff, deliver_mail, django_capture_on_commit_callbacks):
    report = make_report(reporter=UserFactory(email="reporter@example.kr"))
    deliver_mail().clear()  # the staff notice of the new report
    with django_capture_on_commit_callbacks(execute=True):
        event = services.report_official_update(report=report, actor=jongno_staff, public_note="다음 주에 보수합니다")
    assert event.kind == ReportEvent.Kind.UPDATE and event.is_public
    assert [m.to for m in deliver_mail()] == [["reporter@example.kr"]]
    with pytest.raises(DomainError):
        services.report_official_update(report=report, actor=jongno_staff, public_note="<b></b>  ")


@pytest.mark.parametrize("action", ["status", "update", "assign", "reroute", "moderate"])
def test_staff_of_another_government_cannot_act(action, haeundae_staff, haeundae, jongno_staff):
    grant("21090", StaffRole.Role.MODERATOR, username="haeundae-moderator-x")
    outsider = haeundae_staff
    StaffRole.objects.create(user=outsider, local_government=haeundae, role=StaffRole.Role.MODERATOR)
    report = make_report()
    calls = {
        "status": lambda: services.staff_change_status(report=report, actor=outsider, to_status=Status.ACKNOWLEDGED),
        "update": lambda: services.report_official_update(report=report, actor=outsider, public_note="hi"),
        "assign": lambda: services.report_assign(report=report, actor=outsider, officer=jongno_staff),
        "reroute": lambda: services.staff_reroute(report=report, actor=outsider, to_government=haeundae, reason="ours"),
        "moderate": lambda: services.report_moderate(report=report, actor=outsider, action="hide_report", reason="spam"),
    }
    with pytest.raises(PermissionDenied):
        calls[action]()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and not report.is_hidden and report.local_government.code == "11010"
    assert not report.events.exclude(kind=ReportEvent.Kind.CREATED).exists()


def test_roles_split_powers(jongno_staff, jongno_moderator, jongno_expert):
    report = make_report()
    with pytest.raises(PermissionDenied):
        services.staff_change_status(report=report, actor=jongno_expert, to_status=Status.ACKNOWLEDGED)
    with pytest.raises(PermissionDenied):
        services.staff_change_status(report=report, actor=jongno_moderator, to_status=Status.ACKNOWLEDGED)
    with pytest.raises(PermissionDenied):
        services.report_moderate(report=report, actor=jongno_staff, action="hide_report", reason="spam")
    services.report_moderate(report=report, actor=jongno_moderator, action="hide_report", reason="spam")
    services.staff_change_status(report=report, actor=jongno_staff, to_status=Status.ACKNOWLEDGED)


def test_assign_to_department_and_officer_of_the_same_government(jongno_staff, jongno, haeundae):
    report = make_report()
    roads = Department.objects.create(local_government=jongno, name="도로과")
    elsewhere = Department.objects.create(local_government=haeundae, name="도로과")
    other_officer = grant("21090", username="haeundae-officer-2")
    with pytest.raises(DomainError):
        services.report_assign(report=report, actor=jongno_staff, department=elsewhere)
    with pytest.raises(DomainError):
        services.report_assign(report=report, actor=jongno_staff, officer=other_officer)
    assignment = services.report_assign(report=report, actor=jongno_staff, department=roads, officer=jongno_staff)
    assert ReportAssignment.objects.get(report=report) == assignment
    event = report.events.get(kind=ReportEvent.Kind.ASSIGNED)
    assert not event.is_public and event.data["department_name"] == "도로과"


def test_reroute_moves_the_report_and_tells_the_new_staff(jongno_staff, haeundae_staff, haeundae, deliver_mail, django_capture_on_commit_callbacks):
    report = make_report()
    services.report_assign(report=report, actor=jongno_staff, officer=jongno_staff)
    mailoutbox = deliver_mail()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.staff_reroute(report=report, actor=jongno_staff, to_government=haeundae, reason="해운대구 관할")
    assert event.data == {"from": "11010", "to": "21090"}
    report.refresh_from_db()
    assert report.local_government == haeundae
    assert not ReportAssignment.objects.filter(report=report).exists()
    assert [m.to for m in deliver_mail()] == [[haeundae_staff.email]]
    with pytest.raises(PermissionDenied):
        services.staff_change_status(report=report, actor=jongno_staff, to_status=Status.ACKNOWLEDGED)
    services.staff_change_status(report=report, actor=haeundae_staff, to_status=Status.ACKNOWLEDGED)


def test_moderation_hides_and_keeps_the_original_in_the_audit_trail(jongno_moderator):
    report = make_report(reporter_name="홍길동", show_name=True, photos=[photo_upload()])
    comment = Comment.objects.create(report=report, author_email="c@example.kr", text="욕설")
    photo = report.photos.get()

    event = services.report_moderate(report=report, actor=jongno_moderator, action="hide_name", reason="실명 노출")
    report.refresh_from_db()
    assert report.public_name == "" and event.data["original"]["show_name"] is True and not event.is_public

    event = services.report_moderate(report=report, actor=jongno_moderator, action="hide_comment", reason="욕설", comment=comment)
    comment.refresh_from_db()
    assert comment.is_hidden and event.data["original"]["text"] == "욕설"

    event = services.report_moderate(report=report, actor=jongno_moderator, action="remove_photo", reason="얼굴", photo=photo)
    photo.refresh_from_db()
    assert photo.is_hidden and event.data["original"]["image"] == photo.image.name

    services.report_moderate(report=report, actor=jongno_moderator, action="hide_report", reason="광고")
    assert not Report.objects.public().filter(pk=report.pk).exists()
    reasons = list(report.events.filter(kind=ReportEvent.Kind.MODERATED).values_list("reason", flat=True))
    assert reasons == ["실명 노출", "욕설", "얼굴", "광고"]

    with pytest.raises(DomainError):
        services.report_moderate(report=report, actor=jongno_moderator, action="hide_report", reason="  ")
    other = make_report(at=HAEUNDAE)
    foreign_comment = Comment.objects.create(report=other, author_email="c@example.kr", text="x")
    with pytest.raises(DomainError):
        services.report_moderate(report=report, actor=jongno_moderator, action="hide_comment", reason="x", comment=foreign_comment)
