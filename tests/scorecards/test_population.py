"""import_population: the Ministry of the Interior's monthly CSV, matched by full name, all or nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from geodata.models import Area
from scorecards.models import Population, Scorecard
from scorecards.services import scorecards_refresh
from tests.factories import JONGNO, make_report

pytestmark = pytest.mark.django_db

HEADER = '"행정구역","2024년04월_총인구수","2024년04월_세대수","2024년05월_총인구수","2024년05월_세대수"'
ROWS = [
    '"전국  (1000000000)","51,300,000","23,900,000","51,290,000","23,910,000"',
    '"서울특별시  (1100000000)","9,390,000","4,470,000","9,386,000","4,471,000"',
    '"서울특별시 종로구  (1111000000)","139,000","72,000","138,500","72,100"',
    '"서울특별시 중구  (1114000000)","121,000","63,000","120,800","63,100"',
    '"부산광역시 중구  (2611000000)","39,000","22,000","38,900","22,050"',
    '"인천광역시 미추홀구  (2817700000)","404,000","190,000","403,500","190,100"',
    '"경기도 수원시  (4111000000)","1,190,000","500,000","1,191,000","500,500"',
    '"경기도 수원시 장안구  (4111100000)","270,000","120,000","271,000","120,100"',
    '"경기도 수원시 권선구  (4111300000)","360,000","150,000","361,000","150,100"',
    '"강원특별자치도  (5100000000)","1,527,000","780,000","1,526,000","780,500"',
    '"제주특별자치도  (5000000000)","675,000","310,000","675,500","310,100"',
    '"제주특별자치도 제주시  (5011000000)","490,000","225,000","490,300","225,100"',
]


def _csv(tmp_path, rows=ROWS, encoding="utf-8-sig"):
    path = tmp_path / f"population-{encoding}.csv"
    path.write_bytes("\r\n".join([HEADER, *rows]).encode(encoding))
    return path


def _population(code: str, month: date = date(2024, 5, 1)) -> int:
    return Population.objects.get(area__code=code, area__is_current=True, month=month).population


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949"])
def test_import_matches_full_names_in_both_encodings(tmp_path, encoding):
    call_command("import_population", str(_csv(tmp_path, encoding=encoding)))
    assert _population("11010") == 138_500  # 서울특별시 종로구
    assert _population("11020") == 120_800  # 서울특별시 중구, never 부산광역시 중구
    assert _population("21010") == 38_900  # 부산광역시 중구
    incheon_nam = Area.objects.current().get(name="미추홀구", code__startswith="23")
    assert _population(incheon_nam.code) == 403_500  # 미추홀구 was 남구 in 2018
    assert _population("31010") == 271_000 + 361_000  # 수원시: the sum of its districts
    assert _population("32") == 1_526_000  # 강원특별자치도 was 강원도
    assert _population("39") == 675_500  # 제주시 is not a local government: skipped
    assert Population.objects.count() == 8


def test_month_option_and_latest_by_default(tmp_path):
    path = _csv(tmp_path)
    call_command("import_population", str(path), month="2024-04")
    assert _population("11010", date(2024, 4, 1)) == 139_000
    with pytest.raises(CommandError, match="2024-06"):
        call_command("import_population", str(path), month="2024-06")
    with pytest.raises(CommandError):
        call_command("import_population", str(path), month="May")


def test_unmatched_rows_are_listed_and_nothing_is_imported(tmp_path):
    call_command("import_population", str(_csv(tmp_path)), month="2024-04")
    before = list(Population.objects.values_list("area_id", "month", "population"))
    bad = [*ROWS, '"경기도 가상시  (4199000000)","1,000","500","1,000","500"', '"없는도  (9900000000)","1","1","1","1"']
    with pytest.raises(CommandError) as error:
        call_command("import_population", str(_csv(tmp_path, rows=bad)))
    assert "경기도 가상시" in str(error.value) and "없는도" in str(error.value)
    assert list(Population.objects.values_list("area_id", "month", "population")) == before


def test_not_a_population_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,value\n종로구,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="행정구역"):
        call_command("import_population", str(path))
    with pytest.raises(CommandError):
        call_command("import_population", str(tmp_path / "missing.csv"))


def test_per_capita_indicator_once_population_is_loaded(tmp_path):
    make_report(at=JONGNO, created_at=datetime(2026, 5, 1, tzinfo=ZoneInfo("Asia/Seoul")))
    call_command("import_population", str(_csv(tmp_path)))
    scorecards_refresh(now=datetime(2026, 6, 1, tzinfo=ZoneInfo("Asia/Seoul")))
    rate = Scorecard.objects.get(area__code="11010", area__is_current=True).indicators["reports_received_per_10k"]
    assert rate["value"] == round(10_000 / 138_500, 3) and rate["n"] == 1
    assert rate["low"] < rate["value"] < rate["high"]
