"""The Korean admin speaks Korean: no English attribute names as labels, governments found by code or name."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_report

pytestmark = pytest.mark.django_db


def _labels(body: str) -> list[str]:
    # Labels of read-only rows, column headers and filter titles.
    found = re.findall(r"<label>([^<]+):?</label>", body)
    found += re.findall(r'<th scope="col"[^>]*>\s*(?:<div class="text">)?(?:<a [^>]*>)?([^<]+)<', body)
    found += re.findall(r"<h3>\s*([^<]+?)\s*기준\s*</h3>|<h3>\s*By ([^<]+)\s*</h3>", body)
    return [text.strip().rstrip(":") for item in found for text in (item if isinstance(item, tuple) else (item,)) if text.strip()]


@pytest.mark.parametrize("page", ["change", "changelist"])
def test_report_admin_labels_are_korean(admin_client, page):
    report = make_report()
    url = reverse("admin:reports_report_change", args=[report.pk]) if page == "change" else reverse("admin:reports_report_changelist")
    body = admin_client.get(url).content.decode()
    labels = _labels(body)
    assert labels, "no labels found: the admin markup changed"
    english = [label for label in labels if re.fullmatch(r"[a-z][a-z _]+", label)]
    assert english == []
    if page == "change":
        assert "정확한 위치" in labels and "지방자치단체" in labels


def test_staff_admin_pages_have_korean_labels(admin_client):
    body = admin_client.get(reverse("admin:staff_staffrole_add")).content.decode()
    assert "지방자치단체" in body and "역할" in body
    assert 'data-autocomplete-light-url' not in body and "admin-autocomplete" in body  # Django's own autocomplete
