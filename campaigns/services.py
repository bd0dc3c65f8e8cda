"""Writes for campaigns and their entries. Every channel (web pages, REST API) calls these."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from campaigns import coverage
from campaigns.models import (
    FIELD_DATATYPES,
    Campaign,
    CampaignMember,
    CampaignUnit,
    CoverageUnit,
    Entry,
    EntryEvent,
    EntryPhoto,
    EntryStatus,
    Organisation,
    Participation,
    Theme,
    WindowState,
)
from campaigns.selectors import campaign_public_field_keys, campaign_role, entry_public_answers, form_field_questions
from core.db import retry_on_conflict
from core.errors import DomainError, ErrorCode
from geodata.models import Area
from reports.answers import clean_answer
from reports.models import Category, Report
from reports.photos import PhotoError, photo_clean
from reports.services import report_create, validate_coordinates
from staff.selectors import staff_roles

Role = CampaignMember.Role
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_REASON = 2000
# Who may do what on a campaign (campaign_role answers which of these a person holds).
REVIEW_ROLES = {Role.ORGANISER, Role.VALIDATOR}
REVIEWABLE = {EntryStatus.SUBMITTED, EntryStatus.RESUBMITTED}


def _text(value, limit: int) -> str:
    return strip_tags(str(value or "")).replace("\x00", "").strip()[:limit]


# --- campaigns -----------------------------------------------------------------------------------


def _clean_form_fields(form_fields) -> tuple[list[dict], list[str]]:
    if not isinstance(form_fields, list):
        return [], [_("The form must be a list of fields.")]
    cleaned, errors, seen = [], [], set()
    for index, field in enumerate(form_fields, start=1):
        if not isinstance(field, Mapping):
            errors.append(_("Field %(n)d is not an object.") % {"n": index})
            continue
        key = str(field.get("key", "")).strip()
        label = _text(field.get("label"), 200)
        datatype = field.get("datatype")
        if not FIELD_KEY.match(key):
            errors.append(_("Field %(n)d needs a key of lower-case letters, digits and _.") % {"n": index})
        elif key in seen:
            errors.append(_("Two fields have the key %(key)s.") % {"key": key})
        seen.add(key)
        if not label:
            errors.append(_("Field %(n)d needs a label.") % {"n": index})
        if datatype not in FIELD_DATATYPES:
            errors.append(_("Field %(n)d: choose a datatype among %(types)s.") % {"n": index, "types": ", ".join(FIELD_DATATYPES)})
        values = []
        for value in field.get("values") or []:
            if isinstance(value, Mapping) and str(value.get("key", "")).strip():
                values.append({"key": str(value["key"]).strip(), "name": _text(value.get("name") or value["key"], 200)})
            elif isinstance(value, str | int) and str(value).strip():
                values.append({"key": str(value).strip(), "name": _text(value, 200)})
            else:
                errors.append(_("Field %(n)d has a choice without a key.") % {"n": index})
        if datatype in ("singlevaluelist", "multivaluelist") and not values:
            errors.append(_("Field %(n)d needs its choices.") % {"n": index})
        cleaned.append({
            "key": key, "label": label, "datatype": datatype, "required": bool(field.get("required")),
            "values": values, "public": bool(field.get("public")),
        })
    return cleaned, errors


def _clean_entry_types(entry_types) -> tuple[list[dict], list[str]]:
    if not isinstance(entry_types, list) or not entry_types:
        return [], [_("Give at least one entry type.")]
    cleaned, errors, seen = [], [], set()
    for index, kind in enumerate(entry_types, start=1):
        if not isinstance(kind, Mapping):
            errors.append(_("Entry type %(n)d is not an object.") % {"n": index})
            continue
        key = str(kind.get("key", "")).strip()
        if not FIELD_KEY.match(key):
            errors.append(_("Entry type %(n)d needs a key of lower-case letters, digits and _.") % {"n": index})
        elif key in seen:
            errors.append(_("Two entry types have the key %(key)s.") % {"key": key})
        seen.add(key)
        label = _text(kind.get("label"), 120)
        if not label:
            errors.append(_("Entry type %(n)d needs a label.") % {"n": index})
        colour = str(kind.get("colour", "")).strip()
        if not COLOUR.match(colour):
            errors.append(_("Entry type %(n)d needs a colour such as #1f78b4.") % {"n": index})
        cleaned.append({"key": key, "label": label, "colour": colour.lower(), "icon": _text(kind.get("icon"), 8)})
    return cleaned, errors


def _can_organise_for(*, actor, government: Area | None, organisation: Organisation | None) -> bool:
    """A government's campaign: its staff (or a superuser). An organisation's: a superuser."""
    if actor is None:
        return False
    if getattr(actor, "is_superuser", False):  # an API key is never one; staff_roles answers for it
        return True
    return government is not None and bool(staff_roles(user=actor, government_id=government.pk))


def _drawn_multipolygon(drawn_area) -> MultiPolygon:
    try:
        geometry = drawn_area if isinstance(drawn_area, GEOSGeometry) else GEOSGeometry(str(drawn_area))
    except (GEOSException, ValueError, TypeError) as exc:
        raise DomainError(ErrorCode.INVALID_CAMPAIGN_AREA, _("The drawn area is not a polygon we can read (GeoJSON or WKT).")) from exc
    if geometry.srid is None:
        geometry.srid = 4326
    if geometry.srid != 4326:
        geometry.transform(4326)
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=4326)
    if not isinstance(geometry, MultiPolygon) or geometry.empty:
        raise DomainError(ErrorCode.INVALID_CAMPAIGN_AREA, _("The drawn area must be a polygon."))
    west, south, east, north = geometry.extent
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise DomainError(ErrorCode.INVALID_CAMPAIGN_AREA, _("The drawn area must be in longitude and latitude."))
    return geometry


def _effective_area_sql(*, government_ids: list[int], drawn: MultiPolygon | None) -> tuple[str, list]:
    """The campaign's area in PostGIS: the drawn polygon made valid, or the governments united."""
    if drawn is not None:
        return (
            "SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromEWKB(%s)), 3))",
            [bytes(drawn.ewkb)],
        )
    return (
        "SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)) FROM geodata_area WHERE id = ANY(%s)",
        [government_ids],
    )


