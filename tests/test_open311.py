"""Open311 GeoReport v2: schemas, the same domain path as Telegram, keys, limits and errors."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import georeport
import jsonschema
import pytest
import xmltodict

from models.api_keys import revoke_api_key
from tests import open311_schemas as schemas
from tests.constants import PDP_GROUP, XD_GROUP
from tests.flows import CITIZEN
from tests.harness import Harness
from tests.web_world import API, ROAD_TEXT, counts, issue_key, post_request, site_client


async def json_of(response: Any, status: int = 200) -> Any:
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    return await response.json()


async def test_discovery_services_and_definitions_match_the_spec_schemas(harness: Harness) -> None:
    async with site_client(harness) as client:
        discovery = await json_of(await client.get(f"{API}/discovery.json"))
        jsonschema.validate(discovery, schemas.DISCOVERY)
        assert discovery["endpoints"][0]["url"].endswith("/open311/v2")

        services = await json_of(await client.get(f"{API}/services.json"))
        jsonschema.validate(services, schemas.SERVICES)
        codes = [service["service_code"] for service in services]
        assert codes == [category.code for category in harness.services.directory.categories]
        land = next(service for service in services if service["service_code"] == "dat-dai")
        assert land["service_name"] == "Đất đai" and land["type"] == "realtime"
        assert land["group"] == "Sở Nông nghiệp và Môi trường" and land["keywords"]

        definition = await json_of(await client.get(f"{API}/services/trat-tu-do-thi.json"))
        jsonschema.validate(definition, schemas.SERVICE_DEFINITION)
        attributes = {attribute["code"]: attribute for attribute in definition["attributes"]}
        assert attributes["locality"]["datatype"] == "singlevaluelist"
        assert {value["key"] for value in attributes["locality"]["values"]} == {
            "phan-dinh-phung",
            "tan-cuong",
        }
        assert [value["key"] for value in attributes["kind"]["values"]] == ["feedback", "petition"]

        xml = xmltodict.parse(await (await client.get(f"{API}/services.xml")).text())
        assert [service["service_code"] for service in xml["services"]["service"]] == codes
        definition_xml = xmltodict.parse(await (await client.get(f"{API}/services/dat-dai.xml")).text())
        values = definition_xml["service_definition"]["attributes"]["attribute"][0]["values"]["value"]
        assert [value["key"] for value in values] == ["feedback", "petition"]

        missing = await json_of(await client.get(f"{API}/services/khong-co.json"), 404)
        jsonschema.validate(missing, schemas.ERRORS)


async def test_a_channel_item_gets_a_card_in_the_right_group_and_is_tracked_everywhere(
    harness: Harness,
) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness) as client:
        created = await json_of(
            await post_request(
                client,
                api_key,
                service_code="trat-tu-do-thi",
                **{
                    "attribute[locality]": "phan-dinh-phung",
                    "attribute[kind]": "petition",
                    "attribute[consent]": "true",
                    "first_name": "Hoa",
                    "last_name": "Trần",
                    "phone": "0987 654 321",
                },
            )
        )
        jsonschema.validate(created, schemas.POST_RESPONSE)
        code = created[0]["service_request_id"]
        assert code.startswith("KN-")

        await harness.deliver()
        card = next(text for text in harness.fake.texts(PDP_GROUP) if code in text)
        assert "cong-thong-tin" in card  # the card shows the channel
        assert "0987 654 321" in card and "Hoa Trần" in card  # consent was stated
        harness.find_button(PDP_GROUP, "Nhận xử lý")

        item = await harness.item(code)
        assert item.channel == "cong-thong-tin" and item.agency_code == "UBND-PDP"
        assert item.citizen_telegram_user_id is None and item.contact_consent_at is not None
        assert item.answer_due_at is not None and item.claim_due_at is not None

        one = await json_of(await client.get(f"{API}/requests/{code}.json"))
        jsonschema.validate(one, schemas.SERVICE_REQUESTS)
        assert one[0]["status"] == "open" and one[0]["detailed_status"] == "RECEIVED"
        assert one[0]["agency_responsible"] == "UBND phường Phan Đình Phùng"
        assert one[0]["requested_datetime"] == "2026-12-07T09:00:00+07:00"
        assert one[0]["expected_datetime"].endswith("+07:00")
        assert one[0]["description"] is None  # no publication consent: the text stays private

        token = await json_of(await client.get(f"{API}/tokens/{code}.json"))
        jsonschema.validate(token, schemas.TOKENS)
        assert token == [{"service_request_id": code, "token": code}]

        page = await client.get("/tra-cuu", params={"ma": code})
        html = await page.text()
        assert page.status == 200 and code in html and "UBND phường Phan Đình Phùng" in html

    await harness.say(CITIZEN, f"/status {code}")
    assert code in harness.last_text(CITIZEN.id)
    assert "đã tiếp nhận" in harness.last_text(CITIZEN.id)


async def test_missing_forged_or_revoked_keys_are_refused_and_write_nothing(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with harness.session() as session:
        await revoke_api_key(session=session, name="cong-thong-tin", now=harness.clock.now())
    other_key = await issue_key(harness, "tong-dai")
    async with site_client(harness) as client:
        for key in (None, "", api_key, other_key[:-1] + ("A" if other_key[-1] != "A" else "B")):
            refused = await json_of(await post_request(client, key), 403)
            jsonschema.validate(refused, schemas.ERRORS)
            assert refused[0]["code"] == 403
        xml = await post_request(client, "forged", fmt="xml")
        assert xml.status == 403
        assert xmltodict.parse(await xml.text())["errors"]["error"]["code"] == "403"
        assert await counts(harness) == (0, 0)
        accepted = await post_request(client, other_key)
        assert accepted.status == 200
    assert (await counts(harness))[0] == 1


async def test_bad_input_gets_spec_errors_and_writes_nothing(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness, open311_max_body_bytes=2_000) as client:
        cases = [
            (await post_request(client, api_key, service_code="khong-co"), 404),
            (await post_request(client, api_key, description="ngắn"), 400),
            (await post_request(client, api_key, **{"attribute[locality]": "mars"}), 400),
            (await post_request(client, api_key, **{"attribute[consent]": "maybe"}), 400),
            (await post_request(client, api_key, **{"attribute[kind]": "complaint"}), 400),
            (await post_request(client, api_key, lat="21.5", long="east"), 400),
            (await post_request(client, api_key, lat="91", long="105"), 400),
            (await post_request(client, api_key, email="not an address"), 400),
            (await post_request(client, api_key, description="x" * 3_000), 413),
            (await client.get(f"{API}/requests.json", params={"page_size": "501"}), 400),
            (await client.get(f"{API}/requests.json", params={"page": "0"}), 400),
            (await client.get(f"{API}/requests.json", params={"status": "lost"}), 400),
            (await client.get(f"{API}/requests.json", params={"start_date": "yesterday"}), 400),
            (await client.get(f"{API}/requests.json", params={"start_date": "2026-12-01T00:00:00"}), 400),
            (
                await client.get(
                    f"{API}/requests.json",
                    params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
                ),
                400,
            ),
            (await client.get(f"{API}/requests/PA-ZZZZZZ.json"), 404),
            (await client.get(f"{API}/requests/<script>.json"), 404),
            (await client.get(f"{API}/nothing-here.json"), 404),
            (await client.get(f"{API}/services.json", params={"jurisdiction_id": "other"}), 404),
        ]
        for response, status in cases:
            body = await json_of(response, status)
            jsonschema.validate(body, schemas.ERRORS)
            assert body[0]["code"] == status
    assert await counts(harness) == (0, 0)


async def test_each_key_is_rate_limited_and_recovers_with_time(harness: Harness) -> None:
    first, second = await issue_key(harness, "cong-thong-tin"), await issue_key(harness, "tong-dai")
    async with site_client(harness, open311_requests_per_minute=2) as client:
        statuses = [
            (await post_request(client, first, description=f"{ROAD_TEXT} Lần {n}.")).status for n in range(3)
        ]
        assert statuses == [200, 200, 429]
        assert (await post_request(client, second, description=f"{ROAD_TEXT} Kênh khác.")).status == 200
        limited = await json_of(await post_request(client, first, description=f"{ROAD_TEXT} Lần 9."), 429)
        jsonschema.validate(limited, schemas.ERRORS)
        harness.clock.advance(timedelta(seconds=31))
        assert (await post_request(client, first, description=f"{ROAD_TEXT} Sau đó.")).status == 200
    assert (await counts(harness))[0] == 4


async def test_the_channel_hourly_limit_and_duplicates_follow_the_telegram_rules(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness, open311_submissions_per_hour=2) as client:
        first = await json_of(await post_request(client, api_key))
        again = await json_of(await post_request(client, api_key))
        assert again[0]["service_request_id"] == first[0]["service_request_id"]  # a retry, not a new item
        await json_of(await post_request(client, api_key, description=f"{ROAD_TEXT} Đoạn thứ hai."))
        limited = await json_of(
            await post_request(client, api_key, description=f"{ROAD_TEXT} Đoạn thứ ba."), 429
        )
        assert "hourly" in limited[0]["description"]
    assert (await counts(harness))[0] == 2


async def test_contact_is_dropped_without_consent(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness) as client:
        created = await json_of(
            await post_request(client, api_key, first_name="Hoa", phone="0987654321", email="hoa@example.vn")
        )
    item = await harness.item(created[0]["service_request_id"])
    assert (item.contact_phone, item.contact_name, item.contact_email, item.contact_consent_at) == (
        None,
        None,
        None,
        None,
    )
    await harness.deliver()
    assert not any("0987654321" in text for text in harness.fake.texts(XD_GROUP))


async def test_get_requests_filters_by_id_service_status_and_dates_with_paging(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness) as client:
        codes = []
        for category in ("giao-thong", "dat-dai", "giao-thong"):
            created = await json_of(
                await post_request(
                    client, api_key, service_code=category, description=f"{ROAD_TEXT} {category} {len(codes)}"
                )
            )
            codes.append(created[0]["service_request_id"])
            harness.clock.advance(timedelta(minutes=5))
        async with harness.session() as session:
            from models.tables import Item, ItemState

            item = await session.get(Item, (await harness.item(codes[1])).id)
            assert item is not None
            item.state = ItemState.ANSWERED
            session.add(item)

        async def listed(**params: str) -> list[str]:
            body = await json_of(await client.get(f"{API}/requests.json", params=params))
            jsonschema.validate(body, schemas.SERVICE_REQUESTS)
            return [entry["service_request_id"] for entry in body]

        assert await listed() == codes[::-1]
        assert await listed(service_code="giao-thong") == [codes[2], codes[0]]
        assert await listed(status="closed") == [codes[1]]
        assert await listed(status="open,closed") == codes[::-1]
        assert await listed(service_request_id=f"{codes[0]},{codes[1].lower()},PA-XXXXXX") == [
            codes[1],
            codes[0],
        ]
        assert await listed(page_size="2") == [codes[2], codes[1]]
        assert await listed(page_size="2", page="2") == [codes[0]]
        assert await listed(start_date="2026-12-07T09:04:00+07:00", end_date="2026-12-07T09:06:00+07:00") == [
            codes[1]
        ]
        assert await listed(start_date="2026-12-08T00:00:00Z") == []
        xml = xmltodict.parse(await (await client.get(f"{API}/requests.xml")).text())
        assert [entry["service_request_id"] for entry in xml["service_requests"]["request"]] == codes[::-1]


async def test_the_georeport_client_reads_the_live_server(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness) as client:
        created = await json_of(await post_request(client, api_key))
        code = created[0]["service_request_id"]
        root = str(client.make_url(API))

        def read(output_format: str) -> tuple[Any, Any, Any, Any]:
            api = georeport.GeoReport(root, output_format=output_format)
            return (
                api.get_service_list(),
                api.get_service_definition("giao-thong"),
                api.get_service_requests(status="open"),
                api.get_service_request(code),
            )

        services, definition, requests, one = await asyncio.to_thread(read, "json")
        assert any(service["service_code"] == "giao-thong" for service in services)
        assert definition["service_code"] == "giao-thong"
        assert [entry["service_request_id"] for entry in requests] == [code]
        assert one["service_request_id"] == code
        services_xml, definition_xml, requests_xml, _ = await asyncio.to_thread(read, "xml")
        assert len(services_xml) == len(services) and definition_xml["service_code"] == "giao-thong"
        assert requests_xml["service_request_id"] == code  # xmltodict: a single request is not a list


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_posting_needs_the_bot_token_for_valid_card_buttons(harness: Harness) -> None:
    api_key = await issue_key(harness)
    async with site_client(harness, bot_token=None) as client:
        refused = await json_of(await post_request(client, api_key), 503)
        jsonschema.validate(refused, schemas.ERRORS)
        assert (await client.get(f"{API}/services.json")).status == 200
    assert await counts(harness) == (0, 0)
