"""Open311 output: JSON or GeoReport XML, errors as a list of {code, description}, W3C instants."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from aiohttp import web

from models.directory import Directory

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"json": "application/json", "xml": "text/xml"}
XML_ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiError(Exception):
    """An Open311 error: an HTTP status and a description for the client's developer."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _xml_value(parent: ElementTree.Element, name: str, value: Any) -> None:
    if value is None:
        return
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, list):
        child_name = XML_ITEM_NAMES.get(name, "item")
        for inner in value:
            _xml_value(element, child_name, inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def to_xml(root: str, element: str | None, payload: Any) -> bytes:
    """Serialise a payload the GeoReport way: a root, then one element per entry of a list."""
    top = ElementTree.Element(root)
    if isinstance(payload, list):
        for entry in payload:
            _xml_value(top, element or "item", entry)
    else:
        for key, value in payload.items():
            _xml_value(top, key, value)
    body = ElementTree.tostring(top, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, payload: Any, *, root: str, element: str | None, status: int = 200) -> web.Response:
    """Answer in JSON or XML, UTF-8."""
    if fmt == "xml":
        body = to_xml(root, element, payload)
        return web.Response(body=body, status=status, content_type="text/xml", charset="utf-8")
    return web.json_response(payload, status=status, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def error_response(fmt: str, status: int, description: str) -> web.Response:
    """Answer an error as the spec does: a list of {code, description}."""
    return respond(
        fmt, [{"code": status, "description": description}], root="errors", element="error", status=status
    )


def guarded(handler: Handler) -> Handler:
    """Map ApiError to its status and anything unexpected to a logged 500-free 503 answer."""

    async def run(request: web.Request) -> web.StreamResponse:
        fmt = request.match_info.get("fmt", "json")
        fmt = fmt if fmt in CONTENT_TYPES else "json"
        try:
            return await handler(request)
        except ApiError as error:
            return error_response(fmt, error.status, error.description)
        except web.HTTPException:
            raise
        except Exception:
            logger.exception("Open311 %s %s failed", request.method, request.path)
            return error_response(fmt, 503, "temporarily unavailable; try again later")

    run.__doc__ = handler.__doc__
    return run


def iso(at: datetime | None, directory: Directory) -> str | None:
    """Format an instant as W3C date-time in the province's time zone, with its offset."""
    if at is None:
        return None
    return at.astimezone(ZoneInfo(directory.province.timezone)).isoformat(timespec="seconds")
