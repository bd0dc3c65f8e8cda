"""Query-count budgets of the list endpoints, kept as exact baselines in tests/query_counts.json.

Each endpoint is rendered with N rows and again with 3N (reports with photos, comments, supports,
status changes, two categories with questions; or categories; or areas through `limit`), after
one warm-up request. The number of queries must not grow with N, so a query per row (N+1)
fails, and must equal the baseline, so any new query is a visible, reviewed change.

Regenerating the baselines is an explicit act:

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/test_query_counts.py

rewrites the measured entries of tests/query_counts.json (growth with N still fails); review the
diff and commit it with the change that explains it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.services import api_client_create
from geodata.models import Area
from reports.models import Question, Report
from reports.services import report_change_status, report_support
from reports.services_comments import comment_create
from staff.models import Department, StaffRole
from staff.services import report_assign
from tests.factories import JONGNO, CategoryFactory, QuestionFactory, UserFactory, make_report, photo_upload

pytestmark = pytest.mark.django_db

BASELINES = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
N = 2


@dataclass(frozen=True)
class Endpoint:
    url: str
    rows: str = "reports"  # what grows: "reports", "comments" (of {report}), "categories", "areas" (through {limit}),
    # "campaigns", or "entries" (of {campaign})
    staff: bool = False
    aggregate: bool = False  # shows counts per government rather than the reports


ENDPOINTS = {
    "rest-reports": Endpoint("/api/v1/reports/"),
    "rest-comments": Endpoint("/api/v1/reports/{report}/comments/", rows="comments"),
    "rest-categories": Endpoint("/api/v1/categories/", rows="categories"),
    "rest-areas": Endpoint("/api/v1/areas/?level=submunicipal&limit={limit}", rows="areas"),
    "open311-requests": Endpoint("/open311/v2/requests.json"),
    "open311-requests-extensions": Endpoint("/open311/v2/requests.json?extensions=true"),
    "open311-services": Endpoint("/open311/v2/services.json", rows="categories"),
    "ogc-items": Endpoint("/ogc/collections/reports/items?limit=100"),
    "ogc-items-html": Endpoint("/ogc/collections/reports/items?limit=100&f=html"),
    "export-geojson": Endpoint("/exports/reports.geojson"),
    "export-csv": Endpoint("/exports/reports.csv"),
    "export-ndjson": Endpoint("/exports/reports.ndjson"),
    "export-local-governments": Endpoint("/exports/local_governments.geojson?simplify=0.05", aggregate=True),
    "home-page": Endpoint("/"),
    "map-json-grid": Endpoint("/map/reports.json?zoom=7"),
    "map-json-points": Endpoint("/map/reports.json?zoom=15&bbox=126.9,37.5,127.1,37.7"),
    "area-page": Endpoint("/areas/11010/"),
    "staff-queue": Endpoint("/staff/", staff=True),
    "feed-area": Endpoint("/alerts/feeds/area/11010.atom"),
    "feed-near": Endpoint(f"/alerts/feeds/near.atom?lon={JONGNO[0]}&lat={JONGNO[1]}&radius=2000"),
    "rest-campaigns": Endpoint("/api/v1/campaigns/", rows="campaigns"),
    "rest-campaign-entries": Endpoint("/api/v1/campaigns/{campaign}/entries/", rows="entries"),
    "ogc-campaign-items": Endpoint("/ogc/collections/campaign-{campaign}/items?limit=100", rows="entries"),
    "export-campaign-geojson": Endpoint("/exports/campaigns/{campaign}/entries.geojson", rows="entries"),
}


class Rows:
    """Grows the data an endpoint lists, each row as rich as real ones (related rows of every kind)."""

    def __init__(self, officer=None):
        self.officer = officer  # assigns every other report to a department and to this officer
        self.department = Department.objects.create(local_government=officer.staff_roles.get().local_government, name="도로과") if officer else None
        # No name on the account and show_name ticked: the public name is looked up on the account.
        self.reporter = UserFactory(username="counted-reporter", first_name="", last_name="", password=None)
        self.app = api_client_create(name="Counting app")
        self.categories = [self._category() for _ in range(2)]
        self.reports: list[Report] = []
        self.campaigns: list = []

    def _category(self):
        category = CategoryFactory()
        QuestionFactory(category=category, code="size", datatype=Question.Datatype.SINGLEVALUELIST,
                        values=[{"key": "s", "name": "작음"}, {"key": "l", "name": "큼"}])
        QuestionFactory(category=category, code="note")
        return category

    def add(self, kind: str, n: int) -> str:
        """Add n rows; return a marker of the newest that its listing shows."""
        if kind == "areas":
            return ""  # the boundaries are there already: `limit` sets how many are listed
        if kind in ("campaigns", "entries"):
            return self._campaign_rows(kind, n)
        if kind == "categories":
            made = [self._category() for _ in range(n)]
            return made[-1].code
        if kind == "comments":
            if not self.reports:
                self.add("reports", 1)
            start = self.reports[0].comments.count()
            for k in range(start, start + n):
                # Half by an account, half by email; some with the name shown.
                author = {"author": self.reporter} if k % 2 else {"author_email": f"c{k}@example.kr", "author_name": "댓글", "show_name": True}
                comment_create(report=self.reports[0], text=f"comment-{k}", **author)
            return f"comment-{start + n - 1}"
        for _ in range(n):
            i = len(self.reports)
            who = {"reporter": self.reporter, "show_name": True} if i % 2 else {"api_client": self.app, "reporter_email": f"r{i}@example.kr"}
            report = make_report(
                category=self.categories[i % 2], at=(JONGNO[0] + i * 0.0003, JONGNO[1]), photos=[photo_upload()],
                answers={"size": "l", "note": "메모"}, **who,
            )
            report_change_status(report=report, to_status="acknowledged", public_note="확인했습니다")
            comment_create(report=report, text="저도요", author_email=f"c{i}@example.kr")
            report_support(report=report, email=f"s{i}@example.kr")
            if self.officer is not None and i % 2:
                report_assign(report=report, actor=self.officer, department=self.department, officer=self.officer)
            self.reports.append(report)
        return str(self.reports[-1].pk)


    def _campaign_rows(self, kind: str, n: int) -> str:
        """Campaigns with a partner and an entry each; or entries (with a photo, public and private answers) of the first."""
        from campaigns.models import Organisation
        from tests.campaign_factories import JONGNO_POINTS, make_campaign, make_entry

        if kind == "campaigns" or not self.campaigns:
            for _ in range(n if kind == "campaigns" else 1):
                index = len(self.campaigns)
                campaign = make_campaign(slug=f"counted-{index}")
                campaign.partners.add(Organisation.objects.create(name=f"동네단체 {index}", slug=f"partner-{index}"))
                make_entry(campaign, at=JONGNO_POINTS[0])
                self.campaigns.append(campaign)
            if kind == "campaigns":
                return self.campaigns[-1].slug
        campaign = self.campaigns[0]
        start = campaign.entries.count()
        for k in range(start, start + n):
            make_entry(campaign, at=JONGNO_POINTS[k % len(JONGNO_POINTS)], photos={"photo": [photo_upload()]},
                       answers={"entrance": "flat", "note": f"entry-{k}", "contact": "비공개"})
        return f"entry-{start + n - 1}"


def _measure(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, body[:500]
    return len(queries), body.decode("utf-8-sig")


def _shows(endpoint: Endpoint, body: str, marker: str, n: int) -> bool:
    if endpoint.rows == "areas":
        return len(json.loads(body)["results"]) == n
    if endpoint.aggregate:
        counts = {f["properties"]["code"]: f["properties"]["report_count"] for f in json.loads(body)["features"]}
        return counts["11010"] == n
    return re.search(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", body) is not None


def _baselines() -> dict[str, int]:
    return json.loads(BASELINES.read_text()) if BASELINES.exists() else {}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_query_count_is_the_baseline_and_flat_in_rows(client, name):
    endpoint = ENDPOINTS[name]
    officer = None
    if endpoint.staff:
        officer = UserFactory(username="counting-officer", password=None)
        StaffRole.objects.create(user=officer, local_government=Area.objects.current().get(code="11010"), role=StaffRole.Role.STAFF)
        client.force_login(officer)
    rows = Rows(officer)

    counts, added = [], 0
    for n in (N, 3 * N):
        marker = rows.add(endpoint.rows, n - added)
        added = n
        url = endpoint.url.format(limit=n, report=rows.reports[0].pk if rows.reports else "",
                                  campaign=rows.campaigns[0].slug if rows.campaigns else "")
        if n == N:
            _measure(client, url)  # warm-up: per-process caches (content types, translations) fill once
        count, body = _measure(client, url)
        assert _shows(endpoint, body, marker, n), f"{name} does not list its {n} rows"
        counts.append(count)

    assert counts[0] == counts[1], f"{name}: {counts[0]} queries with {N} rows, {counts[1]} with {3 * N}: a query per row"
    if UPDATE:
        baselines = _baselines()
        baselines[name] = counts[0]
        BASELINES.write_text(json.dumps(dict(sorted(baselines.items())), indent=2) + "\n")
        return
    expected = _baselines().get(name)
    assert expected is not None, f"no baseline for {name}: run UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/test_query_counts.py"
    assert counts[0] == expected, f"{name}: {counts[0]} queries, baseline {expected} (tests/query_counts.json)"
