"""The home page in a real headless browser (Debian's chromium via Selenium) at phone width."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from models.tables import ItemState
from tests.harness import Harness
from tests.test_public_web import make_items, set_item
from tests.web_world import site_client

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HAS_BROWSER = Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()
PHONE_WIDTH, PHONE_HEIGHT = 390, 844

if not HAS_BROWSER and os.environ.get("PAKN_REQUIRE_BROWSER"):
    raise RuntimeError("PAKN_REQUIRE_BROWSER is set but /usr/bin/chromium or chromedriver is missing")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not HAS_BROWSER,
        reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
    ),
]


@contextmanager
def phone_browser() -> Iterator[Any]:
    """Start Debian's headless chromium at phone width (390 × 844 CSS pixels) and quit it afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={PHONE_WIDTH},{PHONE_HEIGHT}")
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "pixelRatio": 2}}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()


def open_home_on_a_phone(url: str, screenshot: Path) -> dict[str, Any]:
    """Open the home page at phone width, save a screenshot and measure what a person would see."""
    from selenium.webdriver.common.by import By

    with phone_browser() as driver:
        driver.get(url)
        table = driver.find_element(By.CSS_SELECTOR, "table.agencies")
        chart = driver.find_element(By.CSS_SELECTOR, "img.report-chart")
        driver.execute_script("arguments[0].scrollIntoView()", chart)
        driver.save_screenshot(str(screenshot))
        if os.environ.get("PAKN_SCREENSHOT_DIR"):  # keep the picture for a person to look at
            shutil.copy(screenshot, Path(os.environ["PAKN_SCREENSHOT_DIR"]) / screenshot.name)
        return {
            "table_shown": table.is_displayed(),
            "table_size": table.size,
            "chart_shown": chart.is_displayed(),
            "chart_size": chart.size,
            "chart_loaded": driver.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", chart
            ),
            "chart_alt": chart.get_attribute("alt"),
            "chart_in_view": driver.execute_script(
                "const box = arguments[0].getBoundingClientRect();"
                "return box.left >= 0 && box.right <= window.innerWidth + 1",
                chart,
            ),
            "viewport": driver.execute_script("return window.innerWidth"),
            "page_width": driver.execute_script("return document.documentElement.scrollWidth"),
            "header_colour": driver.execute_script(
                "return getComputedStyle(document.querySelector('.site-header')).backgroundColor"
            ),
            "lang": driver.execute_script("return document.documentElement.lang"),
            "console": [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"],
        }


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_home_page_on_a_phone_shows_the_table_and_the_chart(harness: Harness, tmp_path: Path) -> None:
    now = harness.clock.now()
    roads = await make_items(harness, "giao-thong", 6)
    await make_items(harness, "dat-dai", 3, start=20)
    await set_item(harness, roads[0].code, state=ItemState.ANSWERED, answered_at=now + timedelta(days=1))
    await set_item(harness, roads[1].code, answer_due_at=now - timedelta(hours=1))
    harness.clock.advance(timedelta(days=2))
    screenshot = tmp_path / "home-phone.png"
    async with site_client(harness) as client:
        seen = await asyncio.to_thread(open_home_on_a_phone, str(client.make_url("/")), screenshot)
    assert seen["lang"] == "vi"
    assert seen["table_shown"] and seen["table_size"]["height"] > 50
    # the report's chart, an SVG image from this server, drawn at the phone's width
    assert seen["chart_shown"] and seen["chart_loaded"] and seen["chart_in_view"]
    assert seen["chart_size"]["width"] > 300 and seen["chart_size"]["height"] > 200
    assert seen["chart_alt"].startswith("Biểu đồ 30 ngày qua.")
    assert seen["page_width"] <= seen["viewport"] + 1  # nothing sticks out sideways on a phone
    assert seen["header_colour"] == "rgb(11, 79, 138)"  # the style sheet loaded under the CSP
    assert seen["console"] == []  # no CSP violations or script errors
    assert screenshot.stat().st_size > 10_000 and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
