"""The about page credits the boundary data as KOGL Type 1 requires, in Korean and in English."""

import re

import pytest


def _attribution(response) -> str:
    html = response.content.decode()
    match = re.search(r'<p id="kostat-attribution">(.*?)</p>', html, re.S)
    assert match, "no #kostat-attribution paragraph"
    return " ".join(match.group(1).split())


def test_korean_by_default(client):
    response = client.get("/about/")
    assert response.status_code == 200
    assert '<html lang="ko">' in response.content.decode()
    attribution = _attribution(response)
    assert "통계청" in attribution
    assert "공공누리 제1유형" in attribution  # KOGL Type 1
    assert "출처" in attribution
    assert "2018" in attribution


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
def test_english(client, how):
    if how == "cookie":
        client.cookies["django_language"] = "en"
        response = client.get("/about/")
    else:
        response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    attribution = _attribution(response)
    assert "Statistics Korea (KOSTAT)" in attribution
    assert "Korea Open Government License" in attribution
    assert "Type 1" in attribution
    assert "2018" in attribution
