"""The moderators' page: their governments' flagged content, hiding with a reason, and the trail."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from moderation.services import content_flag
from proposals.models import ProposalComment
from proposals.services import proposal_comment
from staff.models import StaffRole
from tests.factories import UserFactory
from tests.proposals.factories import make_proposal, staff_member

pytestmark = pytest.mark.django_db


def test_moderators_see_flags_of_their_government_and_hide_with_a_reason(client):
    proposal = make_proposal(title="멀쩡한 제안")
    comment = proposal_comment(proposal=proposal, author=UserFactory(), body="욕설이 담긴 댓글", stance="against")
    for reason in ("offensive", "spam"):
        content_flag(item=comment, user=UserFactory(), reason=reason)
    content_flag(item=proposal, user=UserFactory(), reason="off_topic")

    client.force_login(UserFactory())
    assert client.get("/staff/moderation/").status_code == 404  # residents have no queue
    busan = staff_member("21090", StaffRole.Role.MODERATOR)
    client.force_login(busan)
    assert "욕설이 담긴 댓글" not in client.get("/staff/moderation/").content.decode()
    comment_type = ContentType.objects.get_for_model(ProposalComment).pk
    assert client.post(f"/staff/moderation/hide/{comment_type}/{comment.pk}/", {"reason": "욕설"}).status_code == 404

    client.force_login(staff_member("11010", StaffRole.Role.MODERATOR))
    page = client.get("/staff/moderation/").content.decode()
    assert page.index("욕설이 담긴 댓글") < page.index("멀쩡한 제안")  # most flagged first
    assert 'data-flags="2"' in page
    refused = client.post(f"/staff/moderation/hide/{comment_type}/{comment.pk}/", {"reason": " ", "government": "11010"})
    assert refused.status_code == 302 and not ProposalComment.objects.get(pk=comment.pk).is_hidden
    done = client.post(f"/staff/moderation/hide/{comment_type}/{comment.pk}/", {"reason": "욕설", "government": "11010"})
    assert done.status_code == 302 and ProposalComment.objects.get(pk=comment.pk).is_hidden
    page = client.get("/staff/moderation/?government=11010").content.decode()
    assert "욕설이 담긴 댓글" not in page and "moderation-trail" in page and "욕설" in page
    assert "욕설이 담긴 댓글" not in client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert client.post(f"/staff/moderation/hide/{comment_type}/999999/", {"reason": "x"}).status_code == 404
    user_type = ContentType.objects.get(app_label="auth", model="user").pk
    assert client.post(f"/staff/moderation/hide/{user_type}/1/", {"reason": "x"}).status_code == 404  # not moderatable
