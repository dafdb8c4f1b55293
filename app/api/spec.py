"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

The bodies' components are generated from the pydantic models in ``schemas`` (the same classes
that validate requests and build responses). The paths are generated from the blueprint's
routes: each route's path, methods and path parameters come from Flask's URL map, its group (tag)
from its route's module, what it means (summary, query parameters, body, answers) from
``OPERATIONS`` under its endpoint's name. A route without an entry, or an entry without its
route, fails the document. Tests validate every response they get against the served document.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask import current_app, jsonify
from pydantic.json_schema import models_json_schema

from app.api import schemas
from app.api.blueprint import bp
from app.api.spec_keytasks import KEY_TASK_OPERATIONS
from app.api.spec_parts import DATE, ERRORS, _answers, _body, _json, _query, _ref

STEP_ERRORS = {
    **ERRORS,
    "409": _json(
        _ref("Error"),
        "Bước không áp dụng cho nhiệm vụ lúc này (đã kết thúc, đang chờ xác nhận, "
        "đã có đề nghị gia hạn chờ duyệt …), "
        "hoặc nhiệm vụ đã đổi sau phiên bản `version` người gửi đọc",
    ),
}


WRITES = {"POST", "PUT", "PATCH", "DELETE"}
RECEIVED = {
    "type": "object",
    "properties": {
        "entry": {"type": "integer"},
        "new": {"type": "boolean"},
        "document_id": {"type": "string"},
        "business_doc_type": {"type": "string", "enum": ["0", "1", "2", "3"]},
        "state": {"type": "string"},
        "signature": {"type": "string", "enum": ["valid", "invalid", "unsigned"]},
    },
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[!-~]+$"},
    "description": "Khóa chống gửi trùng (1–128 ký tự in được, không dấu cách), mỗi thao tác một "
    "khóa mới. Gửi lại cùng khóa, cùng nội dung (khi không nhận được trả lời lần trước): nhận "
    "lại đúng trả lời lần đầu (tiêu đề `Idempotent-Replayed: true`), thao tác không thực hiện "
    "lần nữa. Khóa được giữ 24 giờ, riêng cho từng người dùng.",
}
WRITE_ERRORS = {
    "400": _json(_ref("Error"), "`Idempotency-Key` sai dạng"),
    "409": _json(
        _ref("Error"),
        "Yêu cầu cùng `Idempotency-Key` đã được nhận và chưa có trả lời (đang xử lý)",
    ),
    "422": _json(
        _ref("Error"), "`Idempotency-Key` đã dùng cho một yêu cầu khác (đường dẫn hoặc nội dung)"
    ),
    "503": _json(
        _ref("Error"),
        "Cơ sở dữ liệu đang bận hoặc mất kết nối; thử lại sau số giây ở tiêu đề `Retry-After` "
        "(cùng `Idempotency-Key`: không bị ghi hai lần)",
    ),
}


def _write(operation: dict) -> dict:
    """A write operation: the Idempotency-Key header and its answers (an answer the operation
    has already, 400 or 409, gets the key's meaning added)."""
    responses = dict(operation["responses"])
    for status, answer in WRITE_ERRORS.items():
        if status in responses:
            own, added = responses[status], answer["description"]
            described = f"{own['description']}; hoặc {added[0].lower()}{added[1:]}"
            responses[status] = {**own, "description": described}
        else:
            responses[status] = answer
    parameters = [*operation.get("parameters", []), IDEMPOTENCY_KEY]
    return {**operation, "parameters": parameters, "responses": responses}


@cache
def component_schemas() -> dict[str, Any]:
    """JSON Schema of every request (validation) and response (serialization) model."""
    pairs = [(model, "validation") for model in schemas.REQUESTS]
    pairs += [(model, "serialization") for model in schemas.RESPONSES]
    _, top = models_json_schema(pairs, ref_template="#/components/schemas/{model}")
    return top["$defs"]


LIST_PARAMETERS = [
    _query("department", {"type": "integer"}, "Đơn vị chủ trì"),
    _query("issuer", {"type": "integer"}, "Cơ quan ban hành"),
    _query("kind", {"type": "string"}, "Loại văn bản"),
    _query(
        "category",
        {
            "type": "string",
            "enum": [
                "late",
                "pending",
                "open",
                "done",
                "done_on_time",
                "done_late",
                "cancelled",
                "handed_over",
            ],
        },
        "Phân loại tính đến hôm nay",
    ),
    _query("deadline_from", DATE, "Thời hạn từ"),
    _query("deadline_to", DATE, "Thời hạn đến"),
    _query("issued_from", DATE, "Ban hành từ"),
    _query("issued_to", DATE, "Ban hành đến"),
    _query("q", {"type": "string"}, "Tìm kiếm, không phân biệt dấu và hoa thường"),
    _query(
        "sort",
        {"type": "string", "enum": ["deadline", "days_late", "issued", "department"]},
        "Sắp xếp",
    ),
    _query("page", {"type": "integer", "minimum": 1}, "Trang"),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 200}, "Số dòng mỗi trang"),
]


