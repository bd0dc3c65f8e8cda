"""accounts.grants: a resident's grant names the person, the app, the purposes and the expiry, and is checked, not stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.grants import Purpose, resident_grant_issue, resident_grant_read, resident_grant_require
from core.errors import DomainError, ErrorCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_grant_reads_back_for_its_app_until_it_expires():
    person, now = UserFactory(), timezone.now()
    token = resident_grant_issue(user=person, client_id=7, purposes=[Purpose.POLL_VOTES, Purpose.POLL_VOTES, Purpose.TOPICS], now=now)
    grant = resident_grant_read(token=token, client_id=7, now=now)
    assert grant.user == person and grant.client_id == 7 and grant.purposes == {"poll_votes", "topics"}
    assert grant.expires_at == (now + timedelta(days=settings.RESIDENT_GRANT_DAYS)).replace(microsecond=0)
    resident_grant_require(grant=grant, purpose=Purpose.TOPICS)
    with pytest.raises(DomainError) as refused:
        resident_grant_require(grant=grant, purpose=Purpose.CAMPAIGN_ENTRIES)
    assert refused.value.code == ErrorCode.RESIDENT_GRANT_PURPOSE and refused.value.http_status == 403
    for client_id, when in ((8, now), (7, grant.expires_at), (7, grant.expires_at + timedelta(days=1))):
        with pytest.raises(DomainError) as invalid:
            resident_grant_read(token=token, client_id=client_id, now=when)
        assert invalid.value.code == ErrorCode.RESIDENT_GRANT_INVALID and invalid.value.http_status == 401


def test_a_deactivated_person_or_a_new_password_ends_every_grant():
    person = UserFactory()
    token = resident_grant_issue(user=person, client_id=1, purposes=[Purpose.PROPOSALS])
    person.is_active = False
    person.save()
    with pytest.raises(DomainError):
        resident_grant_read(token=token, client_id=1)
    person.is_active = True
    person.set_password("another long password")
    person.save()
    with pytest.raises(DomainError):
        resident_grant_read(token=token, client_id=1)


@pytest.mark.parametrize("purposes", [[], ["everything"], ["poll_votes", "admin"]])
def test_a_grant_must_name_known_purposes(purposes):
    with pytest.raises(DomainError) as refused:
        resident_grant_issue(user=UserFactory(), client_id=1, purposes=purposes)
    assert refused.value.code == ErrorCode.INVALID_PARAMETER and "purposes" in refused.value.fields


def test_only_a_signed_in_person_gives_a_grant():
    with pytest.raises(DomainError) as refused:
        resident_grant_issue(user=AnonymousUser(), client_id=1, purposes=[Purpose.POLL_VOTES])
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
