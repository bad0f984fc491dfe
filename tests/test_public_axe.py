"""axe-core, the accessibility engine, run on every public page inside the real headless chromium.

axe-core comes from the npm registry (`.ci/run` installs the pinned version; nothing is downloaded at
run time): set PAKN_AXE_JS to its axe.min.js, or install it with
`npm install --no-save --prefix /tmp/pakn-axe axe-core@4.14.1`. The page is opened at phone width,
the script is injected through WebDriver (which the page's Content-Security-Policy does not govern)
and run with the WCAG 2.0/2.1 A and AA rules plus axe's best practices (heading order, one h1,
landmarks). Colour contrast is measured there on the rendered page, as a person would see it.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Harness
from tests.test_browser import HAS_BROWSER, phone_browser
from tests.test_public_accessibility import public_pages
from tests.web_world import site_client

AXE_VERSION = "4.14.1"
AXE_PLACES = (
    os.environ.get("PAKN_AXE_JS", ""),
    "/tmp/pakn-axe/node_modules/axe-core/axe.min.js",
    "/usr/lib/node_modules/axe-core/axe.min.js",
    "/usr/local/lib/node_modules/axe-core/axe.min.js",
)
AXE_SCRIPT = next((Path(place) for place in AXE_PLACES if place and Path(place).is_file()), None)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

if AXE_SCRIPT is None and os.environ.get("PAKN_REQUIRE_AXE"):
    raise RuntimeError("PAKN_REQUIRE_AXE is set but axe-core's axe.min.js is not installed (see .ci/run)")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HAS_BROWSER, reason="Debian's chromium and chromium-driver are not installed"),
    pytest.mark.skipif(AXE_SCRIPT is None, reason="axe-core is not installed (.ci/run installs it from npm)"),
]


def run_axe(urls: dict[str, str], script: str) -> dict[str, Any]:
    """Open each page, run axe-core on it and return its version, its violations and what it checked."""
    found: dict[str, Any] = {"violations": {}, "passes": {}, "version": None}
    with phone_browser() as driver:
        driver.set_script_timeout(60)
        for name, url in urls.items():
            driver.get(url)
            driver.execute_script(script)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
                ".then(r => done({version: r.testEngine.version,"
                " violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
                " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})),"
                " passes: r.passes.map(p => p.id)}))"
                ".catch(e => done({error: String(e)}));",
                AXE_TAGS,
            )
            assert "error" not in result, (name, result)
            found["version"] = result["version"]
            found["violations"][name] = result["violations"]
            found["passes"][name] = set(result["passes"])
    return found


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_axe_core_finds_no_violation_on_any_public_page(harness: Harness) -> None:
    assert AXE_SCRIPT is not None
    pages = await public_pages(harness)
    async with site_client(harness) as client:
        urls = {name: str(client.make_url(path)) for name, (_, path, _) in pages.items()}
        found = await asyncio.to_thread(run_axe, urls, AXE_SCRIPT.read_text(encoding="utf-8"))
    assert found["version"] == AXE_VERSION
    assert found["violations"] == {name: [] for name in pages}
    # the rules the issue names did run, and passed, on the pages that have what they check
    for rule in (
        "html-has-lang",
        "html-lang-valid",
        "document-title",
        "page-has-heading-one",
        "heading-order",
    ):
        assert rule in found["passes"]["home (vi)"], rule
    assert {"color-contrast", "image-alt", "link-name", "th-has-data-cells"} <= found["passes"]["home (en)"]
    assert {"label", "color-contrast"} <= found["passes"]["lookup found"]
    assert "link-name" in found["passes"]["answered list"]
