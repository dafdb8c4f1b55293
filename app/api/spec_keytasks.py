"""What the key task groups' endpoints mean, for the OpenAPI description (``spec.py``)."""

from __future__ import annotations

from app.api.spec_parts import DATE, _answers, _body, _query

AS_OF = _query("as_of", DATE, "Tính đến ngày (mặc định hôm nay)")
KEY_TASK_OPERATIONS: dict[str, dict] = {
    "list_key_task_groups": {
        "summary": "Nhóm nhiệm vụ trọng tâm (đơn vị: các nhóm có nhiệm vụ của mình), số liệu "
        "và đánh giá tính đến ngày",
        "parameters": [AS_OF, _query("year", {"type": "integer"}, "Nhóm của năm này")],
        "responses": _answers("200", "KeyTaskGroupList", "Danh sách", "400", "401"),
    },
    "get_key_task_group": {
        "summary": "Một nhóm: nhiệm vụ, số liệu, đề xuất và lịch sử đánh giá",
        "parameters": [AS_OF],
        "responses": _answers("200", "KeyTaskGroupDetail", "Nhóm", "400", "401", "403", "404"),
    },
    "post_key_task_group": {
        "summary": "Tạo nhóm nhiệm vụ trọng tâm (Văn phòng)",
        "requestBody": _body("NewKeyTaskGroup"),
        "responses": _answers("201", "KeyTaskGroupDetail", "Đã tạo", "400", "401", "403"),
    },
    "put_key_task_group": {
        "summary": "Sửa một nhóm: thay toàn bộ thông tin và danh sách nhiệm vụ (Văn phòng)",
        "requestBody": _body("NewKeyTaskGroup"),
        "responses": _answers(
            "200", "KeyTaskGroupDetail", "Nhóm sau khi sửa", "400", "401", "403", "404"
        ),
    },
    "post_group_evaluation": {
        "summary": "Ghi hoặc đánh giá lại một nhóm (Văn phòng); đánh giá lại cần lý do",
        "requestBody": _body("NewEvaluation"),
        "responses": _answers("201", "KeyTaskGroupDetail", "Đã ghi", "400", "401", "403", "404"),
    },
    "key_task_section": {
        "summary": "Mục công tác triển khai thực hiện nhiệm vụ trọng tâm của báo cáo "
        "(Văn phòng, lãnh đạo)",
        "parameters": [
            AS_OF,
            _query("year", {"type": "integer"}, "Năm (hoặc from và to)"),
            _query("from", DATE, "Đầu kỳ"),
            _query("to", DATE, "Cuối kỳ"),
        ],
        "responses": _answers("200", "KeyTaskSection", "Mục báo cáo", "400", "401", "403"),
    },
    "get_unit_evaluation": {
        "summary": "Đề xuất và đánh giá một đơn vị trong một kỳ (đơn vị: chỉ của mình)",
        "parameters": [
            {**_query("department", {"type": "integer"}, "Đơn vị"), "required": True},
            {**_query("from", DATE, "Đầu kỳ"), "required": True},
            {**_query("to", DATE, "Cuối kỳ"), "required": True},
            _query("as_of", DATE, "Tính đến ngày (mặc định: cuối kỳ hoặc hôm nay)"),
        ],
        "responses": _answers("200", "UnitEvaluation", "Đánh giá", "400", "401", "403", "404"),
    },
    "post_unit_evaluation": {
        "summary": "Ghi hoặc đánh giá lại một đơn vị trong một kỳ (Văn phòng)",
        "requestBody": _body("NewUnitEvaluation"),
        "responses": _answers("201", "UnitEvaluation", "Đã ghi", "400", "401", "403"),
    },
}
