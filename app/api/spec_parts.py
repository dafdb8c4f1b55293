"""The pieces the OpenAPI description is written with (``spec.py`` and the operations'
modules): a schema reference, an answer, a body, a query parameter, the common errors."""

from __future__ import annotations

DATE = {"type": "string", "format": "date"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


ERRORS = {
    "400": _json(_ref("Error"), "Dữ liệu không hợp lệ; `field` chỉ trường sai"),
    "401": _json(_ref("Error"), "Thiếu token, token sai hoặc đã thu hồi"),
    "403": _json(_ref("Error"), "Không có quyền"),
    "404": _json(_ref("Error"), "Không tìm thấy"),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _answers(status: str, schema: str, description: str, *errors: str) -> dict:
    return {status: _json(_ref(schema), description), **{k: ERRORS[k] for k in errors}}
