"""Text that fits a Telegram message: UTF-16 lengths, and long HTML split into valid parts."""

from __future__ import annotations

import re

from telegram.constants import MessageLimit

_TOKEN = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;|[^<&]|[<&]", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def utf16_length(text: str) -> int:
    """Return the length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _after_token(stack: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    match = _TAG.match(token) if token.startswith("<") and token.endswith(">") else None
    if match is None:
        return stack
    is_closing, name = match.group(1) == "/", match.group(2).lower()
    if not is_closing:
        return [*stack, (name, token)]
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            return stack[:index] + stack[index + 1 :]
    return stack


def _closers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split HTML text into Telegram-sized parts at paragraph, line or word boundaries.

    Tags open at a cut are closed at the end of the part and opened again at the start of the next,
    so every part is valid HTML on its own; tags and entities (&amp;) are never cut.
    """
    if utf16_length(text) <= limit:
        return [text]
    tokens = _TOKEN.findall(text)
    parts: list[str] = []
    open_tags: list[tuple[str, str]] = []
    start = 0
    while start < len(tokens):
        while start < len(tokens) and tokens[start].isspace():
            start += 1
        if start >= len(tokens):
            break
        prefix = "".join(opening for _, opening in open_tags)
        size = utf16_length(prefix)
        stack = open_tags
        end = start
        breaks: dict[str, tuple[int, list[tuple[str, str]]]] = {}
        while end < len(tokens):
            token = tokens[end]
            after = _after_token(stack, token)
            token_size = utf16_length(token)
            if size + token_size + utf16_length(_closers(after)) > limit:
                break
            size += token_size
            stack = after
            end += 1
            if size * 2 >= limit:  # a boundary in the first half would waste too much of the part
                if token == "\n" and end >= 2 and tokens[end - 2] == "\n":
                    breaks["paragraph"] = (end, stack)
                elif token == "\n":
                    breaks["line"] = (end, stack)
                elif token.isspace():
                    breaks["word"] = (end, stack)
        if end == len(tokens):
            cut, cut_stack = end, stack
        elif end == start:  # one token alone is over the limit: send it and let Telegram judge
            cut, cut_stack = start + 1, _after_token(open_tags, tokens[start])
        else:
            cut, cut_stack = next(
                (breaks[kind] for kind in ("paragraph", "line", "word") if kind in breaks), (end, stack)
            )
        body = "".join(tokens[start:cut]).rstrip()
        parts.append(prefix + body + _closers(cut_stack))
        open_tags = cut_stack
        start = cut
    return parts


def fit_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """Return the text, or its first part with "…" when it is too long for one message."""
    parts = split_text(text, limit - 1)
    return parts[0] if len(parts) == 1 else parts[0] + "…"