def _step(summary: str, body: str) -> dict:
    """A workflow step on a task that answers with the task as it is afterwards."""
    return {
        "summary": summary,
        "requestBody": _body(body),
        "responses": {"200": _json(_ref("Task"), "Nhiệm vụ sau bước này"), **STEP_ERRORS},
    }


# What each endpoint of the blueprint means, by its name; its path comes from its route.
OPERATIONS: dict[str, dict] = {
    "list_tasks": {
        "summary": "Danh sách nhiệm vụ (cùng bộ lọc như trang web)",
        "parameters": LIST_PARAMETERS,
        "responses": _answers("200", "TaskList", "Một trang nhiệm vụ", "400", "401"),
    },
    "get_task": {
        "summary": "Một nhiệm vụ với lịch sử, báo cáo tiến độ và gia hạn",
        "parameters": [
            _query("history_before", {"type": "integer"}, "Trang lịch sử cũ hơn"),
            _query("progress_before", {"type": "integer"}, "Trang báo cáo cũ hơn"),
        ],
        "responses": _answers("200", "TaskDetail", "Nhiệm vụ", "401", "403", "404"),
    },
    "post_progress": {
        "summary": "Gửi báo cáo tiến độ (đơn vị chủ trì hoặc phối hợp)",
        "requestBody": _body("NewProgress"),
        "responses": {"201": _json(_ref("ProgressReport"), "Đã ghi"), **STEP_ERRORS},
    },
    "post_completion_request": _step(
        "Đề nghị Văn phòng xác nhận hoàn thành (trưởng đơn vị chủ trì)", "CompletionRequest"
    ),
    "post_confirmation": _step("Xác nhận hoàn thành (Văn phòng)", "Confirmation"),
    "post_send_back": _step("Trả lại đơn vị một đề nghị hoàn thành (Văn phòng)", "Reason"),
    "post_cancellation": _step("Hủy nhiệm vụ, ghi lý do (Văn phòng)", "Reason"),
    "post_extension": {
        "summary": "Đề nghị gia hạn (trưởng đơn vị chủ trì)",
        "requestBody": _body("NewExtension"),
        "responses": {"201": _json(_ref("Extension"), "Đã gửi"), **STEP_ERRORS},
    },
    "post_decision": {
        "summary": "Phê duyệt hoặc từ chối một đề nghị gia hạn (Văn phòng)",
        "requestBody": _body("Decision"),
        "responses": {"200": _json(_ref("Extension"), "Đã xử lý"), **STEP_ERRORS},
    },
    "create_document": {
        "summary": "Tạo văn bản cùng các nhiệm vụ (Văn phòng)",
        "requestBody": _body("NewDocument"),
        "responses": {
            "201": _json(_ref("CreatedDocument"), "Đã tạo"),
            "409": _json(_ref("Error"), "Trùng số văn bản"),
            **{k: ERRORS[k] for k in ("400", "401", "403")},
        },
    },
    "receive_edxml": {
        "summary": "Nhận một gói tin edXML (QCVN 102:2016) vào danh sách văn bản đến chờ "
        "xử lý (Văn phòng); gói tin đã nhận trước đây không tạo mục mới",
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string"}}},
        },
        "responses": {
            "201": _json(RECEIVED, "Đã nhận, mục mới"),
            "200": _json(RECEIVED, "Đã nhận trước đây"),
            "413": _json(_ref("Error"), "Gói tin quá lớn"),
            "422": _json(_ref("Error"), "Gói tin bị từ chối; `message` nêu phần tử"),
            **{k: ERRORS[k] for k in ("400", "401", "403")},
        },
    },
    "stats": {
        "summary": "Thống kê kết quả thực hiện nhiệm vụ theo đơn vị của một kỳ "
        "(nhiệm vụ của các văn bản ban hành trong kỳ; đơn vị chỉ thấy dòng của mình "
        "và dòng tổng)",
        "parameters": [
            {**_query("from", DATE, "Đầu kỳ (ngày ban hành)"), "required": True},
            {**_query("to", DATE, "Cuối kỳ (ngày ban hành)"), "required": True},
            _query("as_of", DATE, "Tính số liệu đến ngày (mặc định: cuối kỳ)"),
            _query("issuer", {"type": "integer"}, "Cơ quan ban hành"),
        ],
        "responses": _answers("200", "Statistics", "Bảng thống kê", "400", "401"),
    },
    "trend": {
        "summary": "Số nội dung chậm và chưa tham mưu giải quyết tại mỗi cuối tháng",
        "parameters": [
            _query("to", DATE, "Tháng cuối (mặc định: hôm nay)"),
            _query("months", {"type": "integer", "minimum": 1, "maximum": 36}, "Số tháng"),
        ],
        "responses": _answers("200", "Trend", "Xu hướng theo tháng", "400", "401"),
    },
    "list_series": {
        "summary": "Nhiệm vụ định kỳ, các kỳ đã tạo và các kỳ tới",
        "responses": _answers("200", "SeriesList", "Danh sách", "401"),
    },
    "post_series": {
        "summary": "Tạo nhiệm vụ định kỳ của một văn bản (Văn phòng); kỳ đến hạn được tạo ngay",
        "requestBody": _body("NewSeries"),
        "responses": _answers("201", "Series", "Đã tạo", "400", "401", "403"),
    },
    "summary": {
        "summary": "Phần báo cáo: nội dung chậm, chưa tham mưu giải quyết",
        "parameters": [
            _query("as_of", DATE, "Tính đến ngày (mặc định hôm nay)"),
            _query("issuer", {"type": "integer"}, "Cơ quan ban hành"),
        ],
        "responses": _answers("200", "Summary", "Số liệu và nội dung", "400", "401"),
    },
    **KEY_TASK_OPERATIONS,
}
# The operations' groups, by the module of their route, in the order the reference shows them.
TAGS = {
    "tasks": {"name": "Nhiệm vụ", "description": "Danh sách, chi tiết và các bước xử lý"},
    "documents": {"name": "Văn bản", "description": "Tạo văn bản cùng các nhiệm vụ"},
    "edxml": {"name": "Văn bản đến", "description": "Gói tin edXML từ hệ thống quản lý văn bản"},
    "series": {"name": "Nhiệm vụ định kỳ", "description": "Nhiệm vụ lặp lại theo kỳ"},
    "reports": {"name": "Báo cáo, thống kê", "description": "Số liệu như các trang báo cáo"},
    "keytasks": {
        "name": "Nhiệm vụ trọng tâm, đánh giá",
        "description": "Nhóm nhiệm vụ trọng tâm, đánh giá nhóm và đánh giá đơn vị theo kỳ",
    },
}
# The blueprint's endpoints that are not operations of the API: the document itself.
UNDOCUMENTED = {"openapi"}
# A variable in a Flask rule, "<int:task_id>": its converter (if any) and its name.
VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
CONVERTER_SCHEMAS = {"int": {"type": "integer"}, "float": {"type": "number"}}