@retry_on_conflict
def campaign_create(
    *,
    actor,
    slug: str,
    title: str,
    theme: str,
    description: str = "",
    organiser_government: Area | None = None,
    organiser_organisation: Organisation | None = None,
    governments: Sequence[Area] = (),
    drawn_area=None,
    starts_at,
    ends_at,
    participation: str = Participation.OPEN,
    coverage_unit: str = CoverageUnit.DONG,
    form_fields: list | None = None,
    entry_types: list,
    partners: Sequence[Organisation] = (),
    is_example: bool = False,
) -> Campaign:
    """Open a campaign: check who organises it, compute its area in PostGIS and build its units.

    The area is the drawn polygon when given, else the governments' current boundaries united
    (the organising government's own when no government is named). Nothing is saved on error.
    """
    if (organiser_government is None) == (organiser_organisation is None):
        raise DomainError(ErrorCode.INVALID_CAMPAIGN, _("A campaign has one organiser: a local government or an organisation."))
    if organiser_government is not None and not (organiser_government.is_local_government and organiser_government.is_current):
        raise DomainError(ErrorCode.INVALID_GOVERNMENT, _("The organiser must be a current local government."))
    if not _can_organise_for(actor=actor, government=organiser_government, organisation=organiser_organisation):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED,
            _("Only the government's staff may open a campaign for it; an organisation's campaign is opened by a superuser."),
        )
    errors: dict[str, list[str]] = {}
    slug = str(slug or "").strip().lower()
    if not SLUG.match(slug):
        errors["slug"] = [_("Use 2 to 80 lower-case letters, digits and hyphens.")]
    title = _text(title, 200)
    if not title:
        errors["title"] = [_("Give the campaign a title.")]
    if theme not in Theme.values:
        errors["theme"] = [_("Choose a theme.")]
    if participation not in Participation.values:
        errors["participation"] = [_("Choose who may take part.")]
    if coverage_unit not in CoverageUnit.values:
        errors["coverage_unit"] = [_("Choose 읍면동 or the 250 m grid.")]
    if starts_at is None or ends_at is None:
        errors["ends_at"] = [_("Give the start and the end.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The campaign must end after it starts.")]
    fields, field_errors = _clean_form_fields(form_fields or [])
    if field_errors:
        errors["form_fields"] = field_errors
    types, type_errors = _clean_entry_types(entry_types)
    if type_errors:
        errors["entry_types"] = type_errors
    governments = list(governments)
    if not governments and drawn_area is None and organiser_government is not None:
        governments = [organiser_government]
    if drawn_area is None and not governments:
        errors["area"] = [_("Name the governments of the area or draw it.")]
    if any(not (g.is_local_government and g.is_current) for g in governments):
        errors["governments"] = [_("Choose current local governments.")]
    if errors:
        raise DomainError(ErrorCode.INVALID_CAMPAIGN, _("Please correct the highlighted fields."), fields=errors)
    drawn = _drawn_multipolygon(drawn_area) if drawn_area is not None else None

    with transaction.atomic():
        area_sql, params = _effective_area_sql(government_ids=[g.pk for g in governments], drawn=drawn)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ST_AsEWKB(a), ST_IsEmpty(a), ST_Area(ST_Transform(a, 5179)), "
                f"ST_Intersects(a, (SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4326) FROM geodata_area WHERE level = 'province' AND is_current)) "
                f"FROM ({area_sql}) AS t(a)",
                params,
            )
            ewkb, empty, square_metres, in_korea = cursor.fetchone()
        if ewkb is None or empty or not square_metres:
            raise DomainError(ErrorCode.INVALID_CAMPAIGN_AREA, _("The area is empty."))
        if not in_korea:
            raise DomainError(ErrorCode.INVALID_CAMPAIGN_AREA, _("The area must be in Korea."))
        if coverage_unit == CoverageUnit.GRID and square_metres / coverage.GRID_CELL_SQUARE_METRES > settings.CAMPAIGN_MAX_GRID_UNITS:
            raise DomainError(
                ErrorCode.CAMPAIGN_AREA_TOO_LARGE,
                _("The area would make more than %(max)d grid cells: choose 읍면동 or a smaller area.") % {"max": settings.CAMPAIGN_MAX_GRID_UNITS},
            )
        try:
            with transaction.atomic():
                campaign = Campaign.objects.create(
                    slug=slug, title=title, theme=theme, description=_text(description, 10_000),
                    organiser_government=organiser_government, organiser_organisation=organiser_organisation,
                    drawn_area=drawn, area=GEOSGeometry(memoryview(bytes(ewkb))), starts_at=starts_at, ends_at=ends_at,
                    participation=participation, coverage_unit=coverage_unit, form_fields=fields,
                    entry_types=types, is_example=is_example,
                )
        except IntegrityError as exc:
            raise DomainError(ErrorCode.CAMPAIGN_SLUG_TAKEN, _("Another campaign already uses the address %(slug)s.") % {"slug": slug},
                              fields={"slug": [_("This address is taken.")]}) from exc
        campaign.governments.set(governments)
        campaign.partners.set(list(partners))
        coverage.campaign_units_build(campaign=campaign)
    return campaign


