"""JSON Schemas (draft 2020-12) of the GeoReport v2 JSON responses, written for this project from the spec.

Source read: the Open311 GeoReport v2 specification (wiki.open311.org/GeoReport_v2) and its Service
Discovery page, plus the CitySDK `detailed_status` extension. These are our own schemas, not the
community ones: fields the spec marks optional may be absent or null; date-times must carry a time zone.
"""

from __future__ import annotations

from typing import Any

W3C_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"
NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}
DATETIME: dict[str, Any] = {"type": "string", "pattern": W3C_DATETIME}
NULLABLE_DATETIME: dict[str, Any] = {"type": ["string", "null"], "pattern": W3C_DATETIME}

DISCOVERY: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": DATETIME,
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": {"type": "string", "pattern": "GeoReport_v2"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "changeset": DATETIME,
                    "type": {"enum": ["production", "test"]},
                    "formats": {
                        "type": "array",
                        "items": {"enum": ["text/xml", "application/json"]},
                        "contains": {"const": "text/xml"},
                    },
                },
            },
        },
    },
}

SERVICES: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string", "minLength": 1},
            "service_name": {"type": "string", "minLength": 1},
            "description": NULLABLE_STRING,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": NULLABLE_STRING,
            "group": NULLABLE_STRING,
        },
    },
}

SERVICE_DEFINITION: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {
        "service_code": {"type": "string"},
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["variable", "code", "datatype", "required", "order", "description"],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string", "minLength": 1},
                    "datatype": {
                        "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": NULLABLE_STRING,
                    "order": {"type": "integer", "minimum": 0},
                    "description": {"type": "string"},
                    "values": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "name"],
                            "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                        },
                    },
                },
                "if": {"properties": {"datatype": {"enum": ["singlevaluelist", "multivaluelist"]}}},
                "then": {"required": ["values"], "properties": {"values": {"minItems": 1}}},
            },
        },
    },
}

POST_RESPONSE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "anyOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
        "properties": {
            "service_request_id": {"type": "string", "minLength": 1},
            "token": NULLABLE_STRING,
            "service_notice": NULLABLE_STRING,
            "account_id": NULLABLE_STRING,
        },
    },
}

SERVICE_REQUESTS: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "properties": {
            "service_request_id": {"type": "string", "minLength": 1},
            "status": {"enum": ["open", "closed"]},
            "status_notes": NULLABLE_STRING,
            "service_name": NULLABLE_STRING,
            "service_code": {"type": "string"},
            "description": NULLABLE_STRING,
            "agency_responsible": NULLABLE_STRING,
            "service_notice": NULLABLE_STRING,
            "requested_datetime": DATETIME,
            "updated_datetime": NULLABLE_DATETIME,
            "expected_datetime": NULLABLE_DATETIME,
            "address": NULLABLE_STRING,
            "address_id": NULLABLE_STRING,
            "zipcode": NULLABLE_STRING,
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": NULLABLE_STRING,
            "detailed_status": {"enum": ["RECEIVED", "IN_PROCESS", "PROCESSED", "ARCHIVED", "REJECTED"]},
        },
    },
}

TOKENS: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["token"],
        "properties": {"service_request_id": NULLABLE_STRING, "token": {"type": "string"}},
    },
}

ERRORS: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string", "minLength": 1}},
        "additionalProperties": False,
    },
}
