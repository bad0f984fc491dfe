"""The public web pages: figures, lookup, answered items, languages, headers, validation and privacy."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.views.report_chart import render_chart
from bot.web.app import SITE_KEY
from models.public_view import mask_personal_text
from models.submission import Accepted, Submission, SubmissionLimits, submit_item
from models.tables import Item, ItemKind, ItemState
from tests.flows import CITIZEN, OTHER_CITIZEN, VALID_TEXT
from tests.flows import submit_item as walk_submission
from tests.harness import Harness
from tests.officer_world import (
    OFFICER_XD,
    OUTSIDER,
    XD_GROUP,
    answer_item,
    claim,
    seat_everyone,
    transfer_item,
)
from tests.web_world import API, issue_key, post_request, site_client

PHONE = "0912345678"
LATITUDE, LONGITUDE = 21.594213, 105.848817
LIMITS = SubmissionLimits(duplicate_window=timedelta(minutes=10), per_hour=1000)


async def make_items(harness: Harness, category: str, count: int, *, start: int = 0) -> list[Item]:
    """Create items directly through the domain function, one per citizen id."""
    services = harness.services
    made: list[Item] = []
    async with harness.session() as session:
        for number in range(start, start + count):
            outcome = await submit_item(
                session=session,
                submission=Submission(
                    citizen_telegram_user_id=9000 + number,
                    kind=ItemKind.FEEDBACK,
                    category_code=category,
                    text=f"{VALID_TEXT} Số {number}.",
                ),
                directory=services.directory,
                calendar=services.calendar,
                limits=LIMITS,
                now=harness.clock.now(),
            )
            assert isinstance(outcome, Accepted)
            made.append(outcome.item)
    return made


async def set_item(harness: Harness, code: str, **values: Any) -> None:
    async with harness.session() as session:
        item = (await session.exec(select(Item).where(Item.code == code))).one()
        for name, value in values.items():
            setattr(item, name, value)
        session.add(item)


async def page(client: Any, path: str, status: int = 200, **params: str) -> str:
    response = await client.get(path, params=params)
    body = await response.text()
    assert response.status == status, body[:500]
    assert response.content_type == "text/html"
    return body


def cells(html: str, agency: str) -> list[str]:
    """Return the cells of the agency table row for an agency (first table on the page)."""
    row = re.search(
        r"<tr>\s*<td>[^<]*</td>\s*<th scope=\"row\">" + re.escape(agency) + r"</th>(.*?)</tr>", html, re.S
    )
    assert row is not None, agency
    return re.findall(r"<td class=\"number\">([^<]*)</td>", row.group(1))


async def test_home_classifies_agencies_four_ways_ranks_and_draws_the_chart(harness: Harness) -> None:
    now = harness.clock.now()
    roads = await make_items(harness, "giao-thong", 6)  # Sở Xây dựng
    land = await make_items(harness, "dat-dai", 2, start=10)  # Sở NN&MT: too few to rank
    await set_item(harness, roads[0].code, state=ItemState.ANSWERED, answered_at=now + timedelta(days=1))
    await set_item(harness, roads[1].code, state=ItemState.CLOSED, answered_at=now + timedelta(days=2))
    await set_item(harness, roads[2].code, state=ItemState.ANSWERED, answered_at=now + timedelta(days=15))
    await set_item(harness, roads[3].code, answer_due_at=now - timedelta(hours=1))  # overdue now
    await set_item(harness, roads[4].code, state=ItemState.REJECTED)
    await set_item(  # the officer asked the citizen before the deadline passed: the clock stopped in time
        harness,
        land[0].code,
        state=ItemState.AWAITING_CITIZEN,
        awaiting_citizen_since=now - timedelta(hours=2),
        answer_due_at=now - timedelta(hours=1),
    )
    harness.clock.advance(timedelta(days=20))  # everything fell due; answers all happened before now

    async with site_client(harness) as client:
        cache = client.server.app[SITE_KEY].figures
        figures = await cache.get()
        report = figures.period(30).report
        by_agency = {agency.agency_code: agency for agency in report.agencies}
        roads_figures = by_agency["SO-XD"]
        assert (roads_figures.received, roads_figures.counts.on_time, roads_figures.counts.late) == (6, 2, 1)
        # roads[3] overdue; roads[5] has passed its deadline as well by now
        assert (roads_figures.counts.overdue, roads_figures.counts.not_yet_due) == (2, 0)
        assert roads_figures.counts.on_time_rate == pytest.approx(2 / 5)
        land_figures = by_agency["SO-NNMT"]
        # waiting for the citizen pauses the clock
        assert (land_figures.counts.overdue, land_figures.counts.not_yet_due) == (1, 1)
        html = await page(client, "/")
        chart = await client.get("/bieu-do.svg", params={"days": "30"})
        assert chart.status == 200 and chart.content_type == "image/svg+xml"
        drawn = await chart.read()
        english_chart = await (await client.get("/en/bieu-do.svg?days=90")).read()
        assert (await client.get("/bieu-do.svg", params={"days": "7"})).status == 400
    assert '<html lang="vi">' in html and "Tỉnh Thử Nghiệm" in html
    assert "không tiếp nhận khiếu nại, tố cáo" in html and "Ban Tiếp công dân" in html
    assert "30 ngày qua" in html and "90 ngày qua" in html
    for header in ("Đúng hạn", "Trễ hạn", "Quá hạn", "Chưa đến hạn", "Tỷ lệ đúng hạn"):
        assert f">{header}</th>" in html
    assert cells(html, "Sở Xây dựng")[:6] == ["6", "2", "1", "2", "0", "40,0%"]
    assert re.search(r"<td>1</td>\s*<th scope=\"row\">Sở Xây dựng</th>", html)  # ranked first
    assert re.search(r"<td>chưa xếp hạng</td>\s*<th scope=\"row\">Sở Nông nghiệp và Môi trường</th>", html)
    # The chart is the report's own (bot.views.report_chart.render_chart), as SVG, with a text alternative
    assert html.count('<img class="report-chart" src="/bieu-do.svg?days=30"') == 1
    assert html.count('<img class="report-chart" src="/bieu-do.svg?days=90"') == 1
    assert re.search(r'<img class="report-chart" [^>]*alt="Biểu đồ 30 ngày qua\. [^"]{80,}"', html)
    assert "Tỷ lệ đúng hạn theo tuần tiếp nhận, 30 ngày qua" in html  # the chart's weekly line as a table
    assert drawn.startswith(b"<?xml") and b"<svg" in drawn and b"<script" not in drawn
    assert drawn == render_chart(report, harness.services.directory, "vi", "svg")
    assert english_chart != drawn and cache.charts_drawn == 2
    assert "<script" not in html and " style=" not in html


async def test_figures_are_computed_at_most_once_a_minute(harness: Harness) -> None:
    async with site_client(harness) as client:
        cache = client.server.app[SITE_KEY].figures
        await page(client, "/")
        await make_items(harness, "giao-thong", 1)
        second = await page(client, "/en/")
        assert cache.computations == 1
        assert "No items in this period yet." in second  # still the cached figures
        harness.clock.advance(timedelta(seconds=61))
        third = await page(client, "/")
        assert cache.computations == 2
        assert cells(third, "Sở Xây dựng")[0] == "1"
        # the chart is drawn once per period and language per computation, however often it is asked for
        first_chart = await (await client.get("/bieu-do.svg?days=30")).read()
        for _ in range(3):
            response = await client.get("/bieu-do.svg", params={"days": "30"})
            assert await response.read() == first_chart
            assert response.headers["Cache-Control"] == "public, max-age=60"
            assert "script-src" not in response.headers["Content-Security-Policy"]
        assert (cache.computations, cache.charts_drawn) == (2, 1)
        await make_items(harness, "giao-thong", 1, start=1)
        harness.clock.advance(timedelta(seconds=61))
        redrawn = await (await client.get("/bieu-do.svg?days=30")).read()
        assert (cache.computations, cache.charts_drawn) == (3, 2) and redrawn != first_chart


async def test_english_pages_and_security_headers(harness: Harness) -> None:
    async with site_client(harness) as client:
        for path, params in (
            ("/en/", {}),
            ("/", {"lang": "en"}),
            ("/en/tra-cuu", {}),
            ("/en/da-tra-loi", {}),
        ):
            html = await page(client, path, **params)
            assert '<html lang="en">' in html and "complaints or denunciations" in html
            assert 'hreflang="vi"' in html
        assert (await client.get("/en", allow_redirects=False)).status == 308
        response = await client.get("/")
        css = await client.get("/static/site.css")
        assert css.status == 200 and css.content_type == "text/css"
        for answer in (response, css, await client.get(f"{API}/services.json")):
            assert "script-src" not in answer.headers["Content-Security-Policy"]
            assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
            assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


async def test_bad_input_gets_a_friendly_page_never_a_500(harness: Harness) -> None:
    async with site_client(harness) as client:
        bad = await page(client, "/tra-cuu", 400, ma="<script>alert(1)</script>")
        assert "không phải là mã hồ sơ" in bad and "<script>alert" not in bad
        assert "&lt;script&gt;" in bad
        assert "không phải là mã hồ sơ" in await page(client, "/tra-cuu", 400, ma="PA-" + "7" * 500)
        missing = await page(client, "/tra-cuu", 404, ma="pa 7k3q9m")
        assert "Không tìm thấy hồ sơ có mã PA-7K3Q9M" in missing
        assert "Yêu cầu không hợp lệ" in await page(client, "/da-tra-loi", 400, trang="-1")
        assert "Yêu cầu không hợp lệ" in await page(client, "/da-tra-loi", 400, trang="abc")
        assert "Không tìm thấy trang" in await page(client, "/khong-co-trang-nay", 404)
        assert (await client.get("/static/khong-co.css")).status == 404
        form = await page(client, "/tra-cuu")
        assert '<label for="ma">Mã hồ sơ</label>' in form


async def test_lookup_shows_state_agency_deadline_and_steps_but_never_people(harness: Harness) -> None:
    seat_everyone(harness)
    code = await walk_submission(harness, CITIZEN, category="Giao thông", share_phone=PHONE)
    assert code is not None
    await claim(harness, code)
    await transfer_item(harness, code, "Sở Nông nghiệp", reason="Thuộc lĩnh vực đất đai, gọi 0911222333.")
    async with site_client(harness) as client:
        html = await page(client, "/tra-cuu", ma=code)
    assert f"Hồ sơ {code}" in html and "Sở Nông nghiệp và Môi trường" in html
    assert "trước 17:00 thứ Hai, 21/12/2026" in html
    for step in ("Tiếp nhận", "Cơ quan nhận xử lý", "Chuyển cơ quan xử lý"):
        assert step in html
    assert "Lý do: Thuộc lĩnh vực đất đai, gọi [đã che]." in html
    for private in (
        PHONE,
        "0911222333",
        OFFICER_XD.first_name,
        CITIZEN.first_name,
        str(CITIZEN.id),
        VALID_TEXT,
    ):
        assert private not in html


async def test_answered_list_shows_only_opted_in_items_masked_and_paged(harness: Harness) -> None:
    seat_everyone(harness)
    texts = [
        f"Đường hỏng trước nhà, liên hệ 0912 345 678 hoặc lan@example.vn, CCCD 012345678901. {VALID_TEXT}",
        f"Không muốn công khai nội dung này. {VALID_TEXT}",
        f"Đồng ý công khai nhưng cán bộ chặn lại. {VALID_TEXT}",
        f"Một hồ sơ công khai nữa về vỉa hè. {VALID_TEXT}",
    ]
    codes = []
    for number, body in enumerate(texts):
        citizen = CITIZEN if number % 2 == 0 else OTHER_CITIZEN
        code = await walk_submission(
            harness, citizen, category="Giao thông", text=body, stop_at_summary=number != 1
        )
        if number != 1:
            await harness.press(citizen, citizen.id, "Công khai?")
            assert "Nếu bạn không chọn, hồ sơ không được đăng công khai" in harness.last_text(citizen.id)
            await harness.press(citizen, citizen.id, "Đồng ý công khai")
            assert "Đăng trên trang công khai: có" in harness.last_text(citizen.id)
            await harness.press(citizen, citizen.id, "Gửi")
            code = (await harness.items())[-1].code
        assert code is not None
        codes.append(code)
        harness.clock.advance(timedelta(minutes=15))
        await claim(harness, code)
        await answer_item(harness, code)
    items = {item.code: item for item in await harness.items()}
    assert [items[code].is_publication_allowed for code in codes] == [True, False, True, True]
    await harness.say_in_group(XD_GROUP, OUTSIDER, f"/notpublic {codes[2]}")
    assert not (await harness.item(codes[2])).is_never_public  # not a member of the group
    await harness.say_in_group(XD_GROUP, OFFICER_XD, f"/notpublic {codes[2]}")
    assert "sẽ không bao giờ được đăng" in harness.last_text(XD_GROUP)
    assert (await harness.item(codes[2])).is_never_public

    async with site_client(harness, web_page_size=1) as client:
        first = await page(client, "/da-tra-loi")
        second = await page(client, "/da-tra-loi", trang="2")
        beyond = await page(client, "/da-tra-loi", trang="99")  # clamped to the last page
        lookup_private = await page(client, "/tra-cuu", ma=codes[1])
        lookup_public = await page(client, "/tra-cuu", ma=codes[0])
    assert codes[3] in first and "Trang 1/2" in first and 'rel="next"' in first
    assert codes[0] in second and "Trang 2/2" in second and 'rel="prev"' in second
    assert codes[0] in beyond
    assert "[đã che]" in second and "0912 345 678" not in second and "lan@example.vn" not in second
    assert "012345678901" not in second and "Sở Xây dựng đã cử cán bộ" in second
    for html in (first, second):
        assert codes[1] not in html and codes[2] not in html
    assert "Sở Xây dựng đã cử cán bộ" in lookup_public
    assert "Sở Xây dựng đã cử cán bộ" not in lookup_private
    assert "người gửi không đồng ý đăng công khai" in lookup_private


async def test_the_publication_step_defaults_to_no(harness: Harness) -> None:
    code = await walk_submission(harness, CITIZEN, category="Giao thông")
    assert code is not None
    item = await harness.item(code)
    assert not item.is_publication_allowed and item.publication_consent_at is None
    await walk_submission(
        harness, OTHER_CITIZEN, category="Đất đai", text=f"{VALID_TEXT} Khác.", stop_at_summary=True
    )
    assert "Đăng trên trang công khai: không" in harness.last_text(OTHER_CITIZEN.id)
    await harness.press(OTHER_CITIZEN, OTHER_CITIZEN.id, "Công khai?")
    await harness.press(OTHER_CITIZEN, OTHER_CITIZEN.id, "Không công khai")
    await harness.press(OTHER_CITIZEN, OTHER_CITIZEN.id, "Gửi")
    assert not (await harness.items())[-1].is_publication_allowed


async def test_no_personal_data_appears_in_any_page_or_api_output(harness: Harness) -> None:
    seat_everyone(harness)
    chat = CITIZEN.id
    await harness.say(CITIZEN, "/new")
    await harness.press(CITIZEN, chat, "Phản ánh")
    await harness.press(CITIZEN, chat, "Cá nhân")
    await harness.press(CITIZEN, chat, "Giao thông")
    await harness.feed(harness.updates.private_location(CITIZEN, LATITUDE, LONGITUDE))
    await harness.say(CITIZEN, "Không rõ địa bàn")
    await harness.say(CITIZEN, VALID_TEXT)
    await harness.press(CITIZEN, chat, "Bỏ qua")
    await harness.feed(harness.updates.private_contact(CITIZEN, PHONE))
    await harness.press(CITIZEN, chat, "Công khai?")
    await harness.press(CITIZEN, chat, "Đồng ý công khai")
    await harness.press(CITIZEN, chat, "Gửi")
    item = (await harness.items())[-1]
    assert item.contact_phone == PHONE and item.location_latitude == LATITUDE and item.is_publication_allowed
    await claim(harness, item.code)
    await answer_item(harness, item.code)
    api_key = await issue_key(harness)
    async with site_client(harness) as client:
        created = await post_request(
            client,
            api_key,
            lat=str(LATITUDE),
            long=str(LONGITUDE),
            first_name="Quang",
            last_name="Vũ",
            phone="0977888999",
            email="quang@example.vn",
            **{"attribute[consent]": "true", "attribute[publication]": "true"},
        )
        other_code = (await created.json())[0]["service_request_id"]
        outputs = []
        for path, params in (
            ("/", {}),
            ("/en/", {}),
            ("/tra-cuu", {"ma": item.code}),
            ("/tra-cuu", {"ma": other_code}),
            ("/en/tra-cuu", {"ma": item.code}),
            ("/da-tra-loi", {}),
            ("/en/da-tra-loi", {}),
            (f"{API}/requests.json", {}),
            (f"{API}/requests.xml", {}),
            (f"{API}/requests/{item.code}.json", {}),
            (f"{API}/requests/{other_code}.xml", {}),
        ):
            response = await client.get(path, params=params)
            assert response.status == 200, path
            outputs.append(await response.text())
    everything = "\n".join(outputs)
    assert item.code in everything and other_code in everything and VALID_TEXT in everything
    assert "Sở Xây dựng đã cử cán bộ" in everything  # the published answer is there
    forbidden = [
        PHONE,
        "0977888999",
        "quang@example.vn",
        "Quang",
        CITIZEN.first_name,
        str(CITIZEN.last_name),
        str(CITIZEN.id),
        OFFICER_XD.first_name,
        str(OFFICER_XD.last_name),
        "21.594",
        "105.848",
    ]
    for value in forbidden:
        assert value not in everything, value


def test_masking_hides_phones_e_mails_id_numbers_and_coordinates() -> None:
    masked = mask_personal_text(
        "Gọi +84 912.345.678 hoặc 0912-345-678, e-mail a.b@so.gov.vn, CCCD 001203004005, CMND 123456789, "
        "vị trí 21.5942, 105.8488; số nhà 12, ngày 08/12/2026.",
        "■",
    )
    assert masked == ("Gọi ■ hoặc ■, e-mail ■, CCCD ■, CMND ■, vị trí ■; số nhà 12, ngày 08/12/2026.")


def test_every_public_step_and_state_has_a_label_in_both_languages() -> None:
    from bot.texts import en, vi
    from models.public_view import PUBLIC_STEPS

    keys = [f"web.step.{step}" for step in PUBLIC_STEPS] + [f"web.state.{state.value}" for state in ItemState]
    for catalogue in (vi.TEXTS, en.TEXTS):
        assert [key for key in keys if key not in catalogue] == []
    assert "marked_never_public" not in PUBLIC_STEPS  # officers' rulings are not published
    assert vi.TEXTS["history.action.marked_never_public"] and en.TEXTS["history.action.marked_never_public"]
