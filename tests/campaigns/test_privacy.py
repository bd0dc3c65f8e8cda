"""Private answers and private photos never appear on any campaign page for anyone but the
campaign's organisers and validators (and the author, on their own entry); the public pages still
show the public ones. A report made from an entry carries no private answer either."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns.services import entry_submit, entry_to_report, entry_validate
from tests.campaigns.conftest import JONGNO_POINT
from tests.factories import CategoryFactory, UserFactory, photo_upload

pytestmark = pytest.mark.django_db

CANARY = "canary-private-010-9876-5432"
PUBLIC = "경사로가 가팔라요"


@pytest.fixture
def entry(campaign, organiser, validator, mapper, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = entry_submit(
        campaign=campaign, author=mapper, entry_type="shop", lon=JONGNO_POINT[0], lat=JONGNO_POINT[1],
        answers={"entrance": "ramp", "note": PUBLIC, "contact": CANARY},
        photos={"photo": photo_upload(), "face_photo": photo_upload(name="face.jpg")},
    )
    entry_validate(entry=entry, actor=validator)
    entry_to_report(entry=entry, actor=organiser, category=CategoryFactory())
    return entry


def pages(campaign, entry):
    slug = campaign.slug
    return [
        "/campaigns/", f"/campaigns/{slug}/", f"/campaigns/{slug}/map.json",
        f"/campaigns/{slug}/next.json?lon={JONGNO_POINT[0]}&lat={JONGNO_POINT[1]}",
        f"/campaigns/{slug}/entries/new/", f"/campaigns/{slug}/review/", f"/campaigns/{slug}/organise/",
        f"/reports/{entry.report_id}/",
    ]


def test_no_private_answer_or_name_on_any_page_for_the_public_or_another_volunteer(campaign, entry, mapper):
    public_photo = entry.photos.get(field_key="photo")
    private_photo = entry.photos.get(field_key="face_photo")
    someone = UserFactory(username="another-volunteer")
    for viewer in (None, someone):
        client = Client()
        if viewer:
            client.force_login(viewer)
        seen_public = False
        for url in pages(campaign, entry):
            response = client.get(url)
            assert response.status_code < 500, url
            body = response.content.decode()
            for secret in (CANARY, mapper.email, mapper.username, mapper.get_full_name(), "010-9876"):
                assert secret not in body, (viewer, url, secret)
            assert f"/photos/{private_photo.pk}/" not in body
            seen_public = seen_public or PUBLIC in body
        assert seen_public  # the public answer is shown (the map data)
        assert client.get(f"/campaigns/{campaign.slug}/photos/{private_photo.pk}/").status_code == 404
        assert client.get(f"/campaigns/{campaign.slug}/photos/{public_photo.pk}/").status_code == 200
    # The map data carries the public photo only.
    data = Client().get(f"/campaigns/{campaign.slug}/map.json").json()
    assert data["entries"][0]["photos"] == [public_photo.pk]
    assert [f["key"] for f in data["fields"]] == ["entrance", "width_cm", "note", "photo"]


def test_organisers_and_validators_see_the_private_answers(campaign, entry, organiser, validator):
    private_photo = entry.photos.get(field_key="face_photo")
    for person in (organiser, validator):
        client = Client()
        client.force_login(person)
        assert CANARY in client.get(f"/campaigns/{campaign.slug}/organise/").content.decode()
        assert client.get(f"/campaigns/{campaign.slug}/photos/{private_photo.pk}/").status_code == 200


def test_a_hidden_entry_leaves_every_public_output(client, campaign, entry, organiser):
    from campaigns.services import entry_hide

    entry_hide(entry=entry, actor=organiser, reason="개인정보가 보여요")
    assert client.get(f"/campaigns/{campaign.slug}/map.json").json()["entries"] == []
    assert PUBLIC not in client.get(f"/campaigns/{campaign.slug}/").content.decode()
    photo = entry.photos.get(field_key="photo")
    assert client.get(f"/campaigns/{campaign.slug}/photos/{photo.pk}/").status_code == 404
