"""Identity (through the test adapter), declared residence, rolls and invitation codes, and the eligibility rule."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import EmailConfirmation
from core.errors import DomainError
from residency.eligibility import Eligibility, Rule, eligibility_check
from residency.hashing import email_hash
from residency.models import IdentityVerification, InvitationCode, Residence, RollEntry
from residency.selectors import residence_verified_government_ids
from residency.services import (
    identity_verify,
    invitation_code_redeem,
    invitation_codes_issue,
    residence_declare,
    residence_roll_import,
)
from tests.factories import UserFactory
from tests.polls.factories import NOW, area, dong, resident

pytestmark = pytest.mark.django_db


def test_identity_is_kept_as_a_keyed_hash_and_one_person_holds_one_account():
    first, second = UserFactory(), UserFactory()
    verification = identity_verify(user=first, payload={"di": "DI-of-hong-gildong-0001"}, now=NOW)
    assert verification.provider == "test" and len(verification.di_hash) == 64
    assert "hong" not in verification.di_hash and "DI-of" not in verification.di_hash
    assert identity_verify(user=first, payload={"di": "DI-of-hong-gildong-0001"}).pk == verification.pk  # twice: harmless
    with pytest.raises(DomainError) as refused:
        identity_verify(user=second, payload={"di": "DI-of-hong-gildong-0001"})
    assert refused.value.code == "identity_already_used" and refused.value.http_status == 409
    assert IdentityVerification.objects.count() == 1


def test_a_bad_provider_answer_and_a_missing_adapter_are_clear_errors(settings):
    user = UserFactory()
    with pytest.raises(DomainError) as refused:
        identity_verify(user=user, payload={"di": ""})
    assert refused.value.code == "identity_refused"
    settings.IDENTITY_PROVIDER_ADAPTER = ""
    with pytest.raises(DomainError) as off:
        identity_verify(user=user, payload={"di": "DI-of-someone-0002"})
    assert off.value.code == "identity_unavailable"
    assert not IdentityVerification.objects.exists()


def test_residence_is_a_dong_not_a_larger_area():
    user = UserFactory()
    cheongun = dong("청운효자동")
    assert residence_declare(user=user, area=cheongun, now=NOW).area == cheongun
    with pytest.raises(DomainError) as refused:
        residence_declare(user=user, area=area("11010"))
    assert refused.value.code == "invalid_area" and "area" in refused.value.fields
    assert Residence.objects.get(user=user).area == cheongun  # unchanged


def test_roll_upload_verifies_residents_by_confirmed_address_only():
    jongno = area("11010")
    on_roll = resident(dong("청운효자동"), email="kim@example.kr")
    unconfirmed = resident(dong("사직동"), email="lee@example.kr")
    EmailConfirmation.objects.create(user=unconfirmed, email=unconfirmed.email)
    content = "email,name\nKIM@example.kr,김\nlee@example.kr,이\n\nnot-on-site@example.kr,박\n".encode()
    assert residence_roll_import(government=jongno, content=content, now=NOW) == 3
    assert not RollEntry.objects.filter(email_hash__contains="example").exists()
    assert RollEntry.objects.filter(email_hash=email_hash("kim@example.kr")).exists()
    assert residence_verified_government_ids(user=on_roll) == {jongno.pk}
    assert residence_verified_government_ids(user=unconfirmed) == set()
    # The next roll replaces this one.
    residence_roll_import(government=jongno, content=b"email\nother@example.kr\n")
    assert residence_verified_government_ids(user=on_roll) == set()


@pytest.mark.parametrize("content, words", [
    (b"mail\nkim@example.kr\n", "머리글: email"),
    (b"email\nkim@example.kr\nnot an address\n", "3"),
    (b"email\n", "주소가 없습니다"),
    (b"\xff\xfe\x00garbage\xff", ""),
])
def test_a_bad_roll_is_refused_and_the_old_roll_stays(content, words):
    jongno = area("11010")
    residence_roll_import(government=jongno, content=b"email\nkept@example.kr\n")
    with pytest.raises(DomainError) as refused:
        residence_roll_import(government=jongno, content=content)
    assert refused.value.code == "invalid_roll" and words in refused.value.message
    assert list(RollEntry.objects.values_list("email_hash", flat=True)) == [email_hash("kept@example.kr")]


def test_invitation_codes_are_stored_hashed_and_work_once():
    jongno = area("11010")
    codes = invitation_codes_issue(government=jongno, count=3, now=NOW)
    assert len(set(codes)) == 3 and all(len(code) == 14 for code in codes)
    assert not InvitationCode.objects.filter(code_hash__in=[c.replace("-", "") for c in codes]).exists()
    user, other = UserFactory(), UserFactory()
    residence = invitation_code_redeem(user=user, code=codes[0].lower().replace("-", " "), now=NOW)
    assert residence.verified_government == jongno and residence.verified_method == "code"
    with pytest.raises(DomainError) as reused:
        invitation_code_redeem(user=other, code=codes[0], now=NOW)
    assert reused.value.code == "invitation_code_used" and reused.value.http_status == 409
    assert not Residence.objects.filter(user=other).exists()
    with pytest.raises(DomainError) as unknown:
        invitation_code_redeem(user=other, code="AAAA-BBBB-CCCC")
    assert unknown.value.code == "invalid_invitation_code"
    assert InvitationCode.objects.filter(used_at__isnull=False).count() == 1


def test_issue_invitation_codes_command_prints_the_codes(capsys):
    call_command("issue_invitation_codes", "11010", "--count", "2")
    printed = capsys.readouterr().out.split()
    assert len(printed) == 2 and InvitationCode.objects.filter(local_government__code="11010").count() == 2


def test_eligibility_rules():
    cheongun, sajik = dong("청운효자동"), dong("사직동")
    haeundae_resident = resident(dong("우1동", "21090"))
    local = resident(cheongun)
    jongno_wide = Eligibility(rule=Rule.RESIDENTS, area_ids=frozenset({area("11010").pk}))
    only_sajik = Eligibility(rule=Rule.RESIDENTS, area_ids=frozenset({sajik.pk}))
    assert eligibility_check(eligibility=jongno_wide, user=local).area == cheongun
    for eligibility, user, code in [
        (only_sajik, local, "not_eligible"),
        (jongno_wide, haeundae_resident, "not_eligible"),
        (jongno_wide, UserFactory(), "not_eligible"),  # no declared residence
        (Eligibility(rule=Rule.IDENTITY_VERIFIED), local, "not_eligible"),
        (Eligibility(rule=Rule.VERIFIED_RESIDENTS, area_ids=frozenset({cheongun.pk})), local, "not_eligible"),
    ]:
        with pytest.raises(DomainError) as refused:
            eligibility_check(eligibility=eligibility, user=user)
        assert refused.value.code == code and refused.value.message
    invitation_code_redeem(user=local, code=invitation_codes_issue(government=area("11010"), count=1)[0])
    verified = Eligibility(rule=Rule.VERIFIED_RESIDENTS, area_ids=frozenset({cheongun.pk}))
    assert eligibility_check(eligibility=verified, user=local).identity == f"user:{local.pk}"
    identity_verify(user=local, payload={"di": "DI-of-local-resident-1"})
    assert eligibility_check(eligibility=Eligibility(rule=Rule.IDENTITY_VERIFIED), user=local).identity.startswith("di:")


def test_an_unconfirmed_account_cannot_take_part():
    user = resident(dong("청운효자동"))
    EmailConfirmation.objects.create(user=user, email=user.email)
    with pytest.raises(DomainError) as refused:
        eligibility_check(eligibility=Eligibility(rule=Rule.SIGNED_IN), user=user)
    assert refused.value.code == "email_not_confirmed"


def test_sign_up_can_declare_the_residence(client):
    form = {"username": "newcomer", "email": "newcomer@example.kr", "password1": "correct horse battery staple",
            "password2": "correct horse battery staple", "consent": "on"}
    ambiguous = client.post("/accounts/signup/", {**form, "residence": "신사동"})
    assert ambiguous.status_code == 400 and "신사동" in ambiguous.content.decode()
    assert not Residence.objects.exists()
    assert client.post("/accounts/signup/", {**form, "residence": "청운효자동"}).status_code == 302
    assert Residence.objects.get(user__username="newcomer").area == dong("청운효자동")
    client.logout()
    assert client.post("/accounts/signup/", {**form, "username": "other", "email": "other@example.kr"}).status_code == 302
    assert not Residence.objects.filter(user__username="other").exists()
