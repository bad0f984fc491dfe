"""An accessibility check of every public page (WCAG 2.1 AA basics), with an HTML parser and the style sheet.

Each page is rendered by the live test server and read by html.parser: the document language, one h1
and headings in order, a label for every form control, alt text on images, scope on table headers, no
empty link or button, unique ids. The style sheet's colours are read from its :root custom properties
(the only place it names colours) and every text colour is checked against every background it can sit
on: at least 4.5:1 for text, 3:1 for borders of form controls and focus outlines. The same pages are
also checked by axe-core inside the real headless chromium (tests/test_public_axe.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from bot.web.app import STATIC_DIRECTORY
from models.tables import ItemState
from tests.harness import Harness
from tests.test_public_web import make_items, set_item
from tests.web_world import site_client

STYLE_SHEET = STATIC_DIRECTORY / "site.css"
TEXT_CONTRAST = 4.5
NON_TEXT_CONTRAST = 3.0
LABELLED_CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


# --- the pages ---------------------------------------------------------------------------------------


async def public_pages(harness: Harness) -> dict[str, tuple[str, str, int]]:
    """Create a little data and return every kind of public page: name -> (language, path, status)."""
    now = harness.clock.now()
    items = await make_items(harness, "giao-thong", 6)
    await make_items(harness, "dat-dai", 2, start=10)
    for number, item in enumerate(items[:3]):
        await set_item(
            harness,
            item.code,
            state=ItemState.ANSWERED,
            answered_at=now + timedelta(days=number + 1),
            is_publication_allowed=True,
        )
    await set_item(harness, items[3].code, answer_due_at=now - timedelta(hours=1))
    harness.clock.advance(timedelta(days=5))
    found = items[0].code
    return {
        "home (vi)": ("vi", "/", 200),
        "home (en)": ("en", "/en/", 200),
        "lookup form": ("vi", "/tra-cuu", 200),
        "lookup found": ("vi", f"/tra-cuu?ma={found}", 200),
        "lookup found (en)": ("en", f"/en/tra-cuu?ma={found}", 200),
        "lookup not found": ("vi", "/tra-cuu?ma=PA-ZZZZZZ", 404),
        "lookup bad code": ("vi", "/tra-cuu?ma=%3Cb%3E", 400),
        "answered list": ("vi", "/da-tra-loi", 200),
        "answered list (en)": ("en", "/en/da-tra-loi", 200),
        "error page: bad parameter": ("vi", "/da-tra-loi?trang=abc", 400),
        "error page: unknown address": ("vi", "/khong-co-trang-nay", 404),
    }


@dataclass
class Element:
    """An element as the parser met it."""

    tag: str
    attributes: dict[str, str]
    text: str = ""
    labelled_by_wrapper: bool = False


@dataclass
class PageReader(HTMLParser):
    """Collect what the checks need in one pass over a page."""

    elements: list[Element] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    _open: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        element.labelled_by_wrapper = any(parent.tag == "label" for parent in self._open)
        self.elements.append(element)
        if tag == "label" and "for" in element.attributes:
            self.label_targets.add(element.attributes["for"])
        if tag not in {"input", "img", "br", "meta", "link", "hr", "source", "wbr"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            element = self._open.pop()
            if element.tag == tag:
                if re.fullmatch(r"h[1-6]", tag):
                    self.headings.append((int(tag[1]), element.text.strip()))
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def first(self, tag: str) -> Element:
        """Return the first element with a tag."""
        return next(element for element in self.elements if element.tag == tag)

    def all(self, tag: str) -> list[Element]:
        """Return every element with a tag."""
        return [element for element in self.elements if element.tag == tag]


def accessibility_problems(html: str, language: str) -> list[str]:
    """Return every problem the checks find on a page (an empty list for a good page)."""
    reader = PageReader()
    reader.feed(html)
    reader.close()
    problems: list[str] = []
    if reader.first("html").attributes.get("lang") != language:
        problems.append(f"<html lang> is not {language!r}")
    if not reader.first("title").text.strip():
        problems.append("the page has no title")
    levels = [level for level, _ in reader.headings]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements, not one")
    if levels and levels[0] != 1:
        problems.append("the first heading is not the h1")
    for before, after in pairwise(levels):
        if after > before + 1:
            problems.append(f"a heading level is skipped: h{before} then h{after}")
    problems += [f"empty heading h{level}" for level, text in reader.headings if not text]
    ids = [element.attributes["id"] for element in reader.elements if "id" in element.attributes]
    problems += [f"duplicate id {name!r}" for name in sorted({name for name in ids if ids.count(name) > 1})]
    for element in reader.elements:
        attributes = element.attributes
        name = attributes.get("aria-label", "").strip() or attributes.get("aria-labelledby", "").strip()
        if element.tag in LABELLED_CONTROLS and attributes.get("type", "text") not in UNLABELLED_INPUT_TYPES:
            labelled = attributes.get("id") in reader.label_targets or element.labelled_by_wrapper or name
            if not labelled:
                problems.append(f"<{element.tag} name={attributes.get('name')!r}> has no label")
        hidden = attributes.get("role") == "presentation" or attributes.get("aria-hidden") == "true"
        if element.tag == "img" and not attributes.get("alt", "").strip() and not hidden:
            problems.append(f"<img src={attributes.get('src')!r}> has no alt text")
        if element.tag == "svg" and attributes.get("aria-hidden") != "true" and not name:
            problems.append("an inline <svg> is neither hidden nor named")
        if element.tag == "th" and attributes.get("scope") not in {"col", "row", "colgroup", "rowgroup"}:
            problems.append(f"<th>{element.text.strip()[:30]}</th> has no scope")
        if element.tag in {"a", "button"} and not (element.text.strip() or name):
            problems.append(f"<{element.tag} href={attributes.get('href')!r}> has no text")
        if element.tag == "a" and "href" not in attributes:
            problems.append(f"<a>{element.text.strip()[:30]}</a> is not a link")
        if "lang" in attributes and attributes["lang"] not in {"vi", "en"}:
            problems.append(f"unknown lang {attributes['lang']!r}")
    return problems


def test_the_checks_find_the_problems_they_look_for() -> None:
    """The checker itself: a bad page gets every complaint, a good one none."""
    bad = (
        '<html lang="fr"><head><title> </title></head><body><h2>x</h2><h1>a</h1><h1>b</h1><h4>c</h4>'
        '<input id="q" name="q"><img src="x.png"><svg></svg><table><tr><th>H</th></tr></table>'
        '<a href="/x"> </a><button></button><p id="d"></p><p id="d"></p></body></html>'
    )
    problems = accessibility_problems(bad, "vi")
    for expected in (
        "<html lang> is not 'vi'",
        "the page has no title",
        "2 h1 elements, not one",
        "the first heading is not the h1",
        "a heading level is skipped: h1 then h4",
        "<input name='q'> has no label",
        "<img src='x.png'> has no alt text",
        "an inline <svg> is neither hidden nor named",
        "<th>H</th> has no scope",
        "<a href='/x'> has no text",
        "<button href=None> has no text",
        "duplicate id 'd'",
    ):
        assert expected in problems
    good = (
        '<html lang="vi"><head><title>T</title></head><body><h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>'
        '<label for="q">Mã</label><input id="q" name="q"><label>Tên <input name="n"></label>'
        '<img src="x.svg" alt="Biểu đồ"><table><tr><th scope="col">H</th></tr></table>'
        '<a href="/">Trang chủ</a><button type="submit">Tra cứu</button></body></html>'
    )
    assert accessibility_problems(good, "vi") == []


async def test_every_public_page_passes_the_accessibility_checks(harness: Harness) -> None:
    pages = await public_pages(harness)
    found: dict[str, list[str]] = {}
    async with site_client(harness) as client:
        for name, (language, path, status) in pages.items():
            response = await client.get(path)
            html = await response.text()
            assert response.status == status, (name, html[:300])
            assert response.content_type == "text/html", name
            found[name] = accessibility_problems(html, language)
            if name.startswith("home"):
                assert html.count('<img class="report-chart"') == 2, name
            if name.startswith("lookup"):
                assert '<label for="ma">' in html, name
    assert found == {name: [] for name in pages}


# --- colour contrast ---------------------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour written #rgb or #rrggbb."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Rule:
    """One rule of the style sheet: its selectors and declarations."""

    selectors: tuple[str, ...]
    declarations: dict[str, str]


def style_rules(css: str) -> list[Rule]:
    """Parse the style sheet's rules (at-rules are opened: the rules inside them count)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector_text, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        selectors = tuple(part.strip() for part in selector_text.split("{")[-1].split(",") if part.strip())
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        rules.append(Rule(selectors, declarations))
    return rules


