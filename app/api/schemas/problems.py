"""A validation's first problem in the user's words (Vietnamese), with the field at fault."""

from __future__ import annotations

from pydantic import ValidationError


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in ("json_invalid", "model_type") and not error["loc"]:
        return "Nội dung yêu cầu phải là một đối tượng JSON."
    if kind in ("missing", "string_too_short"):
        return "Trường này là bắt buộc."
    if kind == "string_too_long":
        return f"Dài quá {ctx['max_length']} ký tự."
    if kind == "string_type":
        return "Phải là chuỗi ký tự."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "Phải là số nguyên."
    if kind == "greater_than_equal":
        return f"Phải lớn hơn hoặc bằng {ctx['ge']}."
    if kind == "less_than_equal":
        return f"Phải nhỏ hơn hoặc bằng {ctx['le']}."
    if kind.startswith("date_") and kind != "date_out_of_range":
        shown = f"“{value[:20]}” không phải" if isinstance(value, str) else "Phải là"
        return f"{shown} ngày dạng YYYY-MM-DD."
    if kind == "list_type":
        return "Phải là danh sách."
    if kind == "too_short":
        return "Cần ít nhất một mục."
    if kind == "too_long":
        return f"Nhiều nhất {ctx.get('max_length')} mục."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "Phải là một đối tượng JSON."
    if kind == "bool_type":
        return "Phải là true hoặc false."
    if kind == "literal_error":
        return f"Chỉ nhận: {ctx.get('expected')}."
    if kind == "extra_forbidden":
        return "Trường này không được nhận."
    if kind in ("not_found", "date_out_of_range"):
        return error["msg"]
    return "Giá trị không hợp lệ."


def first_problem(error: ValidationError) -> tuple[str, str | None]:
    """The first problem of a validation as (Vietnamese message, field path or None)."""
    found = error.errors(include_url=False)[0]
    return _message(found), _path(found["loc"]) or None
