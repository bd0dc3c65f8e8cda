"""Comments on reports: writing one, and the public list (a comment's author stays private unless shown)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.ratelimit import account_rate_limited
from core.errors import DomainError, ErrorCode
from reports.models import Comment, Report
from reports.services import clean_text

MAX_COMMENT = 2000


def comment_create(
    *, report: Report, text: str, author=None, author_email: str = "", author_name: str = "", show_name: bool = False
) -> Comment:
    text = clean_text(text)
    if not text:
        raise DomainError("invalid", _("Write a comment."), fields={"text": [_("Write a comment.")]})
    if len(text) > MAX_COMMENT:
        raise DomainError("invalid", _("At most %(max)d characters.") % {"max": MAX_COMMENT}, fields={"text": [_("At most %(max)d characters.") % {"max": MAX_COMMENT}]})
    with transaction.atomic():
        if author is not None and account_rate_limited(scope="comment", user=author):
            raise DomainError(ErrorCode.RATE_LIMITED, _("This account has written too many comments in the last hour. Try again later."))
        return Comment.objects.create(
            report=report,
            text=text,
            author=author,
            author_email=(author_email or (author.email if author else "")).strip().lower(),
            author_name=clean_text(author_name)[:100] or (author.get_full_name() if author else ""),
            show_name=show_name,
        )


def comment_list_public(*, report: Report) -> QuerySet[Comment]:
    """The comments everyone sees, oldest first (a read kept beside its write; it is this small)."""
    return Comment.objects.filter(report=report, is_hidden=False).order_by("created_at", "id")
