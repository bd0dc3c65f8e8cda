"""Writes for standard models: publish (from a campaign and categories, or a document), approve,
import, adopt in one transaction, and upgrade an adoption to a new version by a three-way merge."""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.services import campaign_create
from clients.models import ApiKey
from core.db import retry_on_conflict
from core.errors import DomainError, ErrorCode
from core.korean import with_particle_in_language as josa
from geodata.models import Area
from reports.models import Category, Question
from staff.models import Department, StaffRole
from staff.selectors import staff_roles
from standard_models.documents import FORMAT, FORMAT_VERSION, document_bytes, document_clean, document_parse
from standard_models.models import RESERVED_SLUGS, AdoptedCategory, Adoption, ModelStatus, ModelVersion, StandardModel

Role = StaffRole.Role
PUBLISH_ROLES = {Role.STAFF, Role.ADMINISTRATOR}
# What an adopter may change on a field of the model's form (never its key or datatype).
CHANGEABLE = ("label", "label_en", "help", "help_en", "required", "public", "values")
BUNDLE_DOCUMENT = "model.json"


# --- who may do what -----------------------------------------------------------------------------


def _user(actor):
    """The account to record as author: none for an API key, or for the command line's unsaved operator."""
    if actor is None or isinstance(actor, ApiKey) or not actor.is_authenticated or actor.pk is None:
        return None
    return actor


def _key_prefix(actor) -> str:
    """The API key that acted, by its prefix, for the lineage ("" for a person)."""
    return actor.prefix if isinstance(actor, ApiKey) else ""


def _require_staff(actor, government: Area, message: str) -> None:
    """A person or an API key (staff.selectors.staff_roles answers for both) with a publishing role there."""
    if actor is None or not (staff_roles(user=actor, government_id=government.pk) & PUBLISH_ROLES):
        raise DomainError(ErrorCode.PERMISSION_DENIED, message)


def can_moderate_models(user) -> bool:
    """A platform superuser, or anyone holding a government's moderator role."""
    if user is None or isinstance(user, ApiKey) or not user.is_authenticated:
        return False
    return user.is_superuser or StaffRole.objects.filter(user=user, role=Role.MODERATOR).exists()


def can_import_models(user) -> bool:
    """Staff of a government (or its staff-scoped key); published at once only by a moderator."""
    if isinstance(user, ApiKey):
        return bool(staff_roles(user=user, government_id=user.client.local_government_id) & PUBLISH_ROLES)
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or StaffRole.objects.filter(user=user, role__in=PUBLISH_ROLES).exists()


# --- documents from what a government runs -------------------------------------------------------


def _category_part(category: Category) -> dict:
    return {
        "code": category.code, "name": category.name, "name_en": category.name_en, "description": category.description,
        "description_en": category.description_en, "group": category.group, "group_en": category.group_en,
        "keywords": category.keywords, "is_sensitive": category.is_sensitive,
        "questions": [
            {"code": q.code, "datatype": q.datatype, "description": q.description, "description_en": q.description_en,
             "help": q.datatype_description, "required": q.required, "variable": q.variable,
             "values": [{"key": str(v.get("key")), "name": str(v.get("name") or v.get("key")), "name_en": str(v.get("name_en", ""))}
                        for v in q.values]}
            for q in category.questions.all()
        ],
    }


def model_document_build(*, government: Area, slug: str, version: int, campaign: Campaign | None = None,
                         categories: Sequence[Category] = (), details: Mapping | None = None) -> dict:
    """A model document from a government's campaign and categories, with what only people can
    write (summary, licence, playbook, evidence, indicators; each field's lock, help and
    translations in details["fields"][key]). Returned in canonical form, or DomainError."""
    details = dict(details or {})
    field_details = details.get("fields") or {}
    template = dict(details["campaign"]) if details.get("campaign") is not None else None
    if campaign is not None:
        duration = max(1, (campaign.ends_at - campaign.starts_at).days)
        fields = []
        for field in campaign.form_fields:
            extra = field_details.get(field["key"]) or {}
            fields.append({
                "key": field["key"], "datatype": field["datatype"], "label": field["label"],
                "label_en": extra.get("label_en", ""), "help": extra.get("help", ""), "help_en": extra.get("help_en", ""),
                "required": field.get("required", False), "public": field.get("public", False), "locked": bool(extra.get("locked")),
                "values": [{"key": v["key"], "name": v["name"], "name_en": (extra.get("values_en") or {}).get(v["key"], "")}
                           for v in field.get("values", [])],
            })
        types_en = details.get("entry_types_en") or {}
        template = {
            "title": campaign.title, "description": campaign.description, "fields": fields,
            "entry_types": [{**t, "label_en": types_en.get(t["key"], "")} for t in campaign.entry_types],
            "participation": campaign.participation, "coverage_unit": campaign.coverage_unit, "duration_days": duration,
            **(template or {}),
        }
    identity = {
        "slug": slug, "origin_government": government.code, "version": version,
        "started_on": timezone.localtime(campaign.starts_at).date().isoformat() if campaign is not None else "",
        **(details.get("identity") or {}),
    }
    identity["slug"], identity["version"], identity["origin_government"] = slug, version, government.code
    workflow = details.get("workflow") or {}
    document = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "identity": identity,
        "taxonomy": {"categories": [_category_part(c) for c in categories]},
        "workflow": [{"category": c.code, "sla_days": c.sla_days, **(workflow.get(c.code) or {})} for c in categories],
        "campaign": template,
        "playbook": details.get("playbook") or {"phases": []},
        "indicators": details.get("indicators") or [],
        "evidence": details.get("evidence") or {},
        "photos": details.get("photos") or [],
    }
    return document_clean(document)


def _origin(document: dict) -> Area:
    code = document["identity"]["origin_government"]
    government = Area.objects.current().local_governments().filter(code=code).first()
    if government is None:
        raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT,
                          _("The model document is not valid: identity.origin_government: no current local government %(code)s.") % {"code": code},
                          fields={"identity.origin_government": [_("No current local government has this code.")]})
    return government


