"""Atom feeds carry residents' words as plain text: nothing a feed reader could run."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from reports.models import Report
from tests.factories import JONGNO, make_report

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = [
    '<img src=x onerror=alert(1)',  # unclosed: survives strip_tags
    "<script>alert(2)</script> 보도블록",
    '<a href="javascript:alert(3)">링크</a>',
    "&lt;svg onload=alert(4)&gt;",  # already escaped once: must not be unescaped into markup
]


@pytest.mark.parametrize("feed", ["area", "near"])
def test_summaries_are_plain_text_holding_the_words_as_written(client, feed):
    reports = [make_report(description="자리") for _ in HOSTILE]
    for report, text in zip(reports, HOSTILE, strict=True):
        # Planted after filing: whatever a future path lets through, the feed must stay inert.
        Report.objects.filter(pk=report.pk).update(description=text)
    if feed == "area":
        response = client.get(reverse("alerts:feed-area", args=["11010"]))
    else:
        response = client.get(reverse("alerts:feed-near"), {"lat": JONGNO[1], "lon": JONGNO[0], "radius": 500})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(HOSTILE)
    for entry in entries:
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "text"
        assert len(summary) == 0  # no child elements: the text is character data only
        assert entry.find(f"{ATOM}content") is None
    summaries = {entry.find(f"{ATOM}summary").text.split("\n")[0] for entry in entries}
    assert summaries == set(HOSTILE)
    # No element of the feed is declared HTML or XHTML, so no reader renders any of it.
    assert not [element for element in root.iter() if element.get("type") in ("html", "xhtml")]
