"""Which answers a public output of entries shows (REST API, exports, OGC API, tiles).

Built on campaigns.selectors.campaign_public_field_keys, the one home of what is public: a
client may narrow the answers to some public fields (`?fields=` / `?properties=`), never widen
them. Naming a private field is refused, so nobody mistakes a silently empty column for "no
answer".
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Entry, EntryPhoto
from campaigns.selectors import campaign_list, campaign_public_field_keys
from core.errors import DomainError, ErrorCode

MAX_FIELDS_PARAM = 2000


def entry_output_fields(*, campaign: Campaign, requested: str | None, parameter: str = "fields") -> list[str]:
    """The public answer keys to show: all of them, or those of a comma list (in the form's order)."""
    public = campaign_public_field_keys(campaign=campaign)
    if requested is None or not requested.strip():
        return public
    if len(requested) > MAX_FIELDS_PARAM:
        raise DomainError(ErrorCode.INVALID_PARAMETER, _("%(name)s is too long.") % {"name": parameter})
    names = [name.strip() for name in requested.split(",") if name.strip()]
    form_keys = {field["key"] for field in campaign.form_fields}
    private = [name for name in names if name in form_keys and name not in public]
    if private:
        raise DomainError(
            ErrorCode.PRIVATE_FIELD,
            _("%(names)s: private fields are seen only by the campaign's organisers and validators.") % {"names": ", ".join(private)},
            fields={parameter: [_("Choose among the public fields: %(keys)s.") % {"keys": ", ".join(public) or "-"}]},
        )
    unknown = [name for name in names if name not in form_keys]
    if unknown:
        raise DomainError(
            ErrorCode.UNKNOWN_FIELD,
            _("This campaign's form has no field %(names)s.") % {"names": ", ".join(unknown)},
            fields={parameter: [_("Choose among the public fields: %(keys)s.") % {"keys": ", ".join(public) or "-"}]},
        )
    wanted = set(names)
    return [key for key in public if key in wanted]


def campaign_get_public(*, slug: str) -> Campaign | None:
    """A campaign whose entries the public outputs show, in one query (no geometry, no related lists)."""
    return campaign_list(public=True).filter(slug=slug).first()


def entry_answer_columns(*, campaign: Campaign, keys: list[str]) -> list[str]:
    """Those of `keys` whose answers are in Entry.answers: a photo field's answers are its photos."""
    photo_fields = {field["key"] for field in campaign.form_fields if field.get("datatype") == "photo"}
    return [key for key in keys if key not in photo_fields]


def entry_list_public(*, campaign: Campaign) -> QuerySet[Entry]:
    """The entries anyone may see: not hidden. Their answers still go through entry_output_fields."""
    return (
        Entry.objects.filter(campaign=campaign, is_hidden=False)
        .only("id", "entry_type", "status", "location", "answers", "report_id", "created_at", "updated_at")
        .prefetch_related(Prefetch("photos", queryset=EntryPhoto.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )
