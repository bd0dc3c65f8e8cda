"""Campaign and entry services: who may do what, what is refused (and leaves nothing), the workflow,
entry → report, and coverage computed by hand on a small grid-aligned square."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign, CampaignMember, CampaignUnit, Entry, EntryEvent, EntryStatus, Organisation
from campaigns.selectors import (
    campaign_coverage,
    campaign_dashboard,
    campaign_map_next,
    campaign_public_field_keys,
    campaign_role,
    entry_public_answers,
)
from campaigns.services import (
    campaign_member_add,
    campaign_unit_set_priority,
    entry_hide,
    entry_resubmit,
    entry_send_back,
    entry_submit,
    entry_to_report,
    entry_validate,
)
from core.errors import DomainError, ErrorCode
from geodata.models import Area
from reports.models import Report, Status
from reports.services import report_change_status
from tests.campaigns.conftest import JONGNO_POINT, OUTSIDE_JONGNO, grid_square, jongno, make_campaign, staff_of
from tests.factories import CategoryFactory, UserFactory, photo_upload

pytestmark = pytest.mark.django_db

ANSWERS = {"entrance": "step", "width_cm": "85", "note": "계단 두 칸", "contact": "010-1234-5678"}


def submit(campaign, author, at=JONGNO_POINT, **kwargs):
    values = {"entry_type": "shop", "answers": dict(ANSWERS)}
    values.update(kwargs)
    return entry_submit(campaign=campaign, author=author, lon=at[0], lat=at[1], **values)


# --- campaigns -----------------------------------------------------------------------------------


def test_a_government_campaign_covers_its_boundary_cut_into_its_dong(campaign):
    dongs = set(Area.objects.current().filter(level="submunicipal", local_government__code="11010").values_list("id", flat=True))
    units = set(campaign.units.values_list("area_id", flat=True))
    assert len(dongs) == 17 and units == dongs
    assert set(campaign.governments.values_list("code", flat=True)) == {"11010"}
    # The area is the government's boundary (computed in PostGIS, made valid).
    assert abs(campaign.area.area - jongno().geom.area) / jongno().geom.area < 1e-6
    assert campaign.window_state() == "open"
    assert campaign.units.first().label.startswith("종로구 ")


def test_only_the_governments_staff_or_a_superuser_opens_a_campaign(db):
    for actor in (UserFactory(), staff_of("21090")):
        with pytest.raises(DomainError) as refused:
            make_campaign(actor=actor)
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    organisation = Organisation.objects.create(name="커뮤니티매핑센터", slug="cmc")
    with pytest.raises(DomainError) as refused:
        make_campaign(actor=staff_of("11010"), organiser_government=None, organiser_organisation=organisation,
                      governments=[jongno()])
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not Campaign.objects.exists()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    campaign = make_campaign(actor=superuser, organiser_government=None, organiser_organisation=organisation, governments=[jongno()])
    assert campaign.organiser_name == "커뮤니티매핑센터"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"title": "  "}, "title"),
        ({"theme": "parade"}, "theme"),
        ({"ends_at": timezone.now() - timedelta(days=3)}, "ends_at"),
        ({"form_fields": [{"key": "x", "label": "X", "datatype": "colour"}]}, "form_fields"),
        ({"form_fields": [{"key": "x", "label": "X", "datatype": "singlevaluelist"}]}, "form_fields"),
        ({"entry_types": [{"key": "shop", "label": "가게", "colour": "blue"}]}, "entry_types"),
        ({"entry_types": []}, "entry_types"),
    ],
)
def test_a_bad_campaign_is_refused_field_by_field(organiser, change, field):
    with pytest.raises(DomainError) as refused:
        make_campaign(actor=organiser, **change)
    assert refused.value.code == ErrorCode.INVALID_CAMPAIGN and field in refused.value.fields
    assert not Campaign.objects.exists() and not CampaignUnit.objects.exists()


def test_a_taken_slug_a_foreign_area_or_too_many_cells_save_nothing(campaign, organiser, settings):
    with pytest.raises(DomainError) as refused:
        make_campaign(actor=organiser)
    assert refused.value.code == ErrorCode.CAMPAIGN_SLUG_TAKEN
    tokyo = "POLYGON((139.7 35.6, 139.8 35.6, 139.8 35.7, 139.7 35.7, 139.7 35.6))"
    with pytest.raises(DomainError) as refused:
        make_campaign(actor=organiser, slug="tokyo", drawn_area=tokyo)
    assert refused.value.code == ErrorCode.INVALID_CAMPAIGN_AREA
    with pytest.raises(DomainError) as refused:
        make_campaign(actor=organiser, slug="nonsense", drawn_area="not a polygon")
    assert refused.value.code == ErrorCode.INVALID_CAMPAIGN_AREA
    settings.CAMPAIGN_MAX_GRID_UNITS = 100  # 종로구 is ~24 km²: ~380 cells
    with pytest.raises(DomainError) as refused:
        make_campaign(actor=organiser, slug="jongno-grid", coverage_unit="grid")
    assert refused.value.code == ErrorCode.CAMPAIGN_AREA_TOO_LARGE
    assert list(Campaign.objects.values_list("slug", flat=True)) == ["jongno-barrier-free"]
    assert CampaignUnit.objects.count() == 17


def test_roles(campaign, organiser, validator, mapper):
    assert campaign_role(campaign=campaign, user=organiser) == "organiser"  # staff of the organising government
    assert campaign_role(campaign=campaign, user=validator) == "validator"
    assert campaign_role(campaign=campaign, user=mapper) == "mapper"  # open: anyone signed in maps
    assert campaign_role(campaign=campaign, user=staff_of("21090")) == "mapper"
    from django.contrib.auth.models import AnonymousUser

    assert campaign_role(campaign=campaign, user=AnonymousUser()) is None
    invited = make_campaign(actor=organiser, slug="invited-only", participation="invited")
    assert campaign_role(campaign=invited, user=mapper) is None
    with pytest.raises(DomainError) as refused:
        campaign_member_add(campaign=invited, actor=mapper, user=mapper, role="organiser")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    member = campaign_member_add(campaign=invited, actor=organiser, user=mapper, role="mapper", team="1조")
    assert member.team == "1조"
    assert campaign_role(campaign=invited, user=UserFactory()) is None
    assert campaign_role(campaign=invited, user=type(mapper).objects.get(pk=mapper.pk)) == "mapper"


# --- entries -------------------------------------------------------------------------------------


def test_an_entry_is_stored_with_clean_answers_its_unit_and_a_clean_photo(campaign, mapper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    entry = submit(campaign, mapper, photos={"photo": photo_upload(exif=exif.tobytes())})
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.answers == {"entrance": "step", "width_cm": 85, "note": "계단 두 칸", "contact": "010-1234-5678"}
    assert entry.unit.area.name == "청운효자동"
    photo = entry.photos.get()
    assert photo.field_key == "photo" and b"secret description" not in photo.image.read()
    assert list(entry.events.values_list("action", flat=True)) == ["submitted"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"entrance": "elevator"}, "answers.entrance"),  # not one of the choices
        ({"width_cm": "wide"}, "answers.width_cm"),  # a number field
        ({"width_cm": 80}, "answers.entrance"),  # required, missing
        ({"entrance": "flat", "colour": "red"}, "answers.colour"),  # no such field
    ],
)
def test_answers_that_do_not_fit_the_form_are_refused(campaign, mapper, answers, field):
    with pytest.raises(DomainError) as refused:
        submit(campaign, mapper, answers=answers)
    assert refused.value.code == ErrorCode.INVALID and field in refused.value.fields
    assert not Entry.objects.exists()


def test_entries_outside_the_area_the_window_or_the_invitation_are_refused(campaign, organiser, mapper):
    with pytest.raises(DomainError) as refused:
        submit(campaign, mapper, at=OUTSIDE_JONGNO)
    assert refused.value.code == ErrorCode.OUTSIDE_CAMPAIGN_AREA
    with pytest.raises(DomainError) as refused:
        submit(campaign, mapper, entry_type="bench")
    assert refused.value.code == ErrorCode.UNKNOWN_ENTRY_TYPE
    now = timezone.now()
    later = make_campaign(actor=organiser, slug="later", starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=3))
    over = make_campaign(actor=organiser, slug="over", starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2))
    invited = make_campaign(actor=organiser, slug="invited", participation="invited")
    for target, code in ((later, ErrorCode.CAMPAIGN_NOT_OPEN), (over, ErrorCode.CAMPAIGN_NOT_OPEN), (invited, ErrorCode.NOT_A_PARTICIPANT)):
        with pytest.raises(DomainError) as refused:
            submit(target, mapper)
        assert refused.value.code == code
    assert not Entry.objects.exists()


def test_a_broken_photo_is_refused_and_nothing_is_saved(campaign, mapper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as refused:
        submit(campaign, mapper, photos={"photo": SimpleUploadedFile("x.jpg", b"<?php echo 1;", content_type="image/jpeg")})
    assert refused.value.code == ErrorCode.INVALID and "photos" in refused.value.fields
    assert not Entry.objects.exists()


def test_the_workflow_and_nobody_validates_their_own_entry(campaign, organiser, validator, mapper):
    entry = submit(campaign, mapper)
    with pytest.raises(DomainError) as refused:
        entry_validate(entry=entry, actor=mapper)  # a mapper does not review
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    own = submit(campaign, validator)
    with pytest.raises(DomainError) as refused:
        entry_validate(entry=own, actor=validator)
    assert refused.value.code == ErrorCode.OWN_ENTRY
    own.refresh_from_db()
    assert own.status == EntryStatus.SUBMITTED
    with pytest.raises(DomainError) as refused:
        entry_send_back(entry=entry, actor=validator, reason=" ")
    assert refused.value.code == ErrorCode.REASON_REQUIRED
    entry_send_back(entry=entry, actor=validator, reason="입구 사진을 더 가까이 찍어 주세요")
    with pytest.raises(DomainError) as refused:
        entry_validate(entry=entry, actor=validator)  # it waits for the author now
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    with pytest.raises(DomainError):
        entry_resubmit(entry=entry, actor=validator)
    entry = entry_resubmit(entry=entry, actor=mapper, answers={"entrance": "ramp"})
    assert entry.status == EntryStatus.RESUBMITTED and entry.answers == {"entrance": "ramp"}
    entry = entry_validate(entry=entry, actor=organiser)
    assert entry.status == EntryStatus.VALIDATED
    assert list(entry.events.values_list("action", "reason")) == [
        ("submitted", ""), ("sent_back", "입구 사진을 더 가까이 찍어 주세요"), ("resubmitted", ""), ("validated", ""),
    ]
    entry_validate(entry=own, actor=organiser)  # another person may


def test_an_organiser_hides_an_entry_with_a_reason_kept(campaign, organiser, validator, mapper):
    entry = submit(campaign, mapper)
    with pytest.raises(DomainError) as refused:
        entry_hide(entry=entry, actor=validator, reason="광고")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as refused:
        entry_hide(entry=entry, actor=organiser, reason="")
    assert refused.value.code == ErrorCode.REASON_REQUIRED
    entry = entry_hide(entry=entry, actor=organiser, reason="개인 연락처가 사진에 보여요")
    assert entry.is_hidden
    assert entry.events.get(action=EntryEvent.Action.HIDDEN).reason == "개인 연락처가 사진에 보여요"


def test_an_entry_becomes_a_routed_report_and_the_dashboard_counts_it(campaign, organiser, validator, mapper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    category = CategoryFactory(name="보도 턱", sla_days=14)
    entry = submit(campaign, mapper, photos={"photo": photo_upload(), "face_photo": photo_upload(name="face.jpg")})
    with pytest.raises(DomainError) as refused:
        entry_to_report(entry=entry, actor=mapper, category=category)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    report = entry_to_report(entry=entry, actor=validator, category=category)
    entry.refresh_from_db()
    assert entry.report == report
    assert report.local_government.code == "11010" and report.category == category
    assert report.due_at - report.created_at == timedelta(days=14)
    assert "입구 형태: 계단" in report.description and "010-1234-5678" not in report.description
    assert report.photos.count() == 1  # the public photo; the private one stays with the entry
    assert entry.events.filter(action="reported").exists()
    with pytest.raises(DomainError) as refused:
        entry_to_report(entry=entry, actor=organiser, category=category)
    assert refused.value.code == ErrorCode.ENTRY_ALREADY_REPORTED
    assert Report.objects.count() == 1

    dashboard = campaign_dashboard(campaign=campaign)
    assert dashboard["reports"] == 1 and dashboard["by_status"]["submitted"] == 1
    assert dashboard["median_days_to_close"] is None
    Report.objects.filter(pk=report.pk).update(created_at=report.created_at - timedelta(days=3))
    report_change_status(report=report, to_status=Status.CLOSED, outcome="resolved")
    dashboard = campaign_dashboard(campaign=campaign)
    assert dashboard["by_status"]["closed"] == 1 and dashboard["by_status"]["submitted"] == 0
    assert dashboard["median_days_to_close"] == 3.0


def test_public_keys_are_the_fields_marked_public(campaign):
    assert campaign_public_field_keys(campaign=campaign) == ["entrance", "width_cm", "note", "photo"]
    assert entry_public_answers(campaign=campaign, answers=ANSWERS) == {"entrance": "step", "width_cm": "85", "note": "계단 두 칸"}


# --- coverage ------------------------------------------------------------------------------------


def test_coverage_on_a_grid_square_computed_by_hand(organiser, mapper):
    square, centres = grid_square(cells=2)
    campaign = make_campaign(actor=organiser, slug="square", coverage_unit="grid", drawn_area=square.geojson)
    # 2 x 2 cells of 250 m: the denominator is 4.
    assert campaign.units.count() == 4
    assert campaign_coverage(campaign=campaign) == {"units": 4, "covered": 0, "share": 0.0}
    south_west, south_east, north_west, north_east = centres
    a = submit(campaign, mapper, at=south_west)
    b = submit(campaign, mapper, at=south_west)  # a second one in the same cell: still one unit
    c = submit(campaign, mapper, at=south_east)
    d = submit(campaign, mapper, at=north_west)
    submit(campaign, mapper, at=north_east)  # never validated: does not count
    for entry in (a, b, c, d):
        entry_validate(entry=entry, actor=organiser)
    entry_hide(entry=d, actor=organiser, reason="중복")  # hidden: does not count
    # Covered by hand: south-west (a, b) and south-east (c) = 2 of 4.
    assert campaign_coverage(campaign=campaign) == {"units": 4, "covered": 2, "share": 0.5}
    assert len({a.unit_id, c.unit_id, d.unit_id}) == 3 and a.unit_id == b.unit_id


def test_map_next_sends_to_the_least_covered_priority_unit_nearest(organiser, mapper):
    square, centres = grid_square(cells=3)
    campaign = make_campaign(actor=organiser, slug="square9", coverage_unit="grid", drawn_area=square.geojson)
    assert campaign.units.count() == 9
    entries = [submit(campaign, mapper, at=centre) for centre in centres]
    units = [entry.unit for entry in entries]
    # No priority units: the least covered, nearest. All empty: the one under the volunteer.
    assert campaign_map_next(campaign=campaign, lon=centres[4][0], lat=centres[4][1]) == units[4]
    entry_validate(entry=entries[4], actor=organiser)
    nearest_empty = campaign_map_next(campaign=campaign, lon=centres[4][0], lat=centres[4][1])
    assert nearest_empty != units[4] and nearest_empty in (units[1], units[3], units[5], units[7])
    # Priority units come first, however far: the far corner.
    with pytest.raises(DomainError):
        campaign_unit_set_priority(unit=units[8], actor=mapper, priority=True)
    campaign_unit_set_priority(unit=units[8], actor=organiser, priority=True)
    campaign_unit_set_priority(unit=units[0], actor=organiser, priority=True)
    entry_validate(entry=entries[0], actor=organiser)
    assert campaign_map_next(campaign=campaign, lon=centres[0][0], lat=centres[0][1]) == units[8]


def test_member_roles_and_teams_are_kept(campaign, organiser, mapper):
    campaign_member_add(campaign=campaign, actor=organiser, user=mapper, role="validator", team="A")
    campaign_member_add(campaign=campaign, actor=organiser, user=mapper, role="mapper", team="B")
    assert list(CampaignMember.objects.values_list("role", "team")) == [("mapper", "B")]
    with pytest.raises(DomainError) as refused:
        campaign_member_add(campaign=campaign, actor=organiser, user=mapper, role="boss")
    assert refused.value.code == ErrorCode.INVALID_ROLE


def test_deleting_an_account_keeps_its_entries_without_an_author(campaign, mapper):
    from privacy.services import account_delete

    entry = submit(campaign, mapper)
    account_delete(user=mapper)
    entry.refresh_from_db()
    assert entry.author_id is None and entry.status == EntryStatus.SUBMITTED


def test_grid_cells_are_named_after_their_dong(organiser):
    square, _centres = grid_square(cells=2)
    campaign = make_campaign(actor=organiser, slug="named", coverage_unit="grid", drawn_area=square.geojson)
    labels = sorted(campaign.units.values_list("label", flat=True))
    assert len(labels) == 4 and all(label.rsplit(" ", 1)[0].endswith("동") for label in labels)
    assert len(set(labels)) == 4
