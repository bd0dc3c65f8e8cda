"""place_search on the real KOSTAT 2018 boundaries, through pg_trgm."""

import pytest

from geodata.selectors import looks_like_street_address, place_search

pytestmark = pytest.mark.django_db


def names(query: str) -> list[str]:
    return [place["name"] for place in place_search(query=query)]


@pytest.mark.parametrize("query", ["종로구", "종로 구", "jongno", "Jongno-gu", "JONGNO GU"])
def test_a_local_government_by_korean_or_romanized_name_forgiving_spacing(query):
    first = place_search(query=query)[0]
    assert first["name"] == "종로구" and first["kind"] == "local_government"
    assert first["code"] == "11010" and first["context"] == "서울특별시"


def test_a_partial_name_finds_the_읍면동():
    first = place_search(query="청운")[0]
    assert first["name"] == "청운효자동" and first["kind"] == "submunicipal" and first["local_government"] == "종로구"
    west, south, east, north = first["bbox"]
    assert west < first["lon"] < east and south < first["lat"] < north


def test_provinces_and_cities_with_districts():
    seoul = place_search(query="서울")[0]
    assert seoul["name"] == "서울특별시" and seoul["kind"] == "province"
    suwon = place_search(query="수원시")[0]
    assert suwon["name"] == "수원시" and suwon["kind"] == "local_government"
    assert "municipal" in {place["kind"] for place in place_search(query="수원시장안구")}


def test_a_legal_dong_finds_its_administrative_dong():
    # 종로1가 is a 법정동; the boundaries hold 행정동 such as 종로1·2·3·4가동.
    assert "종로1·2·3·4가동" in names("종로1가")


def test_nothing_for_blank_or_unknown():
    assert place_search(query="  ") == []
    assert place_search(query="zzqqxx") == []


@pytest.mark.parametrize(("query", "is_address"), [
    ("세종대로 175", True), ("세종대로175", True), ("테헤란로 152-1", True), ("Sejong-daero 175", True),
    ("종로1가", False), ("종로구", False), ("청운", False),
])
def test_street_addresses_are_told_apart(query, is_address):
    assert looks_like_street_address(query) is is_address
