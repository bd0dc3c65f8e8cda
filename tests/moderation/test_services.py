"""Flags, hiding with a reason kept in the audit trail, and blocking after repeated abuse (frozen clock)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import DomainError, ErrorCode
from moderation.models import AccountBlock, Flag, ModerationAction
from moderation.selectors import account_is_blocked, flagged_items, item_trail
from moderation.services import account_block_lift, content_flag, content_hide, content_unhide, require_not_blocked
from proposals.models import Proposal
from staff.models import StaffRole
from tests.factories import HAEUNDAE, UserFactory
from tests.polls.factories import area
from tests.proposals.factories import make_proposal

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def moderator(code: str = "11010"):
    user = UserFactory()
    StaffRole.objects.create(user=user, local_government=area(code), role=StaffRole.Role.MODERATOR)
    return user


def test_one_flag_per_person_per_item_and_the_queue_lists_it():
    proposal = make_proposal()
    resident = UserFactory()
    content_flag(item=proposal, user=resident, reason="spam", now=NOW)
    with pytest.raises(DomainError) as caught:
        content_flag(item=proposal, user=resident, reason="offensive", now=NOW)
    assert caught.value.code == ErrorCode.ALREADY_FLAGGED and caught.value.http_status == 409
    content_flag(item=proposal, user=UserFactory(), reason="off_topic", now=NOW)
    assert Flag.objects.count() == 2
    assert not Proposal.objects.get(pk=proposal.pk).is_hidden  # flags alone never hide
    [row] = flagged_items(government_ids=[area("11010").pk])
    assert row["item"] == proposal and row["flags"] == 2
    assert flagged_items(government_ids=[area("21090").pk]) == []


def test_a_flag_needs_a_known_reason_and_an_account():
    proposal = make_proposal()
    with pytest.raises(DomainError) as caught:
        content_flag(item=proposal, user=UserFactory(), reason="boring")
    assert caught.value.code == ErrorCode.INVALID_FLAG_REASON and "reason" in caught.value.fields
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError) as caught:
        content_flag(item=proposal, user=AnonymousUser(), reason="spam")
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    assert Flag.objects.count() == 0 and ModerationAction.objects.count() == 0


def test_only_the_items_governments_moderators_hide_and_the_trail_keeps_the_words():
    proposal = make_proposal(title="광고", body="싸게 팝니다 010-0000-0000")
    for outsider in (UserFactory(), moderator("21090")):
        with pytest.raises(DomainError) as caught:
            content_hide(item=proposal, actor=outsider, reason="광고")
        assert caught.value.code == ErrorCode.PERMISSION_DENIED
    staff = UserFactory()
    StaffRole.objects.create(user=staff, local_government=area("11010"), role=StaffRole.Role.STAFF)
    with pytest.raises(DomainError):
        content_hide(item=proposal, actor=staff, reason="광고")  # staff work reports; moderators moderate
    mod = moderator()
    with pytest.raises(DomainError) as caught:
        content_hide(item=proposal, actor=mod, reason="  ")
    assert caught.value.code == ErrorCode.REASON_REQUIRED
    assert not Proposal.objects.get(pk=proposal.pk).is_hidden

    content_hide(item=proposal, actor=mod, reason="상업 광고", now=NOW)
    proposal.refresh_from_db()
    assert proposal.is_hidden
    [action] = item_trail(item=proposal)
    assert (action.action, action.actor, action.author, action.reason) == ("hide", mod, proposal.author, "상업 광고")
    assert action.original_text == "광고\n\n싸게 팝니다 010-0000-0000"
    with pytest.raises(DomainError) as caught:
        content_hide(item=proposal, actor=mod, reason="again")
    assert caught.value.code == ErrorCode.ALREADY_HIDDEN

    content_unhide(item=proposal, actor=mod, reason="오해였습니다", now=NOW + timedelta(hours=1))
    proposal.refresh_from_db()
    assert not proposal.is_hidden
    assert [a.action for a in item_trail(item=proposal)] == ["unhide", "hide"]
    with pytest.raises(DomainError) as caught:
        content_unhide(item=proposal, actor=mod, reason="again")
    assert caught.value.code == ErrorCode.NOT_HIDDEN


def test_repeated_abuse_blocks_the_account_for_a_while(settings):
    settings.MODERATION_BLOCK_AFTER_HIDDEN, settings.MODERATION_BLOCK_WINDOW_DAYS, settings.MODERATION_BLOCK_DAYS = 3, 30, 30
    author, mod, busan_mod = UserFactory(), moderator(), moderator("21090")
    first = make_proposal(author=author)
    old = make_proposal(author=author)
    content_hide(item=old, actor=mod, reason="도배", now=NOW - timedelta(days=31))  # outside the window
    content_hide(item=first, actor=mod, reason="도배", now=NOW)
    undone = make_proposal(author=author)
    content_hide(item=undone, actor=mod, reason="도배", now=NOW)
    content_unhide(item=undone, actor=mod, reason="실수", now=NOW)  # an undone hide does not count
    content_hide(item=make_proposal(author=author, government="21090", at=HAEUNDAE), actor=busan_mod, reason="욕설", now=NOW)
    assert not account_is_blocked(user=author, now=NOW)
    require_not_blocked(user=author, now=NOW)

    third, fourth = make_proposal(author=author), make_proposal(author=author)
    content_hide(item=third, actor=mod, reason="도배", now=NOW + timedelta(days=1))
    assert account_is_blocked(user=author, now=NOW + timedelta(days=1))
    [block] = AccountBlock.objects.filter(user=author)
    assert block.ends_at == NOW + timedelta(days=31)
    assert ModerationAction.objects.filter(action="block", author=author).count() == 1
    with pytest.raises(DomainError) as caught:
        require_not_blocked(user=author, now=NOW + timedelta(days=2))
    assert caught.value.code == ErrorCode.ACCOUNT_BLOCKED and caught.value.http_status == 403
    # A fourth hide does not stack a second block; the block ends by itself.
    content_hide(item=fourth, actor=mod, reason="도배", now=NOW + timedelta(days=2))
    assert AccountBlock.objects.filter(user=author).count() == 1
    assert not account_is_blocked(user=author, now=NOW + timedelta(days=31, seconds=1))
    assert not account_is_blocked(user=UserFactory(), now=NOW)


def test_only_superusers_lift_a_block(settings):
    settings.MODERATION_BLOCK_AFTER_HIDDEN = 1
    author, mod = UserFactory(), moderator()
    content_hide(item=make_proposal(author=author), actor=mod, reason="욕설", now=NOW)
    with pytest.raises(DomainError):
        account_block_lift(user=author, actor=mod, reason="봐주기", now=NOW)
    admin = UserFactory(is_superuser=True)
    account_block_lift(user=author, actor=admin, reason="소명 받음", now=NOW + timedelta(hours=1))
    assert not account_is_blocked(user=author, now=NOW + timedelta(hours=2))
    with pytest.raises(DomainError) as caught:
        account_block_lift(user=author, actor=admin, reason="again", now=NOW + timedelta(hours=2))
    assert caught.value.code == ErrorCode.NOT_BLOCKED
