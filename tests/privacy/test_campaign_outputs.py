"""Private answers and authors never leave through any public output of campaign entries.

An entry answers a private field with a sentinel, attaches a photo to a private photo field, and
its author's email, user name and names are sentinels too; a hidden entry carries another. Every
entry output (REST list and campaign detail, the three exports, OGC API items and item in JSON
and HTML, a vector tile decoded) is fetched, decoded and searched; each must also show the public
answer, so an empty or broken output cannot pass. Then every output that lets a client choose
fields refuses a private one with a 400.
"""

from __future__ import annotations

import html
import json
from urllib.parse import unquote

import mapbox_vector_tile
import pytest

from campaigns.models import EntryPhoto
from campaigns.services import entry_hide
from tests.campaign_factories import JONGNO_POINTS, campaign_organiser, make_campaign, make_entry
from tests.factories import UserFactory, photo_upload

pytestmark = pytest.mark.django_db

PRIVATE_ANSWER = "private-answer-sentinel-4b1d"
HIDDEN_ANSWER = "hidden-entry-sentinel-77aa"
PUBLIC_NOTE = "public-note-shown-9e0c"
AUTHOR = {"username": "author-sentinel-user", "email": "author-sentinel@example.kr", "first_name": "센티널이름", "last_name": "작성자성"}
# The zoom-15 tile 15/27941/12688 holds JONGNO_POINTS[0] and [1].


@pytest.fixture
def world(db):
    campaign = make_campaign(slug="privacy-walk")
    author = UserFactory(**AUTHOR)
    entry = make_entry(campaign, author=author, at=JONGNO_POINTS[0],
                       answers={"entrance": "step", "note": PUBLIC_NOTE, "contact": PRIVATE_ANSWER},
                       photos={"photo": [photo_upload()], "face_photo": [photo_upload()]})
    hidden = make_entry(campaign, author=author, at=JONGNO_POINTS[1], answers={"entrance": "flat", "note": HIDDEN_ANSWER})
    entry_hide(entry=hidden, actor=campaign_organiser(), reason="숨김")
    private_photo = EntryPhoto.objects.get(entry=entry, field_key="face_photo")
    return {"campaign": campaign, "entry": entry, "private_photo": private_photo.image.name.rsplit("/", 1)[-1]}


def _raw(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8-sig")
    try:
        text += json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        pass
    return "\n".join({text, html.unescape(text), unquote(text)})


def _tile_text(raw: bytes) -> str:
    decoded = mapbox_vector_tile.decode(raw)
    return json.dumps(decoded, ensure_ascii=False, default=str) + raw.decode("utf-8", "replace")


OUTPUTS = {
    "api-entries": ("/api/v1/campaigns/{slug}/entries/", _text),
    "api-entries-fields": ("/api/v1/campaigns/{slug}/entries/?fields=note", _text),
    "api-campaigns": ("/api/v1/campaigns/", _text),
    "api-campaign-detail": ("/api/v1/campaigns/{slug}/", _text),
    "export-geojson": ("/exports/campaigns/{slug}/entries.geojson", _text),
    "export-csv": ("/exports/campaigns/{slug}/entries.csv", _text),
    "export-ndjson": ("/exports/campaigns/{slug}/entries.ndjson", _text),
    "ogc-items-json": ("/ogc/collections/campaign-{slug}/items", _text),
    "ogc-items-html": ("/ogc/collections/campaign-{slug}/items?f=html", _text),
    "ogc-item-json": ("/ogc/collections/campaign-{slug}/items/{entry}", _text),
    "ogc-item-html": ("/ogc/collections/campaign-{slug}/items/{entry}?f=html", _text),
    "tile": ("/tiles/campaigns/{slug}/15/27941/12688.mvt", _tile_text),
}
# The campaign's own description shows no entry: the rest must show the public answer.
SHOWS_NO_ENTRY = {"api-campaigns", "api-campaign-detail"}


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_private_answer_author_or_hidden_entry_in_any_output(client, world, name):
    url, decode = OUTPUTS[name]
    text = decode(_raw(client.get(url.format(slug=world["campaign"].slug, entry=world["entry"].pk))))
    for secret in (PRIVATE_ANSWER, HIDDEN_ANSWER, world["private_photo"], *AUTHOR.values(), "author_id", "\"author\""):
        assert secret not in text, (name, secret)
    if name not in SHOWS_NO_ENTRY:
        assert PUBLIC_NOTE in text, name  # the output really shows the entry


REFUSING = [
    "/api/v1/campaigns/{slug}/entries/?fields=contact",
    "/api/v1/campaigns/{slug}/entries/?fields=note,face_photo",
    "/exports/campaigns/{slug}/entries.geojson?fields=contact",
    "/exports/campaigns/{slug}/entries.csv?fields=contact",
    "/exports/campaigns/{slug}/entries.ndjson?fields=note,contact",
    "/ogc/collections/campaign-{slug}/items?properties=contact",
    "/ogc/collections/campaign-{slug}/items?properties=contact&f=html",
    "/ogc/collections/campaign-{slug}/items/{entry}?properties=contact",
    "/tiles/campaigns/{slug}/15/27941/12688.mvt?fields=contact",
]


@pytest.mark.parametrize("url", REFUSING)
def test_asking_a_public_output_for_a_private_field_is_a_clear_400(client, world, url):
    response = client.get(url.format(slug=world["campaign"].slug, entry=world["entry"].pk))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "private_field" and PRIVATE_ANSWER not in response.content.decode()
    assert "비공개" in error["message"]  # Korean by default