def palette(rules: list[Rule]) -> dict[str, str]:
    """Return the :root custom properties that are colours."""
    root = next(rule for rule in rules if rule.selectors == (":root",))
    return {
        name: value
        for name, value in root.declarations.items()
        if name.startswith("--") and re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value)
    }


def colour_of(value: str, colours: dict[str, str]) -> str | None:
    """Resolve a declaration's colour (a var() of the palette); None when it names no colour."""
    found = re.search(r"var\((--[\w-]+)\)", value)
    return colours[found.group(1)] if found else None


def contrast_pairs(css: str) -> list[tuple[str, str, str, float]]:
    """Return (what, foreground, background, required ratio) for every colour the style sheet uses.

    A rule that sets both a colour and a background is checked as such. Text, borders and outlines of
    a rule without its own background sit on the background of the rule its selector starts in (the
    header's links on the header's band), or else on any background a colourless rule paints (the
    page, the soft panels): all of those are checked.
    """
    rules = style_rules(css)
    colours = palette(rules)
    painted: dict[str, str] = {}
    for rule in rules:
        background = colour_of(rule.declarations.get("background", ""), colours) or colour_of(
            rule.declarations.get("background-color", ""), colours
        )
        if background:
            for selector in rule.selectors:
                painted[selector] = background
    surfaces = {
        painted[selector]
        for rule in rules
        for selector in rule.selectors
        if selector in painted and "color" not in rule.declarations
    }
    pairs = []
    for rule in rules:
        for selector in rule.selectors:
            own = painted.get(selector)
            container = painted.get(selector.split(" ")[0]) if " " in selector else None
            backgrounds = {own} if own else {container} if container else surfaces
            if selector == ":root":
                backgrounds = {own} | surfaces  # the body text is on every background
            checks = [
                ("color", TEXT_CONTRAST),
                ("outline", NON_TEXT_CONTRAST),
                ("outline-color", NON_TEXT_CONTRAST),
            ]
            if selector.endswith(("input", "select", "textarea")):
                checks.append(("border", NON_TEXT_CONTRAST))  # a control's edge must be seen (WCAG 1.4.11)
            for background in sorted(b for b in backgrounds if b):
                for name, ratio in checks:
                    foreground = colour_of(rule.declarations.get(name, ""), colours)
                    if foreground:
                        pairs.append((f"{selector} {name}", foreground, background, ratio))
    return pairs


