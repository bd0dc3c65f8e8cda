"""On a phone, in Korean: a new resident signs up, confirms the address, declares a 동, votes,
changes the vote, keeps the receipt, and after the close finds it in the published log; a resident
of another 동 cannot vote."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from polls.ballot_log import log_verify
from polls.models import Poll
from residency.eligibility import Rule
from tests.polls.factories import dong, make_poll, resident

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SHOTS = Path(os.environ.get("POLL_SHOTS", "/tmp/shots-polls"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_a_resident_signs_up_declares_votes_changes_and_finds_the_receipt(live_server, transactional_db, settings):
    settings.SITE_URL = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    poll = make_poll(rule=Rule.RESIDENTS, areas=[dong("청운효자동")], choices=("사직공원", "청운공원", "삼청공원"),
                     opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1), now=now - timedelta(hours=2))
    resident(dong("사직동"), username="neighbour")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, locale="ko-KR", is_mobile=True, has_touch=True)
            page = context.new_page()
            page.set_default_timeout(15_000)
            violations = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"{live_server.url}/accounts/signup/")
            page.fill("input[name=username]", "cheongun-resident")
            page.fill("input[name=email]", "resident@example.kr")
            page.fill("input[name=password1]", PASSWORD)
            page.fill("input[name=password2]", PASSWORD)
            page.check("input[name=consent]")
            page.locator("main form button[type=submit]").click()
            expect(page).to_have_url(re.compile(r"/accounts/reports/$"))
            confirmation = next(m for m in mail.outbox if m.to == ["resident@example.kr"])
            page.goto(re.search(r"http://\S+/accounts/confirm/\S+/", confirmation.body).group(0))

            page.goto(f"{live_server.url}/polls/")
            page.get_by_role("link", name=poll.question).click()
            expect(page.locator("#eligibility")).to_contain_text("해당 지역 주민(본인 등록): 청운효자동")
            expect(page.locator("#why-not")).to_contain_text("읍면동")
            page.locator("main a[href^='/polls/residence/']").click()
            page.fill("#id_query", "청운효자동")
            page.locator("#declare-form button[type=submit]").click()
            expect(page).to_have_url(re.compile(rf"/polls/{poll.pk}/$"))

            page.locator("label.vote-choice", has_text="사직공원").click()
            page.screenshot(path=str(SHOTS / "poll-vote.png"), full_page=True)
            page.locator("#vote-button").click()
            first = page.locator("#receipt").inner_text()
            assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", first)
            expect(page.locator("#vote-button")).to_have_text("투표 바꾸기")
            page.locator("label.vote-choice", has_text="삼청공원").click()
            page.locator("#vote-button").click()
            second = page.locator("#receipt").inner_text()
            assert second != first
            page.screenshot(path=str(SHOTS / "poll-receipt.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width} px)"

            other = browser.new_context(viewport=PHONE, locale="ko-KR", is_mobile=True).new_page()
            other.set_default_timeout(15_000)
            other.goto(f"{live_server.url}/accounts/login/?next=/polls/{poll.pk}/")
            other.fill("input[name=username]", "neighbour")
            other.fill("input[name=password]", PASSWORD)
            other.click("form[action='/accounts/login/'] button[type=submit]")
            expect(other.locator("#why-not")).to_contain_text("사직동")
            expect(other.locator("#vote-form")).to_have_count(0)

            Poll.objects.filter(pk=poll.pk).update(opens_at=now - timedelta(days=2), closes_at=timezone.now() - timedelta(seconds=1))
            page.goto(f"{live_server.url}/polls/{poll.pk}/")
            head = page.locator("#log-head").inner_text()
            expect(page.locator("#results-by-area")).to_contain_text("기타 지역 합계")
            page.screenshot(path=str(SHOTS / "poll-closed.png"), full_page=True)
            # The log is application/jsonl, which a browser downloads rather than shows: fetch it as one.
            answer = page.request.get(live_server.url + page.locator("#log-link").get_attribute("href"))
            assert answer.ok and answer.headers["content-type"].startswith("application/jsonl")
            log = answer.text()
            assert not violations, violations
        finally:
            browser.close()

    lines = [json.loads(line) for line in log.splitlines()]
    assert [(line["receipt"], line["choice"]) for line in lines] == [(second, 3)]
    assert first not in log
    assert log_verify(log).head == head == Poll.objects.get(pk=poll.pk).log_head