def _require_role(*, campaign: Campaign, actor, roles: set[str], message: str) -> str:
    role = campaign_role(campaign=campaign, user=actor)
    if role not in roles:
        raise DomainError(ErrorCode.PERMISSION_DENIED, message)
    return role


@retry_on_conflict
def campaign_member_add(*, campaign: Campaign, actor, user, role: str, team: str = "") -> CampaignMember:
    """Invite a person (or change their role and team); organisers only."""
    _require_role(campaign=campaign, actor=actor, roles={Role.ORGANISER}, message=_("Only the campaign's organisers manage its members."))
    if role not in Role.values:
        raise DomainError(ErrorCode.INVALID_ROLE, _("Choose organiser, validator or mapper."), fields={"role": [_("Choose a role.")]})
    if user is None:
        raise DomainError(ErrorCode.INVALID, _("No such person."), fields={"user": [_("No account has this name or email address.")]})
    with transaction.atomic():
        member, _created = CampaignMember.objects.update_or_create(
            campaign=campaign, user=user, defaults={"role": role, "team": _text(team, 80)},
        )
    return member


@retry_on_conflict
def campaign_unit_set_priority(*, unit: CampaignUnit, actor, priority: bool) -> CampaignUnit:
    _require_role(campaign=unit.campaign, actor=actor, roles={Role.ORGANISER}, message=_("Only the campaign's organisers mark priority units."))
    with transaction.atomic():
        CampaignUnit.objects.filter(pk=unit.pk).update(priority=bool(priority))
    unit.priority = bool(priority)
    return unit