def _slug_free(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise DomainError(ErrorCode.MODEL_SLUG_TAKEN, _("The address %(slug)s is reserved: choose another.") % {"slug": slug},
                          fields={"identity.slug": [_("This address is reserved.")]})


def _version_store(*, document: dict, actor, publish: bool, is_example: bool = False, campaign: Campaign | None = None) -> ModelVersion:
    """Save a version (and its model the first time). `publish`: the model is approved at once."""
    identity = document["identity"]
    _slug_free(identity["slug"])
    origin = _origin(document)
    user = _user(actor)
    now = timezone.now()
    with transaction.atomic():
        model = StandardModel.objects.select_for_update().filter(slug=identity["slug"]).first()
        if model is None:
            model = StandardModel.objects.create(
                slug=identity["slug"], title=identity["title"], summary=identity["summary"], theme=identity["theme"],
                origin_government=origin, licence=identity["licence"], is_example=is_example, created_by=user,
                status=ModelStatus.PUBLISHED if publish else ModelStatus.PENDING,
            )
        elif model.origin_government_id != origin.pk:
            raise DomainError(ErrorCode.MODEL_SLUG_TAKEN, _("Another government's model already uses the address %(slug)s.") % {"slug": model.slug},
                              fields={"identity.slug": [_("This address is taken.")]})
        last = model.versions.order_by("-number").first()
        if last is not None and identity["version"] <= last.number:
            raise DomainError(ErrorCode.MODEL_VERSION_EXISTS, _("%(slug)s already has version %(n)d: versions never change once saved; publish version %(next)d.")
                              % {"slug": model.slug, "n": identity["version"], "next": last.number + 1})
        if last is not None and not last.is_published and model.status != ModelStatus.PUBLISHED:
            raise DomainError(ErrorCode.MODEL_NOT_PUBLISHED, _("The first version of %(slug)s is still waiting for a moderator.") % {"slug": model.slug})
        published = model.status == ModelStatus.PUBLISHED
        version = ModelVersion.objects.create(
            model=model, number=identity["version"], document_text=document_bytes(document).decode("utf-8"),
            created_by=user, created_by_key=_key_prefix(actor), published_at=now if published else None, source_campaign=campaign,
        )
        if published:  # the catalogue shows the newest version's words
            StandardModel.objects.filter(pk=model.pk).update(title=identity["title"], summary=identity["summary"], theme=identity["theme"],
                                                             licence=identity["licence"])
    return version


@retry_on_conflict
def model_publish(*, actor, government: Area, slug: str, campaign: Campaign | None = None, categories: Sequence[Category] = (),
                  details: Mapping | None = None, is_example: bool = False) -> ModelVersion:
    """A government's staff publish its campaign, or its categories and workflow, as a model or as
    the next version of theirs. The first version waits for a moderator; later ones publish at once."""
    _require_staff(actor, government, _("Only the government's staff publish its practice as a model."))
    if campaign is not None and campaign.organiser_government_id != government.pk:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("A government publishes its own campaigns only."))
    foreign = [c.code for c in categories if c.local_government_id not in (None, government.pk)]
    if foreign:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("These categories belong to another government: %(codes)s.") % {"codes": ", ".join(foreign)})
    if campaign is None and not categories:
        raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("Publish a campaign, or categories and their workflow."))
    slug = str(slug or "").strip().lower()
    existing = StandardModel.objects.filter(slug=slug).first()
    number = (existing.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1 if existing else 1
    document = model_document_build(government=government, slug=slug, version=number, campaign=campaign, categories=categories, details=details)
    return _version_store(document=document, actor=actor, publish=False, campaign=campaign, is_example=is_example)


def model_approve(*, actor, model: StandardModel) -> StandardModel:
    """A moderator approves a model's first publication; its waiting version is published."""
    if not can_moderate_models(actor):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only a moderator approves a model's first publication."))
    if model.created_by_id is not None and model.created_by_id == actor.pk and not actor.is_superuser:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Another moderator approves the model you published."))
    with transaction.atomic():
        model = StandardModel.objects.select_for_update().get(pk=model.pk)
        if model.status == ModelStatus.PUBLISHED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This model is already published."))
        now = timezone.now()
        model.versions.filter(published_at__isnull=True).update(published_at=now)
        model.status = ModelStatus.PUBLISHED
        model.approved_by = _user(actor)
        model.save(update_fields=["status", "approved_by"])
    return model


# --- import and export ---------------------------------------------------------------------------


def model_export(*, version: ModelVersion) -> bytes:
    """The version's document, byte for byte as stored (canonical)."""
    return version.document_text.encode("utf-8")


def _media_name(url: str) -> str | None:
    prefix = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/" + settings.MEDIA_URL
    return url[len(prefix):] if url.startswith(prefix) else None


def model_bundle(*, version: ModelVersion) -> tuple[bytes, list[str]]:
    """A .zip holding the document and the photos served from our own media, for closed networks.
    Returns the zip and the photos that could not be included (another host's URL, or a file
    whose SHA-256 does not match)."""
    document = version.document
    missing = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(BUNDLE_DOCUMENT, model_export(version=version))
        for photo in document["photos"]:
            name = _media_name(photo["url"])
            content = None
            if name and default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
            if content is None or hashlib.sha256(content).hexdigest() != photo["sha256"]:
                missing.append(photo["url"])
                continue
            bundle.writestr(f"photos/{photo['sha256']}", content)
    return buffer.getvalue(), missing


def _read_bundle(raw: bytes) -> tuple[bytes, dict[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as bundle:
            names = bundle.namelist()
            if BUNDLE_DOCUMENT not in names:
                raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("The bundle holds no %(name)s.") % {"name": BUNDLE_DOCUMENT})
            photos = {}
            for name in names:
                if name.startswith("photos/") and bundle.getinfo(name).file_size <= settings.PHOTO_MAX_BYTES:
                    photos[name.removeprefix("photos/")] = bundle.read(name)
            return bundle.read(BUNDLE_DOCUMENT), photos
    except (zipfile.BadZipFile, OSError) as exc:
        raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("The bundle is not a readable .zip file.")) from exc


@retry_on_conflict
def model_import(*, actor, raw: bytes) -> ModelVersion:
    """Import a document (JSON, or a --bundle .zip) exported by this or another installation.

    It is saved exactly as given (canonical), so exporting it again gives the same bytes. Imported
    by a moderator, or from the command line (actor None), it is published; by other staff it
    waits for a moderator. Nothing is saved on any error."""
    if actor is not None and not can_import_models(actor):
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only a government's staff import models."))
    photos: dict[str, bytes] = {}
    if raw[:2] == b"PK":
        raw, photos = _read_bundle(raw)
    document = document_parse(raw)
    with transaction.atomic():
        version = _version_store(document=document, actor=actor, publish=actor is None or can_moderate_models(actor))
        for photo in document["photos"]:
            content, name = photos.get(photo["sha256"]), _media_name(photo["url"])
            if content is None or name is None:
                continue
            if hashlib.sha256(content).hexdigest() != photo["sha256"]:
                raise DomainError(ErrorCode.INVALID_MODEL_DOCUMENT, _("A photo of the bundle does not match its SHA-256: %(url)s") % {"url": photo["url"]})
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
    return version


# --- adoption ------------------------------------------------------------------------------------


def _localise(text: str, origin: Area, government: Area) -> str:
    """The origin's name becomes the adopter's ("수원시 무장애 지도" → "전주시 무장애 지도")."""
    return text.replace(origin.name, government.name) if origin.name in text else text


def _apply_changes(template: dict, *, added_fields: Sequence[Mapping], changed_fields: Mapping[str, Mapping]) -> tuple[dict, dict]:
    """The adopter's template: the model's fields with its changes, then its own fields. A change
    to a locked field is refused; so is anything that is not a valid form."""
    template = copy.deepcopy(template)
    by_key = {field["key"]: field for field in template["fields"]}
    changes: dict = {"changed_fields": {}, "added_fields": []}
    for key, change in (changed_fields or {}).items():
        field = by_key.get(key)
        if field is None:
            raise DomainError(ErrorCode.INVALID, _("The model's form has no field %(key)s.") % {"key": key}, fields={f"fields.{key}": [_("No such field.")]})
        if not isinstance(change, Mapping):
            raise DomainError(ErrorCode.INVALID, _("The change of field %(key)s must be an object.") % {"key": key})
        unknown = [attr for attr in change if attr not in CHANGEABLE]
        if unknown:
            raise DomainError(ErrorCode.INVALID, _("Field %(key)s: %(attr)s cannot be changed; change one of: %(allowed)s.")
                              % {"key": key, "attr": unknown[0], "allowed": ", ".join(CHANGEABLE)}, fields={f"fields.{key}": [_("Cannot be changed.")]})
        altered = {attr: value for attr, value in change.items() if field.get(attr) != value}
        if altered and field["locked"]:
            raise DomainError(ErrorCode.LOCKED_FIELD, _("Field %(key)s is locked by the model, so results stay comparable across regions: it cannot be changed.")
                              % {"key": key}, fields={f"fields.{key}": [_("This field is locked.")]})
        field.update(altered)
        if altered:
            changes["changed_fields"][key] = altered
    for field in added_fields or ():
        if not isinstance(field, Mapping):
            raise DomainError(ErrorCode.INVALID, _("An added field must be an object."))
        template["fields"].append({**field, "locked": False})
        changes["added_fields"].append(str(field.get("key", "")))
    # The whole template must still be a valid form: check it as a document's campaign part.
    probe = {"format": FORMAT, "format_version": FORMAT_VERSION, "identity": {"slug": "probe", "title": "-", "summary": "-", "theme": "other",
             "origin_government": "11010", "version": 1, "licence": "CC0-1.0"}, "taxonomy": {"categories": []}, "workflow": [],
             "campaign": template, "playbook": {"phases": []}, "indicators": [], "evidence": {"text": "-"}}
    return document_clean(probe)["campaign"], changes


def _campaign_form(template: dict) -> tuple[list[dict], list[dict]]:
    """The campaign's own form and map style from a template (what campaigns store)."""
    fields = [{"key": f["key"], "label": f["label"], "datatype": f["datatype"], "required": f["required"],
               "values": [{"key": v["key"], "name": v["name"]} for v in f["values"]], "public": f["public"]} for f in template["fields"]]
    types = [{"key": t["key"], "label": t["label"], "colour": t["colour"], "icon": t["icon"]} for t in template["entry_types"]]
    return fields, types


def _category_create(*, part: dict, workflow: dict, government: Area, origin: Area, adoption: Adoption) -> AdoptedCategory:
    code = f"{part['code']}-{government.code}"
    if Category.objects.filter(code=code).exists():
        raise DomainError(ErrorCode.CATEGORY_CODE_CONFLICT, _("The category code %(code)s is already in use: this government already has the category.")
                          % {"code": code}, fields={"taxonomy": [_("Code %(code)s is taken.") % {"code": code}]})
    category = Category.objects.create(
        code=code, name=_localise(part["name"], origin, government), name_en=part["name_en"],
        description=_localise(part["description"], origin, government), description_en=part["description_en"],
        group=part["group"], group_en=part["group_en"], keywords=part["keywords"], local_government=government,
        is_sensitive=part["is_sensitive"], sla_days=workflow.get("sla_days", 7),
        order=Category.objects.filter(local_government=government).count(),
    )
    _questions_set(category=category, questions=part["questions"])
    department = None
    if workflow.get("department"):
        department, _created = Department.objects.get_or_create(local_government=government, name=workflow["department"])
    return AdoptedCategory.objects.create(adoption=adoption, category=category, model_code=part["code"], department=department)


def _questions_set(*, category: Category, questions: list[dict]) -> None:
    category.questions.all().delete()
    Question.objects.bulk_create([
        Question(category=category, code=q["code"], datatype=q["datatype"], description=q["description"],
                 description_en=q["description_en"], datatype_description=q["help"], required=q["required"],
                 variable=q["variable"], order=order, values=q["values"])
        for order, q in enumerate(questions)
    ])


def _starts_at(starts_on: date) -> datetime:
    return timezone.make_aware(datetime.combine(starts_on, time.min))


@retry_on_conflict
def model_adopt(*, model: StandardModel, government: Area, starts_on: date, actor, version: ModelVersion | None = None,
                added_fields: Sequence[Mapping] = (), changed_fields: Mapping[str, Mapping] | None = None) -> Adoption:
    """Adopt a model in one step: in one transaction, the model's categories (Open311 code
    `<code>-<government code>`, the model's code kept in the lineage), their SLA and departments,
    the campaign (through campaigns.services) with its form and map style, scoped to the
    government's area and named for it; and the lineage record. Nothing is created on error."""
    if not isinstance(starts_on, date):
        raise DomainError(ErrorCode.INVALID_DATE, _("Give the start date as YYYY-MM-DD."), fields={"start": [_("Give a date.")]})
    if not (government.is_local_government and government.is_current):
        raise DomainError(ErrorCode.INVALID_GOVERNMENT, _("Choose a current local government."))
    _require_staff(actor, government, _("Only the adopting government's staff adopt a model for it."))
    model = StandardModel.objects.select_related("origin_government").get(pk=model.pk)  # its status now, not the caller's copy
    if model.status != ModelStatus.PUBLISHED:
        raise DomainError(ErrorCode.MODEL_NOT_PUBLISHED, _("This model is not published yet."))
    version = version or model.versions.filter(published_at__isnull=False).order_by("-number").first()
    if version is None or version.model_id != model.pk or not version.is_published:
        raise DomainError(ErrorCode.MODEL_NOT_PUBLISHED, _("This version is not published."))
    document = version.document
    origin = model.origin_government
    if government.pk == origin.pk:
        raise DomainError(ErrorCode.ALREADY_ADOPTED, _("%(name)s is where this model comes from: it already runs it.") % {"name": josa(government.name, "은")})
    running = Adoption.objects.filter(model=model, government=government).select_related("version").first()
    if running is not None:
        if running.version_id == version.pk:
            message = _("%(name)s already runs version %(n)d of this model.") % {"name": josa(government.name, "은"), "n": version.number}
        else:
            message = _("%(name)s already runs version %(n)d of this model: apply the new version as an update instead.") % {
                "name": josa(government.name, "은"), "n": running.version.number}
        raise DomainError(ErrorCode.ALREADY_ADOPTED, message)
    if document["campaign"] is None:  # categories and workflow alone
        if added_fields or changed_fields:
            raise DomainError(ErrorCode.INVALID, _("This model has no campaign form to change."))
        template, changes = None, {"changed_fields": {}, "added_fields": []}
    else:
        template, changes = _apply_changes(document["campaign"], added_fields=added_fields, changed_fields=changed_fields or {})
    workflows = {step["category"]: step for step in document["workflow"]}
    starts_at = _starts_at(starts_on)
    with transaction.atomic():
        campaign = None
        if template is not None:
            fields, types = _campaign_form(template)
            campaign = campaign_create(
                actor=actor, slug=f"{model.slug}-{government.code}"[:80], title=_localise(template["title"], origin, government)[:200],
                theme=document["identity"]["theme"], description=_localise(template["description"], origin, government),
                organiser_government=government, governments=[government], starts_at=starts_at,
                ends_at=starts_at + timedelta(days=template["duration_days"]), participation=template["participation"],
                coverage_unit=template["coverage_unit"], form_fields=fields, entry_types=types, is_example=model.is_example,
            )
        try:
            with transaction.atomic():
                adoption = Adoption.objects.create(
                    version=version, model=model, government=government, starts_on=starts_on, campaign=campaign,
                    template=template or {}, changes=changes, created_by=_user(actor), created_by_key=_key_prefix(actor),
                )
        except IntegrityError as exc:  # another adoption won the race
            raise DomainError(ErrorCode.ALREADY_ADOPTED, _("%(name)s already runs this model.") % {"name": josa(government.name, "은")}) from exc
        for part in document["taxonomy"]["categories"]:
            _category_create(part=part, workflow=workflows.get(part["code"], {}), government=government, origin=origin, adoption=adoption)
    return adoption


# --- new versions: diff and three-way merge ------------------------------------------------------


def _merge_items(base: list[dict], theirs: list[dict], mine: list[dict], key: str) -> tuple[list[dict], list[str], list[str]]:
    """Three-way merge of keyed lists: the new version's order, each item as the side that changed
    it; the adopter's own items kept after the model's item they followed. Locked items always
    follow the model. Returns the merged list, the kept local changes and the conflicts."""
    base_by, mine_by = {i[key]: i for i in base}, {i[key]: i for i in mine}
    kept, conflicts, merged = [], [], []
    for item in theirs:
        k = item[key]
        old, local = base_by.get(k), mine_by.get(k)
        if local is None or old is None or local == old or item.get("locked"):
            merged.append(item)  # new in the model, unchanged locally, or locked
        elif item == old:
            merged.append(local)
            kept.append(k)
        else:
            merged.append(local)
            kept.append(k)
            conflicts.append(k)
    theirs_keys = {i[key] for i in theirs}
    for index, item in enumerate(mine):
        k = item[key]
        if k in base_by or k in theirs_keys:
            if k in base_by and k not in theirs_keys and item != base_by[k]:
                conflicts.append(k)  # removed by the model but changed locally: dropped, and said so
            continue
        # A local extension: after the item it followed in the adopter's list.
        previous = [i[key] for i in mine[:index]]
        position = 0
        for p in reversed(previous):
            found = next((n for n, m in enumerate(merged) if m[key] == p), None)
            if found is not None:
                position = found + 1
                break
        merged.insert(position, item)
        kept.append(k)
    return merged, kept, conflicts


def model_version_merge(*, adoption: Adoption, version: ModelVersion) -> dict:
    """What applying `version` to an adoption would give: the merged template, the local changes
    kept and the conflicts (an adopter's change the model also changed: the adopter's is kept)."""
    base = adoption.version.document["campaign"]
    theirs = version.document["campaign"]
    mine = adoption.template
    if not (base and theirs and mine):  # no campaign on one side: the new version's template, if any
        return {"template": theirs or {}, "kept": [], "conflicts": []}
    fields, kept, conflicts = _merge_items(base["fields"], theirs["fields"], mine["fields"], "key")
    types, kept_types, type_conflicts = _merge_items(base["entry_types"], theirs["entry_types"], mine["entry_types"], "key")
    merged = {**theirs, "fields": fields, "entry_types": types}
    return {"template": merged, "kept": kept + kept_types, "conflicts": conflicts + type_conflicts}


@retry_on_conflict
def adoption_update(*, adoption: Adoption, version: ModelVersion, actor) -> Adoption:
    """Apply a newer version to an adoption by the three-way merge: the campaign's form and map
    style, new categories, SLA the adopter had not changed. The adopter's extensions stay."""
    _require_staff(actor, adoption.government, _("Only the adopting government's staff update its adoption."))
    if version.model_id != adoption.model_id or not version.is_published:
        raise DomainError(ErrorCode.MODEL_NOT_PUBLISHED, _("This version is not published."))
    if version.number <= adoption.version.number:
        raise DomainError(ErrorCode.ALREADY_ADOPTED, _("%(name)s already runs version %(n)d.") % {"name": josa(adoption.government.name, "은"), "n": adoption.version.number})
    merge = model_version_merge(adoption=adoption, version=version)
    old, new = adoption.version.document, version.document
    with transaction.atomic():
        adoption = Adoption.objects.select_for_update().select_related("version", "government", "model__origin_government").get(pk=adoption.pk)
        if adoption.campaign_id and merge["template"]:
            fields, types = _campaign_form(merge["template"])
            Campaign.objects.filter(pk=adoption.campaign_id).update(form_fields=fields, entry_types=types)
        lineage = {a.model_code: a for a in adoption.adopted_categories.select_related("category")}
        old_parts = {c["code"]: c for c in old["taxonomy"]["categories"]}
        old_flow = {s["category"]: s for s in old["workflow"]}
        new_flow = {s["category"]: s for s in new["workflow"]}
        for part in new["taxonomy"]["categories"]:
            adopted = lineage.get(part["code"])
            if adopted is None:
                _category_create(part=part, workflow=new_flow.get(part["code"], {}), government=adoption.government,
                                 origin=adoption.model.origin_government, adoption=adoption)
                continue
            category = adopted.category
            if category.sla_days == old_flow.get(part["code"], {}).get("sla_days") and "sla_days" in new_flow.get(part["code"], {}):
                category.sla_days = new_flow[part["code"]]["sla_days"]
                category.save(update_fields=["sla_days"])
            if old_parts.get(part["code"], {}).get("questions") != part["questions"]:
                _questions_set(category=category, questions=part["questions"])
        adoption.history = [*adoption.history, {"from": adoption.version.number, "to": version.number, "at": timezone.now().isoformat(),
                                                "kept": merge["kept"], "conflicts": merge["conflicts"]}]
        adoption.version = version
        adoption.template = merge["template"]
        adoption.save(update_fields=["version", "template", "history"])
    return adoption