def _path_parameter(converter: str, name: str) -> dict:
    schema = CONVERTER_SCHEMAS.get(converter, {"type": "string"})
    return {"name": name, "in": "path", "required": True, "schema": schema}


def route_paths() -> dict[str, dict]:
    """The document's paths: every route of the blueprint with its endpoint's operation."""
    paths: dict[str, dict] = {}
    described = set(UNDOCUMENTED)
    for rule in current_app.url_map.iter_rules():
        blueprint, _, name = rule.endpoint.partition(".")
        if blueprint != bp.name or name in UNDOCUMENTED:
            continue
        if name not in OPERATIONS:
            raise LookupError(f"{rule.rule}: no entry for {name!r} in OPERATIONS")
        described.add(name)
        operation = dict(OPERATIONS[name])
        module = current_app.view_functions[rule.endpoint].__module__.rpartition(".")[2]
        operation["tags"] = [TAGS[module]["name"]]
        parameters = [_path_parameter(*v) for v in VARIABLE.findall(rule.rule)]
        parameters += operation.get("parameters", [])
        if parameters:
            operation["parameters"] = parameters
        path = VARIABLE.sub(r"{\2}", rule.rule.removeprefix(bp.url_prefix))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = (
                _write(operation) if method in WRITES else operation
            )
    if stale := set(OPERATIONS) - described:
        raise LookupError(f"OPERATIONS describes endpoints with no route: {sorted(stale)}")
    return paths


def openapi_spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Theo dõi văn bản chỉ đạo — API",
            "version": "1.0.0",
            "description": "Cùng quy tắc phân quyền như giao diện web. Xác thực bằng token "
            "cá nhân tạo ở trang Tài khoản: `Authorization: Bearer <token>`. Token không cần "
            "xác thực hai bước (mã chỉ được hỏi khi đăng nhập trên web); thu hồi ở trang "
            "Tài khoản.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": list(TAGS.values()),
        "paths": route_paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": component_schemas(),
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_spec())
