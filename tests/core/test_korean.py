import pytest
from django.template import Context, Template
from django.utils import translation

from core.korean import final_consonant, particle, with_particle, with_particle_in_language


@pytest.mark.parametrize(
    ("word", "josa", "expected"),
    [
        ("종로구", "은", "종로구는"),
        ("서울", "은", "서울은"),
        ("수원시", "는", "수원시는"),
        ("부산", "로", "부산으로"),
        ("서울", "(으)로", "서울로"),  # ㄹ받침 takes 로
        ("종로구", "으로", "종로구로"),
        ("해운대구", "이", "해운대구가"),
        ("청운효자동", "가", "청운효자동이"),
        ("신고", "을", "신고를"),
        ("분류", "를", "분류를"),
        ("공원", "와", "공원과"),
        ("도로", "과", "도로와"),
        ("1", "은", "1은"),  # 일
        ("2", "은", "2는"),  # 이
        ("3", "로", "3으로"),  # 삼
        ("7", "로", "7로"),  # 칠: ㄹ
        ("10", "이", "10이"),  # 십
        ("SK", "는", "SK는"),  # 케이
        ("Seoul", "로", "Seoul로"),  # read 서울
        ("KTX", "을", "KTX를"),
    ],
)
def test_particles_follow_the_last_syllable(word, josa, expected):
    assert with_particle(word, josa) == expected


def test_unreadable_words_get_the_written_fallback():
    assert particle("#", "은") == "(은)는"
    assert particle("", "로") == "(으)로"
    assert particle("★", "이") == "(이)가"
    assert final_consonant("각") == 1 and final_consonant("가") == 0 and final_consonant("갈") == 8


def test_unknown_particle_is_an_error():
    with pytest.raises(ValueError):
        particle("서울", "에서")


def test_template_filter():
    rendered = Template('{% load dongne %}{{ a|josa:"은" }} {{ b|josa:"으로" }}').render(Context({"a": "종로구", "b": "부산"}))
    assert rendered == "종로구는 부산으로"


def test_the_particle_only_in_korean():
    # One helper for messages and the template filter: English sentences carry no particle.
    template = Template('{% load dongne %}{{ a|josa:"은" }}')
    with translation.override("en"):
        assert with_particle_in_language("전주시", "은") == "전주시"
        assert template.render(Context({"a": "전주시"})) == "전주시"
    with translation.override("ko"):
        assert with_particle_in_language("전주시", "은") == "전주시는"
        assert template.render(Context({"a": "전주시"})) == "전주시는"
