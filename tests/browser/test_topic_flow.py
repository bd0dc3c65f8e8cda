"""A resident votes on a topic's statements one by one on a phone, in Korean, writes a statement
that waits for moderation, and sees the opinion map with two groups and their common ground."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import UserFactory
from tests.topics.factories import make_topic, resident
from topics.models import Statement, Vote
from topics.services import statement_vote, topics_recompute_dirty

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 375, "height": 812}


@pytest.mark.browser
def test_resident_votes_on_statements_one_by_one_on_a_phone(live_server, transactional_db):
    ARTIFACTS.mkdir(exist_ok=True)
    texts = ["보도를 넓혀야 한다", "차 없는 거리를 운영하자", "공영 주차장을 더 짓자", "차로를 줄이면 막힌다", "가로등을 밝게 하자"]
    topic = make_topic(statements=texts, title="종로의 거리, 누구를 위해 바꿀까요?")
    statements = list(topic.statements.order_by("id"))
    # Ten neighbours already voted, in two camps; everyone wants brighter streetlights.
    for n in range(10):
        neighbour = resident()
        for index, statement in enumerate(statements):
            agree = index == 4 or (index < 2) == (n % 2 == 0)
            statement_vote(statement=statement, user=neighbour, vote="agree" if agree else "disagree")
    topics_recompute_dirty()
    UserFactory(username="walker")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=PHONE, locale="ko-KR", is_mobile=True).new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/accounts/login/?next=/topics/{topic.pk}/")
            page.fill("input[name=username]", "walker")
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action='/accounts/login/'] button[type=submit]")
            expect(page.locator("h1")).to_contain_text("종로의 거리")

            # The map is there before voting: two groups, and what both agree with.
            dots = page.locator("#opinion-map circle")
            expect(dots).to_have_count(2)  # each camp voted exactly alike: one dot of 5 per group
            assert sorted(dots.evaluate_all("ds => ds.map(d => d.getAttribute('class') + ':' + d.dataset.count)")) == ["g0:5", "g1:5"]
            expect(page.locator("#common-ground")).to_contain_text("가로등을 밝게 하자")

            # One statement at a time, least voted then oldest first; the buttons are thumb-sized.
            for text, button in zip(texts, ["동의", "동의", "반대", "모르겠음", "동의"], strict=True):
                expect(page.locator("#next-statement")).to_have_text(text)
                target = page.locator("#statement-card").get_by_role("button", name=button, exact=True)
                box = target.bounding_box()
                assert box["height"] >= 44 and box["width"] >= 44
                if text == texts[0]:
                    page.screenshot(path=str(ARTIFACTS / "topic-vote-phone.png"), full_page=True)
                target.click()
            expect(page.locator("#all-voted")).to_be_visible()
            assert Vote.objects.filter(statement__topic=topic).count() == 55

            # A statement over 140 characters is refused with the count; a short one waits for moderation.
            page.fill("#statement-form textarea", "가" * 150)
            page.locator("#statement-form textarea").evaluate("el => el.removeAttribute('maxlength')")
            page.fill("#statement-form textarea", "가" * 150)
            page.click("#statement-form button[type=submit]")
            expect(page.locator("#statement-form .field-error")).to_contain_text("150")
            page.fill("#statement-form textarea", "횡단보도 신호를 길게 하자")
            page.click("#statement-form button[type=submit]")
            expect(page.locator(".messages")).to_contain_text("관리자가 확인하면")
            assert Statement.objects.get(text="횡단보도 신호를 길게 하자").status == Statement.Status.PENDING
            expect(page.locator("#statements")).not_to_contain_text("횡단보도 신호를 길게 하자")
            page.screenshot(path=str(ARTIFACTS / "topic-after-votes-phone.png"), full_page=True)
        finally:
            browser.close()
