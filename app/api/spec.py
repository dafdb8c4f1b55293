"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json.

Tests validate every response they get against it, so it stays true.
"""

from __future__ import annotations

from typing import Any

DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "Dữ liệu không hợp lệ; `field` chỉ trường sai"),
    "401": _json(_ref("Error"), "Thiếu token, token sai hoặc đã thu hồi"),
    "403": _json(_ref("Error"), "Không có quyền"),
    "404": _json(_ref("Error"), "Không tìm thấy"),
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "integer"},
                    "message": {"type": "string"},
                    "field": {"type": "string"},
                },
            }
        },
    },
    "DepartmentRef": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "short_name": {"type": "string"},
        },
    },
    "Document": {
        "type": "object",
        "required": ["id", "number", "issuer", "issued_on"],
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string"},
            "kind": {"type": "string"},
            "issuer": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "issued_on": DATE,
            "summary": {"type": "string"},
        },
    },
    "Task": {
        "type": "object",
        "required": [
            "id",
            "content",
            "state",
            "category",
            "document",
            "lead_department",
            "cooperating_departments",
            "deadline_kind",
            "deadline",
            "days_late",
            "version",
            "url",
        ],
        "properties": {
            "id": {"type": "integer"},
            "content": {"type": "string"},
            "state": {
                "type": "string",
                "enum": ["open", "in_progress", "awaiting_confirmation", "done", "cancelled"],
            },
            "category": {
                "type": "string",
                "enum": ["late", "pending", "done_on_time", "done_late", "cancelled"],
                "description": "As of today: late = chậm, pending = chưa",
            },
            "document": _ref("Document"),
            "lead_department": _ref("DepartmentRef"),
            "cooperating_departments": {"type": "array", "items": _ref("DepartmentRef")},
            "deadline_kind": {"type": "string", "enum": ["date", "none", "working_days"]},
            "deadline": NULLABLE_DATE,
            "original_deadline": NULLABLE_DATE,
            "working_days": {"type": "integer", "nullable": True},
            "done_on": NULLABLE_DATE,
            "days_late": {"type": "integer", "minimum": 0},
            "note": {"type": "string"},
            "version": {"type": "integer"},
            "url": {"type": "string"},
        },
    },
    "TaskDetail": {
        "allOf": [
            _ref("Task"),
            {
                "type": "object",
                "required": ["history", "progress_reports", "extensions"],
                "properties": {
                    "history": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "kind", "effective_on", "recorded_at"],
                            "properties": {
                                "id": {"type": "integer"},
                                "kind": {"type": "string"},
                                "title": {"type": "string"},
                                "effective_on": DATE,
                                "recorded_at": {"type": "string", "format": "date-time"},
                                "user": {"type": "string", "nullable": True},
                                "comment": {"type": "string"},
                                "changes": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "field": {"type": "string"},
                                            "before": {"type": "string"},
                                            "after": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                    "progress_reports": {"type": "array", "items": _ref("ProgressReport")},
                    "extensions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "status", "requested_deadline"],
                            "properties": {
                                "id": {"type": "integer"},
                                "requested_on": DATE,
                                "previous_deadline": NULLABLE_DATE,
                                "requested_deadline": DATE,
                                "reason": {"type": "string"},
                                "status": {
                                    "type": "string",
                                    "enum": ["pending", "approved", "refused"],
                                },
                                "decided_on": NULLABLE_DATE,
                            },
                        },
                    },
                },
            },
        ],
    },
    "TaskList": {
        "type": "object",
        "required": ["items", "total", "page", "pages", "per_page"],
        "properties": {
            "items": {"type": "array", "items": _ref("Task")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    },
    "ProgressReport": {
        "type": "object",
        "required": ["id", "task_id", "reported_on", "content"],
        "properties": {
            "id": {"type": "integer"},
            "task_id": {"type": "integer"},
            "reported_on": DATE,
            "department": {"type": "string"},
            "user": {"type": "string", "nullable": True},
            "content": {"type": "string"},
        },
    },
    "NewProgress": {
        "type": "object",
        "required": ["content"],
        "properties": {"content": {"type": "string", "minLength": 1}},
    },
    "NewDocument": {
        "type": "object",
        "required": ["number", "issuer_id", "issued_on", "tasks"],
        "properties": {
            "number": {"type": "string"},
            "kind": {"type": "string"},
            "issuer_id": {"type": "integer"},
            "issued_on": DATE,
            "summary": {"type": "string"},
            "signer": {"type": "string"},
            "tasks": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["content", "lead_department_id"],
                    "properties": {
                        "content": {"type": "string"},
                        "lead_department_id": {"type": "integer"},
                        "cooperating_department_ids": {
                            "type": "array",
                            "items": {"type": "integer"},
                        },
                        "deadline": NULLABLE_DATE,
                        "working_days": {"type": "integer", "minimum": 1, "maximum": 365},
                    },
                },
            },
        },
    },
    "CreatedDocument": {
        "allOf": [
            _ref("Document"),
            {
                "type": "object",
                "required": ["tasks"],
                "properties": {"tasks": {"type": "array", "items": _ref("Task")}},
            },
        ],
    },
    "Summary": {
        "type": "object",
        "required": ["as_of", "late", "pending", "text"],
        "properties": {
            "as_of": DATE,
            "text": {"type": "string"},
            "late": _ref("SummaryPart"),
            "pending": _ref("SummaryPart"),
        },
    },
    "SummaryPart": {
        "type": "object",
        "required": ["total", "departments"],
        "properties": {
            "total": {"type": "integer"},
            "departments": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "count"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "count": {"type": "integer"},
                    },
                },
            },
        },
    },
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


LIST_PARAMETERS = [
    _query("department", {"type": "integer"}, "Đơn vị chủ trì"),
    _query("issuer", {"type": "integer"}, "Cơ quan ban hành"),
    _query("kind", {"type": "string"}, "Loại văn bản"),
    _query(
        "category",
        {
            "type": "string",
            "enum": ["late", "pending", "open", "done", "done_on_time", "done_late", "cancelled"],
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
TASK_ID = {"name": "task_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def openapi_spec() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Theo dõi văn bản chỉ đạo — API",
            "version": "1.0.0",
            "description": "Cùng quy tắc phân quyền như giao diện web. Xác thực bằng token "
            "cá nhân tạo ở trang Tài khoản: `Authorization: Bearer <token>`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/tasks": {
                "get": {
                    "summary": "Danh sách nhiệm vụ (cùng bộ lọc như trang web)",
                    "parameters": LIST_PARAMETERS,
                    "responses": {
                        "200": _json(_ref("TaskList"), "Một trang nhiệm vụ"),
                        **{k: ERRORS[k] for k in ("400", "401")},
                    },
                }
            },
            "/tasks/{task_id}": {
                "get": {
                    "summary": "Một nhiệm vụ với lịch sử, báo cáo tiến độ và gia hạn",
                    "parameters": [TASK_ID],
                    "responses": {
                        "200": _json(_ref("TaskDetail"), "Nhiệm vụ"),
                        **{k: ERRORS[k] for k in ("401", "403", "404")},
                    },
                }
            },
            "/tasks/{task_id}/progress": {
                "post": {
                    "summary": "Gửi báo cáo tiến độ (đơn vị chủ trì hoặc phối hợp)",
                    "parameters": [TASK_ID],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("NewProgress")}},
                    },
                    "responses": {
                        "201": _json(_ref("ProgressReport"), "Đã ghi"),
                        "409": _json(_ref("Error"), "Nhiệm vụ đã kết thúc"),
                        **ERRORS,
                    },
                }
            },
            "/documents": {
                "post": {
                    "summary": "Tạo văn bản cùng các nhiệm vụ (Văn phòng)",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("NewDocument")}},
                    },
                    "responses": {
                        "201": _json(_ref("CreatedDocument"), "Đã tạo"),
                        "409": _json(_ref("Error"), "Trùng số văn bản"),
                        **{k: ERRORS[k] for k in ("400", "401", "403")},
                    },
                }
            },
            "/summary": {
                "get": {
                    "summary": "Phần báo cáo: nội dung chậm, chưa tham mưu giải quyết",
                    "parameters": [
                        _query("as_of", DATE, "Tính đến ngày (mặc định hôm nay)"),
                        _query("issuer", {"type": "integer"}, "Cơ quan ban hành"),
                    ],
                    "responses": {
                        "200": _json(_ref("Summary"), "Số liệu và nội dung"),
                        **{k: ERRORS[k] for k in ("400", "401")},
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
    }
