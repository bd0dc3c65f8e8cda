"""A resident supports a proposal and discusses it with a stance, on a phone, in Korean (issue 17)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from proposals.models import Obligation, Proposal, ProposalComment
from tests.proposals.factories import jongno_resident, make_proposal, small_thresholds

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery staple"


@pytest.mark.browser
def test_support_a_proposal_and_comment_with_a_stance_on_a_phone(live_server, transactional_db):
    ARTIFACTS.mkdir(exist_ok=True)
    small_thresholds(department=(1, 30))
    proposal = make_proposal(title="골목길 가로등을 늘려 주세요")
    jongno_resident(username="neighbour", email="neighbour@example.kr")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 812}, locale="ko-KR", is_mobile=True).new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/accounts/login/?next=/proposals/{proposal.pk}/")
            page.fill("input[name=username]", "neighbour")
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action='/accounts/login/'] button[type=submit]")
            expect(page.locator("h1")).to_have_text("골목길 가로등을 늘려 주세요")

            support = page.get_by_role("button", name="이 제안 지지하기")
            assert support.bounding_box()["height"] >= 44
            support.click()
            expect(page.locator("#supported")).to_have_text("이 제안을 지지했습니다.")
            expect(page.locator("#support-count")).to_have_text("1")
            obligation = page.locator("#obligations .obligation")
            expect(obligation).to_have_attribute("data-state", "open")
            expect(obligation).to_contain_text("D-30")
            expect(obligation).to_contain_text("부서 답변")

            page.get_by_label("댓글", exact=True).fill("밤길이 정말 어둡습니다. 찬성해요.")
            page.locator("#comment-form").get_by_label("찬성").check()
            page.locator("#comment-submit").click()
            first = page.locator("#comment-list > li.comment").first
            expect(first).to_contain_text("밤길이 정말 어둡습니다")
            expect(first.locator(".stance-badge")).to_have_text("찬성")

            first.locator("summary").click()
            first.get_by_label("이 댓글에 답글 달기").fill("전기 요금은 누가 내나요?")
            first.locator(".comment-form").get_by_label("중립").check()
            first.get_by_role("button", name="답글 달기").click()
            reply = page.locator("li.comment[data-depth='2']")
            expect(reply).to_contain_text("전기 요금은")
            expect(reply.locator(".stance-badge")).to_have_text("중립")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
            page.screenshot(path=str(ARTIFACTS / "proposal-phone.png"), full_page=True)
        finally:
            browser.close()
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1 and Obligation.objects.count() == 1
    assert list(ProposalComment.objects.values_list("stance", "depth")) == [("for", 1), ("neutral", 2)]