# --- entries -------------------------------------------------------------------------------------


def _clean_entry_answers(campaign: Campaign, answers, photo_keys: set[str]) -> tuple[dict, dict[str, list[str]]]:
    """The form's answers checked by the datatype rules of reports.answers; unknown keys are errors."""
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        return {}, {"answers": [_("Answers must be an object keyed by field.")]}
    questions = form_field_questions(campaign=campaign)
    photo_fields = {f["key"]: f for f in campaign.form_fields if f["datatype"] == "photo"}
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in questions and key not in photo_fields:
            errors[f"answers.{key}"] = [_("This form has no field %(key)s.") % {"key": key}]
    for key, question in questions.items():
        value = answers.get(key)
        if value is None or value == "" or value == []:
            if question.required:
                errors[f"answers.{key}"] = [_("This field needs an answer.")]
            continue
        try:
            cleaned[key] = clean_answer(question, value)
        except ValueError as exc:
            errors[f"answers.{key}"] = [str(exc)]
    for key, field in photo_fields.items():
        if field["required"] and key not in photo_keys:
            errors[f"answers.{key}"] = [_("This field needs a photo.")]
    return cleaned, errors


def _photo_uploads(campaign: Campaign, photos) -> tuple[list[tuple[str, object]], dict[str, list[str]]]:
    """(field key, upload) pairs. A plain list of uploads answers the form's first photo field."""
    photo_fields = [f["key"] for f in campaign.form_fields if f["datatype"] == "photo"]
    if isinstance(photos, Mapping):
        pairs = []
        for key, uploads in photos.items():
            for upload in uploads if isinstance(uploads, list | tuple) else [uploads]:
                if upload:
                    pairs.append((key, upload))
    else:
        pairs = [(photo_fields[0] if photo_fields else "", upload) for upload in photos if upload]
    errors: dict[str, list[str]] = {}
    if pairs and not photo_fields:
        errors["photos"] = [_("This campaign's form takes no photo.")]
    for key, _upload in pairs:
        if photo_fields and key not in photo_fields:
            errors[f"answers.{key}"] = [_("This form has no photo field %(key)s.") % {"key": key}]
    if len(pairs) > settings.MAX_PHOTOS_PER_REPORT:
        errors["photos"] = [_("At most %(max)d photos.") % {"max": settings.MAX_PHOTOS_PER_REPORT}]
    return pairs, errors


def _clean_photos(pairs) -> tuple[list, dict[str, list[str]]]:
    clean, errors = [], {}
    for index, (key, upload) in enumerate(pairs, start=1):
        if hasattr(upload, "seek"):
            upload.seek(0)
        try:
            clean.append((key, photo_clean(upload)))
        except PhotoError as exc:
            errors.setdefault("photos", []).append(_("Photo %(n)d: %(error)s") % {"n": index, "error": exc})
    return clean, errors


def _check_open(campaign: Campaign) -> None:
    state = campaign.window_state()
    if state == WindowState.UPCOMING:
        raise DomainError(ErrorCode.CAMPAIGN_NOT_OPEN, _("This campaign has not started yet: entries open on %(date)s.")
                          % {"date": timezone.localtime(campaign.starts_at).strftime("%Y-%m-%d %H:%M")})
    if state == WindowState.CLOSED:
        raise DomainError(ErrorCode.CAMPAIGN_NOT_OPEN, _("This campaign has closed: it takes no more entries."))


def _checked_point(campaign: Campaign, lon, lat) -> Point:
    lon, lat = validate_coordinates(lon, lat)
    point = Point(lon, lat, srid=4326)
    if not coverage.campaign_area_covers(campaign=campaign, point=point):
        raise DomainError(ErrorCode.OUTSIDE_CAMPAIGN_AREA, _("This place is outside the campaign's area: pick a point inside it."),
                          fields={"location": [_("Pick a point inside the campaign's area.")]})
    return point


