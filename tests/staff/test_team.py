"""Government administrators run their own team: invitations by email, roles, saved replies."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.errors import DomainError, ErrorCode
from staff import services
from staff.models import ReplyTemplate, StaffInvitation, StaffRole
from tests.factories import UserFactory
from tests.staff.conftest import grant

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def jongno_admin(db):
    return grant("11010", Role.ADMINISTRATOR, username="jongno-admin", email="admin@jongno.go.kr")


def test_invitation_is_emailed_and_accepted_by_the_invited_address(jongno_admin, jongno, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://dongne.example"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.staff_invitation_create(actor=jongno_admin, government=jongno, email=" New.Officer@Jongno.go.kr ", role=Role.STAFF)
    assert invitation.email == "new.officer@jongno.go.kr"
    assert [m.to for m in mailoutbox] == [["new.officer@jongno.go.kr"]]
    assert f"https://dongne.example/staff/invitations/{invitation.token}/" in mailoutbox[0].body
    assert "종로구" in mailoutbox[0].subject

    stranger = UserFactory(email="someone@example.kr")
    with pytest.raises(DomainError) as refused:
        services.staff_invitation_accept(token=invitation.token, user=stranger)
    assert refused.value.code == ErrorCode.INVITATION_EMAIL_MISMATCH
    assert not StaffRole.objects.filter(user=stranger).exists()

    officer = UserFactory(email="NEW.OFFICER@jongno.go.kr")
    role = services.staff_invitation_accept(token=invitation.token, user=officer)
    assert (role.user, role.local_government, role.role) == (officer, jongno, Role.STAFF)
    with pytest.raises(DomainError) as used:
        services.staff_invitation_accept(token=invitation.token, user=officer)
    assert used.value.code == ErrorCode.INVITATION_INVALID


def test_expired_invitation_gives_no_role(jongno_admin, jongno):
    invitation = services.staff_invitation_create(actor=jongno_admin, government=jongno, email="late@example.kr")
    StaffInvitation.objects.filter(pk=invitation.pk).update(created_at=invitation.created_at - timedelta(days=StaffInvitation.VALID_DAYS + 1))
    with pytest.raises(DomainError):
        services.staff_invitation_accept(token=invitation.token, user=UserFactory(email="late@example.kr"))
    assert not StaffRole.objects.filter(user__email="late@example.kr").exists()


def test_only_the_governments_administrators_invite_and_set_roles(jongno_admin, jongno_staff, jongno, haeundae):
    with pytest.raises(PermissionDenied):
        services.staff_invitation_create(actor=jongno_staff, government=jongno, email="x@example.kr")
    with pytest.raises(PermissionDenied):
        services.staff_invitation_create(actor=jongno_admin, government=haeundae, email="x@example.kr")
    with pytest.raises(PermissionDenied):
        services.staff_role_set(actor=jongno_admin, government=haeundae, user=jongno_staff, roles={Role.STAFF})
    with pytest.raises(DomainError) as bad:
        services.staff_invitation_create(actor=jongno_admin, government=jongno, email="not an address")
    assert bad.value.fields["email"]
    with pytest.raises(DomainError):
        services.staff_invitation_create(actor=jongno_admin, government=jongno, email="x@example.kr", role="mayor")
    assert not StaffInvitation.objects.exists()


def test_roles_are_set_exactly_and_the_last_administrator_stays(jongno_admin, jongno_staff, jongno):
    services.staff_role_set(actor=jongno_admin, government=jongno, user=jongno_staff, roles={Role.STAFF, Role.MODERATOR})
    assert set(StaffRole.objects.filter(user=jongno_staff).values_list("role", flat=True)) == {Role.STAFF, Role.MODERATOR}
    services.staff_role_set(actor=jongno_admin, government=jongno, user=jongno_staff, roles=set())
    assert not StaffRole.objects.filter(user=jongno_staff).exists()
    with pytest.raises(DomainError) as last:
        services.staff_role_set(actor=jongno_admin, government=jongno, user=jongno_admin, roles={Role.STAFF})
    assert last.value.code == ErrorCode.LAST_ADMINISTRATOR
    assert set(StaffRole.objects.filter(user=jongno_admin).values_list("role", flat=True)) == {Role.ADMINISTRATOR}


def test_superuser_names_an_administrator_directly_or_by_invitation(jongno, mailoutbox, django_capture_on_commit_callbacks):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    existing = UserFactory(email="chief@jongno.go.kr")
    role = services.staff_administrator_grant(actor=root, government=jongno, email="Chief@jongno.go.kr")
    assert (role.user, role.role) == (existing, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.staff_administrator_grant(actor=root, government=jongno, email="deputy@jongno.go.kr")
    assert isinstance(invitation, StaffInvitation) and invitation.role == Role.ADMINISTRATOR
    assert [m.to for m in mailoutbox] == [["deputy@jongno.go.kr"]]
    with pytest.raises(PermissionDenied):
        services.staff_administrator_grant(actor=existing, government=jongno, email="x@example.kr")


def test_reply_templates_per_government(jongno_admin, jongno):
    template = services.reply_template_create(actor=jongno_admin, government=jongno, title="접수", text="접수했습니다. 곧 확인하겠습니다.")
    with pytest.raises(DomainError) as duplicate:
        services.reply_template_create(actor=jongno_admin, government=jongno, title="접수", text="다른 문구")
    assert duplicate.value.fields["title"]
    with pytest.raises(DomainError) as empty:
        services.reply_template_create(actor=jongno_admin, government=jongno, title=" ", text="")
    assert set(empty.value.fields) == {"title", "text"}
    services.reply_template_delete(actor=jongno_admin, template=template)
    assert not ReplyTemplate.objects.exists()


# --- screens ----------------------------------------------------------------------------------------


def test_team_page_invites_sets_roles_and_keeps_replies(client, jongno_admin, jongno_staff, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(jongno_admin)
    url = reverse("staff:team")
    body = client.get(url).content.decode()
    assert "jongno-officer" in body and "종로구" in body

    response = client.post(url, {"action": "invite", "government": "11010", "email": "bad", "role": "staff"})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "invite", "government": "11010", "email": "new@jongno.go.kr", "role": "expert"})
    assert response.status_code == 302
    assert StaffInvitation.objects.get().role == Role.EXPERT and mailoutbox[0].to == ["new@jongno.go.kr"]

    response = client.post(url, {"action": "roles", "government": "11010", "user": jongno_staff.pk, "roles": ["staff", "moderator"]})
    assert response.status_code == 302
    assert set(StaffRole.objects.filter(user=jongno_staff).values_list("role", flat=True)) == {"staff", "moderator"}
    response = client.post(url, {"action": "roles", "government": "11010", "user": jongno_admin.pk, "roles": []})
    assert response.status_code == 400 and StaffRole.objects.filter(user=jongno_admin, role="administrator").exists()

    response = client.post(url, {"action": "add_template", "government": "11010", "title": "완료", "text": "보수를 마쳤습니다."})
    assert response.status_code == 302 and ReplyTemplate.objects.filter(title="완료").exists()


def test_team_page_is_for_administrators_only(client, jongno_staff):
    client.force_login(jongno_staff)
    assert client.get(reverse("staff:team")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("staff:team")).status_code == 403


def test_invitation_link_signs_in_then_accepts(client, jongno_admin, jongno):
    invitation = services.staff_invitation_create(actor=jongno_admin, government=jongno, email="invited@example.kr")
    url = reverse("staff:invitation", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 200 and "/accounts/login/?next=" in response.content.decode()
    person = UserFactory(email="invited@example.kr")
    client.force_login(person)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("staff:queue")
    assert StaffRole.objects.filter(user=person, local_government=jongno, role=Role.STAFF).exists()
    assert client.get(url).status_code == 404


def test_administrators_page_finds_the_government_by_name_or_code(client, jongno):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    chief = UserFactory(email="chief@jongno.go.kr")
    client.force_login(root)
    url = reverse("staff:administrators")
    assert client.post(url, {"government": "종로구", "email": chief.email}).status_code == 302
    assert StaffRole.objects.filter(user=chief, local_government=jongno, role=Role.ADMINISTRATOR).exists()
    response = client.post(url, {"government": "중구", "email": chief.email})  # several 중구 in Korea
    assert response.status_code == 400 and "11020" in response.content.decode()
    response = client.post(url, {"government": "없는구", "email": chief.email})
    assert response.status_code == 400
    results = client.get(reverse("staff:government-search"), {"q": "1101"}).json()["results"]
    assert {"code": "11010", "name": "종로구", "label": "종로구 (11010)", "province": "서울특별시"} in results
    client.force_login(chief)
    assert client.get(url).status_code == 403


def test_admin_finds_governments_by_code_and_name(admin_client):
    url = reverse("admin:autocomplete")
    params = {"app_label": "staff", "model_name": "staffrole", "field_name": "local_government"}
    for term in ["11010", "종로"]:
        results = admin_client.get(url, {**params, "term": term}).json()["results"]
        assert [r["text"] for r in results] == ["종로구 (11010)"]
    assert admin_client.get(reverse("admin:staff_staffrole_add")).status_code == 200
