"""Korean particles (조사) chosen by the final consonant (받침) of the word before them.

"종로구는", "서울은", "부산으로", "서울로": 은/는, 이/가, 을/를, 과/와 and (으)로 depend on whether
the last syllable ends in a consonant, and (으)로 also on whether that consonant is ㄹ. Digits and
Latin letters are read as Koreans say them ("1은" = 일은, "SK는"); anything else gets the written
fallback ("(은)는"), which every reader understands.
"""

from __future__ import annotations

from django.utils.translation import get_language

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # ㄹ as a final consonant: index in the 28 finals (0 = none)

# particle -> (after a final consonant, after a vowel); (으)로 is handled apart for ㄹ.
PAIRS = {
    "은": ("은", "는"), "는": ("은", "는"),
    "이": ("이", "가"), "가": ("이", "가"),
    "을": ("을", "를"), "를": ("을", "를"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
}
FALLBACK = {"은": "(은)는", "이": "(이)가", "을": "(을)를", "과": "(과)와", "으로": "(으)로"}

# The final consonant of each digit's Korean reading: 영 일 이 삼 사 오 육 칠 팔 구.
DIGIT_FINALS = {"0": 21, "1": RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": RIEUL, "8": RIEUL, "9": 0}
# Latin letters as read in Korean: 엘 (L) ends in ㄹ; 엠 (M), 엔 (N), 알 (R) in consonants.
LATIN_FINALS = {"l": RIEUL, "m": 16, "n": 4, "r": RIEUL}


def final_consonant(word: str) -> int | None:
    """The index (0 = none, 8 = ㄹ, ...) of the last readable syllable's final, or None if unknown."""
    text = word.rstrip(" )]}'\"”’.")
    if not text:
        return None
    last = text[-1]
    code = ord(last)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        return (code - HANGUL_FIRST) % 28
    if last in DIGIT_FINALS:
        if last == "0" and len(text) > 1 and text[-2].isdigit():
            return 1  # 10 십, 100 백, 1000 천, 10000 만: a final consonant, never ㄹ
        return DIGIT_FINALS[last]
    if last.isascii() and last.isalpha():
        return LATIN_FINALS.get(last.lower(), 0)
    return None


def particle(word: str, josa: str) -> str:
    """The form of `josa` (any of its spellings: 은/는, 이/가, 을/를, 과/와, 으로/로) for `word`."""
    key = josa.removeprefix("(으)")
    if key not in PAIRS:
        raise ValueError(f"unknown particle: {josa}")
    final = final_consonant(word)
    consonant_form, vowel_form = PAIRS[key]
    if final is None:
        return FALLBACK[consonant_form]
    if consonant_form == "으로":
        return vowel_form if final in (0, RIEUL) else consonant_form
    return consonant_form if final else vowel_form


def with_particle(word: str, josa: str) -> str:
    """`word` followed by the right form of `josa`: with_particle("종로구", "은") == "종로구는"."""
    return f"{word}{particle(str(word), josa)}"


def with_particle_in_language(word: str, josa: str) -> str:
    """with_particle on Korean pages and messages; the bare word in any other language, whose
    sentences carry no particle ("전주시는 …" / "Jeonju …")."""
    return with_particle(word, josa) if (get_language() or "ko").startswith("ko") else str(word)