@retry_on_conflict
def entry_submit(*, campaign: Campaign, author, entry_type: str, lon, lat, answers: dict | None = None, photos=()) -> Entry:
    """Map one thing: a point in the area, in the window, by a participant, with the form's answers."""
    if author is None or not author.is_authenticated:
        raise DomainError(ErrorCode.NOT_A_PARTICIPANT, _("Sign in to take part in a campaign."))
    if campaign_role(campaign=campaign, user=author) is None:
        raise DomainError(ErrorCode.NOT_A_PARTICIPANT, _("This campaign is for invited teams: ask its organisers to invite you."))
    _check_open(campaign)
    if campaign.entry_type(entry_type) is None:
        raise DomainError(ErrorCode.UNKNOWN_ENTRY_TYPE, _("Choose what you are mapping."),
                          fields={"entry_type": [_("Choose one of: %(types)s.") % {"types": ", ".join(t["label"] for t in campaign.entry_types)}]})
    pairs, errors = _photo_uploads(campaign, photos)
    cleaned, answer_errors = _clean_entry_answers(campaign, answers, {key for key, _upload in pairs})
    errors.update(answer_errors)
    if not errors:
        clean_photos, photo_errors = _clean_photos(pairs)
        errors.update(photo_errors)
    if errors:
        raise DomainError(ErrorCode.INVALID, _("Please correct the highlighted fields."), fields=errors)
    point = _checked_point(campaign, lon, lat)
    now = timezone.now()
    with transaction.atomic():
        entry = Entry.objects.create(
            campaign=campaign, author=author, entry_type=entry_type, location=point, answers=cleaned,
            unit_id=coverage.campaign_unit_at(campaign=campaign, point=point), created_at=now, updated_at=now,
        )
        for key, photo in clean_photos:
            EntryPhoto.objects.create(entry=entry, field_key=key, image=photo.content)
        EntryEvent.objects.create(entry=entry, actor=author, action=EntryEvent.Action.SUBMITTED, created_at=now)
    return entry


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("campaign").get(pk=entry.pk)


def _review(*, entry: Entry, actor, to_status: str, action: str, reason: str = "") -> Entry:
    with transaction.atomic():
        entry = _locked(entry)
        _require_role(campaign=entry.campaign, actor=actor, roles=REVIEW_ROLES,
                      message=_("Only the campaign's organisers and validators review entries."))
        if entry.author_id == actor.pk:
            raise DomainError(ErrorCode.OWN_ENTRY, _("Nobody reviews their own entry: another validator will."))
        if entry.status not in REVIEWABLE:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("An entry that is %(status)s cannot be reviewed.")
                              % {"status": EntryStatus(entry.status).label})
        now = timezone.now()
        entry.status = to_status
        entry.updated_at = now
        entry.save(update_fields=["status", "updated_at"])
        EntryEvent.objects.create(entry=entry, actor=actor, action=action, reason=reason, created_at=now)
    return entry


@retry_on_conflict
def entry_validate(*, entry: Entry, actor) -> Entry:
    """Accept an entry; it now counts for coverage. Never by its author."""
    return _review(entry=entry, actor=actor, to_status=EntryStatus.VALIDATED, action=EntryEvent.Action.VALIDATED)


def _reason(reason: str, message: str) -> str:
    text = _text(reason, MAX_REASON)
    if not text:
        raise DomainError(ErrorCode.REASON_REQUIRED, message, fields={"reason": [_("Give a reason.")]})
    return text


@retry_on_conflict
def entry_send_back(*, entry: Entry, actor, reason: str) -> Entry:
    """Ask the author for more work, saying what."""
    text = _reason(reason, _("Say what the entry needs."))
    return _review(entry=entry, actor=actor, to_status=EntryStatus.NEEDS_WORK, action=EntryEvent.Action.SENT_BACK, reason=text)


