"""Rendering reminder e-mails (text and HTML) from templates/reminders/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask import current_app, render_template
from markupsafe import escape

from app.core.settings import load_settings
from app.extensions import db
from app.reminders.kind import Kind
from app.reminders.selection import DIGEST_ROWS, Digest

_LINE_BREAKS = re.compile(r"[\r\n\t]+")


def one_line(text: str, limit: int = 200) -> str:
    """Header-safe: no line breaks (no header injection), bounded length."""
    text = _LINE_BREAKS.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:–-") + "…"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_dates(day: dt.date) -> str:
    """The working week of ``day`` as people write it: "tuần từ 30/11 đến 04/12/2026" (the
    first year too when the week straddles two)."""
    monday = day - dt.timedelta(days=day.weekday())
    friday = monday + dt.timedelta(days=4)
    first = f"{monday:%d/%m}" if monday.year == friday.year else f"{monday:%d/%m/%Y}"
    return f"tuần từ {first} đến {friday:%d/%m/%Y}"


def digest_counts(digest: Digest) -> str:
    """What the digest holds, its counts that are not zero ("3 nội dung chậm")."""
    parts = [
        f"{n} {words}"
        for n, words in ((len(digest.late), "nội dung chậm"), (len(digest.due_soon), "sắp đến hạn"))
        if n
    ]
    return ", ".join(parts) or f"{len(digest.unaddressed)} chưa có báo cáo tiến độ"


def office_signature() -> str:
    """Who the mail comes from, as the admin names the office (Quản trị → Cài đặt)."""
    settings = load_settings(db.session)
    names = [n for n in (settings.office_name, settings.governing_body) if n]
    return " – ".join(names) or "Hệ thống theo dõi văn bản chỉ đạo"


@dataclass
class Mail:
    subject: str
    text: str
    html: str
    task_keys: list[str] = field(default_factory=list)


def _render(name: str, **context) -> tuple[str, str]:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    context.setdefault("base_url", base)
    context.setdefault("office", office_signature())
    return (
        render_template(f"reminders/{name}.txt", **context),
        render_template(f"reminders/{name}.html", **context),
    )


def digest_mail(
    digest: Digest, recipient_name: str, unsubscribe_url: str | None, template: str = "digest"
) -> Mail:
    subject = one_line(
        f"[Nhắc việc] {digest.department.name}: {digest_counts(digest)} "
        f"({week_dates(digest.today)})"
    )
    text, html = _render(
        template, digest=digest, recipient_name=recipient_name, unsubscribe_url=unsubscribe_url,
        shown=DIGEST_ROWS,
    )  # fmt: skip
    return Mail(subject, text, html)


# Stand-ins for the recipient in a digest rendered once for all of a unit's readers.
_NAME, _UNSUBSCRIBE = "\ue000recipient\ue000", "\ue000unsubscribe\ue000"


class DigestMails:
    """One unit's digest, rendered once (twice when some readers have an unsubscribe link and
    some do not) and addressed to each reader: the same mail ``digest_mail`` writes for them,
    at a fraction of the cost for a unit with many readers and a long list."""

    def __init__(self, digest: Digest, template: str = "digest") -> None:
        self.digest = digest
        self.template = template
        self._rendered: dict[bool, Mail] = {}

    def to(self, recipient_name: str, unsubscribe_url: str | None) -> Mail:
        linked = unsubscribe_url is not None
        if linked not in self._rendered:
            self._rendered[linked] = digest_mail(
                self.digest, _NAME, _UNSUBSCRIBE if linked else None, self.template
            )
        mail, url = self._rendered[linked], unsubscribe_url or ""
        text = mail.text.replace(_NAME, recipient_name).replace(_UNSUBSCRIBE, url)
        html = mail.html.replace(_NAME, str(escape(recipient_name)))
        return Mail(mail.subject, text, html.replace(_UNSUBSCRIBE, str(escape(url))))


def task_notice_mail(
    kind: Kind,
    groups,
    today: dt.date,
    recipient_name: str,
    unsubscribe_url: str | None,
    days: int = 0,
    role: str = "department_head",
) -> Mail:
    count = sum(len(tasks) for tasks in groups.values())
    subject = kind.subject.format(n=count, days=days)
    if len(groups) == 1:
        subject += f" – {next(iter(groups)).name}"
    text, html = _render(
        kind.template,
        kind=kind.value,
        intro=kind.intro(role, days),
        groups=groups,
        today=today,
        recipient_name=recipient_name,
        unsubscribe_url=unsubscribe_url,
        days=days,
    )
    return Mail(one_line(subject), text, html)


def summary_mail(
    summary,
    section: str,
    recipient_name: str,
    unsubscribe_url: str | None,
    template: str = "summary",
) -> Mail:
    subject = one_line(
        f"[Tổng hợp] Tình hình thực hiện văn bản chỉ đạo đến ngày {summary.as_of:%d/%m/%Y}"
    )
    text, html = _render(
        template,
        summary=summary,
        section=section,
        recipient_name=recipient_name,
        unsubscribe_url=unsubscribe_url,
    )
    return Mail(subject, text, html)


def requests_mail(items, recipient_name: str, now: dt.datetime, template: str = "requests") -> Mail:
    """New requests waiting for the office, the longest-waiting first."""
    subject = one_line(f"[Chờ xử lý] {len(items)} đề nghị của đơn vị chờ Văn phòng xử lý")
    text, html = _render(template, items=items, recipient_name=recipient_name, now=now)
    return Mail(subject, text, html, [item.key for item in items])


def decisions_mail(department, decisions, recipient_name: str, template: str = "decisions") -> Mail:
    """What the office decided on the department's requests."""
    subject = one_line(
        f"[Kết quả xử lý] Văn phòng đã xử lý {len(decisions)} đề nghị của {department.name}"
    )
    text, html = _render(
        template, department=department, decisions=decisions, recipient_name=recipient_name
    )
    return Mail(subject, text, html, [d.key for d in decisions])