def test_wcag_contrast_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#fff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the well-known grey


def test_every_colour_of_the_style_sheet_is_in_one_place() -> None:
    css = re.sub(r"/\*.*?\*/", "", STYLE_SHEET.read_text(encoding="utf-8"), flags=re.S)
    root, rest = css.split("}", 1)
    assert root.strip().startswith(":root")
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", rest), "a colour outside :root"
    assert not re.search(r"(?<![\w-])(white|black|red|yellow|gray|grey)(?![\w-])", rest)


def test_text_and_background_pairs_of_the_style_sheet_have_enough_contrast() -> None:
    pairs = contrast_pairs(STYLE_SHEET.read_text(encoding="utf-8"))
    checked = {(what.split(" ")[-1], foreground, background) for what, foreground, background, _ in pairs}
    colours = palette(style_rules(STYLE_SHEET.read_text(encoding="utf-8")))
    # the pairs a reader meets most: body text, muted text and links on the page and on the soft panels,
    # the header's text and the lookup button on the band, the focus ring on the page and on the band
    for name, foreground, background in (
        ("color", "--text", "--page"),
        ("color", "--text", "--soft"),
        ("color", "--muted", "--soft"),
        ("color", "--link", "--page"),
        ("color", "--problem", "--soft"),
        ("color", "--band-text", "--band"),
        ("outline", "--focus", "--page"),
        ("outline-color", "--band-focus", "--band"),
        ("border", "--muted", "--page"),
    ):
        assert (name, colours[foreground], colours[background]) in checked, (name, foreground, background)
    too_low = [
        f"{what}: {foreground} on {background} is {contrast_ratio(foreground, background):.2f}:1 < {ratio}:1"
        for what, foreground, background, ratio in pairs
        if contrast_ratio(foreground, background) < ratio
    ]
    assert too_low == []


def test_the_contrast_check_would_catch_a_pale_colour() -> None:
    css = STYLE_SHEET.read_text(encoding="utf-8").replace("--muted: #4a5460", "--muted: #9aa4b0")
    pale = [
        what
        for what, foreground, background, ratio in contrast_pairs(css)
        if contrast_ratio(foreground, background) < ratio
    ]
    assert ".figures dt color" in pale and ".note color" in pale