@retry_on_conflict
def entry_resubmit(*, entry: Entry, actor, answers: dict | None = None, lon=None, lat=None) -> Entry:
    """The author's corrected entry, back in the validators' queue."""
    with transaction.atomic():
        entry = _locked(entry)
        campaign = entry.campaign
        if actor is None or entry.author_id != actor.pk:
            raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only the entry's author resubmits it."))
        if entry.status != EntryStatus.NEEDS_WORK:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("Only an entry sent back for more work is resubmitted."))
        _check_open(campaign)
        update = ["status", "updated_at"]
        if answers is not None:
            photo_keys = set(entry.photos.values_list("field_key", flat=True))
            cleaned, errors = _clean_entry_answers(campaign, answers, photo_keys)
            if errors:
                raise DomainError(ErrorCode.INVALID, _("Please correct the highlighted fields."), fields=errors)
            entry.answers = cleaned
            update.append("answers")
        if lon is not None or lat is not None:
            entry.location = _checked_point(campaign, lon, lat)
            entry.unit_id = coverage.campaign_unit_at(campaign=campaign, point=entry.location)
            update += ["location", "unit"]
        now = timezone.now()
        entry.status = EntryStatus.RESUBMITTED
        entry.updated_at = now
        entry.save(update_fields=update)
        EntryEvent.objects.create(entry=entry, actor=actor, action=EntryEvent.Action.RESUBMITTED, created_at=now)
    return entry


@retry_on_conflict
def entry_hide(*, entry: Entry, actor, reason: str) -> Entry:
    """Take an entry off every public output; the reason stays in the audit trail."""
    text = _reason(reason, _("Say why the entry is hidden."))
    with transaction.atomic():
        entry = _locked(entry)
        _require_role(campaign=entry.campaign, actor=actor, roles={Role.ORGANISER}, message=_("Only the campaign's organisers hide entries."))
        if entry.is_hidden:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This entry is already hidden."))
        now = timezone.now()
        entry.is_hidden = True
        entry.hidden_reason = text
        entry.updated_at = now
        entry.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
        EntryEvent.objects.create(entry=entry, actor=actor, action=EntryEvent.Action.HIDDEN, reason=text, created_at=now)
    return entry


def _report_description(entry: Entry) -> str:
    """What the public report says: the campaign, the entry type and the public answers only."""
    campaign = entry.campaign
    kind = campaign.entry_type(entry.entry_type) or {"label": entry.entry_type}
    labels = {f["key"]: f for f in campaign.form_fields}
    lines = [f"[{campaign.title}] {kind['label']}"]
    for key, value in entry_public_answers(campaign=campaign, answers=entry.answers).items():
        field = labels[key]
        names = {v["key"]: v["name"] for v in field.get("values", [])}
        shown = ", ".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(str(value), value)
        lines.append(f"{field['label']}: {shown}")
    return "\n".join(lines)[:4000]


@retry_on_conflict
def entry_to_report(*, entry: Entry, actor, category: Category) -> Report:
    """Turn an entry that shows a problem into a report in one step, routed by its point to the
    responsible government with the category's target; the entry links to it. Private answers and
    private photos stay behind."""
    with transaction.atomic():
        entry = _locked(entry)
        campaign = entry.campaign
        _require_role(campaign=campaign, actor=actor, roles=REVIEW_ROLES,
                      message=_("Only the campaign's organisers and validators turn entries into reports."))
        if entry.report_id is not None:
            raise DomainError(ErrorCode.ENTRY_ALREADY_REPORTED, _("This entry is already report #%(id)d.") % {"id": entry.report_id})
        if not isinstance(category, Category):
            raise DomainError(ErrorCode.UNKNOWN_CATEGORY, _("Choose a category."), fields={"category": [_("Choose a category.")]})
        public_keys = set(campaign_public_field_keys(campaign=campaign))
        photos = [photo.image for photo in entry.photos.all() if photo.field_key in public_keys]
        for image in photos:
            image.open("rb")
        try:
            report = report_create(
                category=category, lon=entry.location.x, lat=entry.location.y,
                description=_report_description(entry), photos=photos, reporter=actor,
            )
        finally:
            for image in photos:
                image.close()
        now = timezone.now()
        entry.report = report
        entry.updated_at = now
        entry.save(update_fields=["report", "updated_at"])
        EntryEvent.objects.create(entry=entry, actor=actor, action=EntryEvent.Action.REPORTED, created_at=now,
                                  reason=_("Report #%(id)d") % {"id": report.pk})
    return report
