"""The demo's texts, and the Demo that writes its documents, task contents, progress reports
and extensions."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar
from app.models import Department, Document, Extension, Issuer, ProgressReport, User
from app.models.documents import TaskState
from app.models.history import ExtensionStatus
from app.tasks.changes import change_deadline, change_state

PLACES = [
    "phường Vĩnh Trại",
    "phường Đông Kinh",
    "phường Chi Lăng",
    "phường Hoàng Văn Thụ",
    "phường Tam Thanh",
    "xã Mai Pha",
    "xã Hoàng Đồng",
    "xã Quảng Lạc",
]
CONTENT = {
    "tnmt": [
        "Rà soát, tham mưu giải quyết kiến nghị của hộ gia đình về cấp Giấy chứng nhận quyền sử dụng đất tại {place}",
        "Tham mưu xử lý dứt điểm tình trạng lấn chiếm đất công tại {place}",
        "Đẩy nhanh tiến độ cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân tại {place}",
        "Kiểm tra, xử lý các trường hợp san gạt, đổ thải trái phép tại {place}",
        "Rà soát hiện trạng sử dụng các cơ sở nhà, đất dôi dư sau sắp xếp tại {place}",
        "Tham mưu thu hồi đất, giao đất tái định cư cho các hộ ảnh hưởng dự án tại {place}",
        "Xử lý ô nhiễm môi trường do nước thải chăn nuôi tại {place}",
        "Báo cáo kết quả kiểm tra việc khai thác đất, cát trái phép tại {place}",
        "Tham mưu điều chỉnh kế hoạch sử dụng đất năm 2025 đối với các dự án tại {place}",
        "Rà soát hồ sơ đăng ký biến động đất đai còn tồn đọng tại {place}",
    ],
    "vhtt": [
        "Tham mưu tổ chức các hoạt động tuyên truyền kỷ niệm các ngày lễ lớn tại {place}",
        "Kiểm tra hoạt động kinh doanh dịch vụ karaoke, internet tại {place}",
        "Xây dựng kế hoạch chuyển đổi số năm 2025 của thành phố",
        "Tham mưu tháo dỡ biển quảng cáo không phép tại {place}",
    ],
    "ttvhtt": [
        "Chuẩn bị các điều kiện tổ chức Hội chợ Hoa Đào Quảng Lạc lần thứ VIII năm 2025",
        "Tổ chức chương trình nghệ thuật tại sân khấu Phố đi bộ Kỳ Lừa",
    ],
    "ldtbxh": [
        "Rà soát, đề xuất hỗ trợ hộ nghèo, hộ cận nghèo có hoàn cảnh khó khăn tại {place}",
        "Tham mưu tổ chức thăm hỏi, tặng quà người có công dịp Tết Nguyên đán",
    ],
    "ttptqd": [
        "Hoàn thiện hồ sơ bồi thường, hỗ trợ giải phóng mặt bằng Khu tái định cư tại {place}",
        "Tham mưu phương án đấu giá quyền sử dụng đất các lô đất tại {place}",
    ],
    "qldt": [
        "Kiểm tra, xử lý công trình xây dựng sai phép tại {place}",
        "Tham mưu chỉnh trang vỉa hè, hệ thống chiếu sáng tuyến đường tại {place}",
        "Xử lý tình trạng lấn chiếm lòng đường, vỉa hè làm nơi kinh doanh tại {place}",
    ],
    "tckh": [
        "Tham mưu phân bổ vốn đầu tư công năm 2025 cho các công trình tại {place}",
        "Rà soát, đề xuất điều chỉnh dự toán ngân sách các đơn vị",
    ],
    "kt": [
        "Triển khai các giải pháp phòng chống dịch bệnh trên đàn gia súc tại {place}",
        "Kiểm tra công tác bảo đảm an toàn thực phẩm tại {place}",
    ],
    "nv": ["Tham mưu sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn"],
    "gddt": ["Kiểm tra cơ sở vật chất các điểm trường tại {place}"],
    "yt": ["Kiểm tra các cơ sở hành nghề y dược tư nhân tại {place}"],
    "tp": ["Rà soát văn bản quy phạm pháp luật do HĐND, UBND thành phố ban hành"],
    "ttr": ["Tham mưu giải quyết đơn khiếu nại của công dân tại {place}"],
    "bqlda": ["Đẩy nhanh tiến độ thi công công trình cải tạo, mở rộng đường tại {place}"],
}
SUMMARIES = {
    "UBND tỉnh": [
        "Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với thành phố Lạng Sơn",
        "Về việc tăng cường công tác quản lý đất đai, trật tự xây dựng trên địa bàn",
    ],
    "Tỉnh ủy": [
        "Thông báo kết luận của Thường trực Tỉnh ủy về tình hình kinh tế - xã hội thành phố"
    ],
    "Thành ủy": [
        "Chỉ thị của Ban Thường vụ Thành ủy về triển khai nhiệm vụ trọng tâm cuối năm",
        "Thông báo kết luận của đồng chí Bí thư Thành ủy tại buổi kiểm tra tiến độ các dự án",
    ],
    "UBND thành phố": [
        "Thông báo kết luận của Chủ tịch UBND thành phố tại buổi làm việc với {dept}",
        "Thông báo kết luận phiên họp thường kỳ của UBND thành phố",
    ],
}
PROGRESS_TEXTS = [
    "Đã tổ chức kiểm tra hiện trường, đang hoàn thiện báo cáo.",
    "Đã làm việc với UBND phường, xã và các hộ liên quan; dự kiến trình trong tuần tới.",
    "Đang tổng hợp hồ sơ, xin ý kiến các đơn vị phối hợp.",
    "Đã có dự thảo văn bản, đang chờ ý kiến lãnh đạo phòng.",
]


@dataclass
class Demo:
    session: Session
    calendar: WorkCalendar
    rng: random.Random
    departments: dict[str, Department]
    issuers: list[Issuer]
    users: dict[str, User]
    counters: dict[str, int]

    def content(self, code: str) -> str:
        templates = CONTENT[code]
        index = self.counters.get(code, 0)
        self.counters[code] = index + 1
        template = templates[index % len(templates)]
        place = PLACES[(index // len(templates) + index) % len(PLACES)]
        text = template.format(place=place)
        if index >= len(templates) * len(PLACES):
            text += f" (đợt {index // (len(templates) * len(PLACES)) + 1})"
        return text

    def document(
        self, issued_on: dt.date, issuer: Issuer | None = None, lead_code: str = "tnmt"
    ) -> Document:
        issuer = issuer or self.rng.choice(self.issuers)
        n = self.counters.get("doc", 0) + 1
        self.counters["doc"] = n
        number, kind = {
            "UBND tỉnh": (f"{300 + n}/TB-UBND", "Thông báo kết luận"),
            "Tỉnh ủy": (f"{80 + n}-TB/TU", "Thông báo kết luận"),
            "Thành ủy": (f"{20 + n}-CT/TU", "Chỉ thị"),
            "UBND thành phố": (f"{1000 + n}/TB-UBND", "Thông báo kết luận"),
        }[issuer.short_name]
        summary = self.rng.choice(SUMMARIES[issuer.short_name]).format(
            dept=self.departments[lead_code].name
        )
        document = Document(
            number=number,
            kind=kind,
            issuer=issuer,
            issued_on=issued_on,
            summary=summary,
            signer="Chủ tịch UBND thành phố",
        )
        self.session.add(document)
        return document

    def progress(self, task, day: dt.date, text: str | None = None) -> None:
        member = self.users.get(f"{self._code(task.lead_department)}.cv")
        self.session.add(
            ProgressReport(
                task=task,
                department=task.lead_department,
                user=member,
                reported_on=day,
                content=text or self.rng.choice(PROGRESS_TEXTS),
            )
        )
        if task.state == TaskState.OPEN:
            change_state(
                self.session,
                task,
                TaskState.IN_PROGRESS,
                effective_on=day,
                by=member,
                comment="Báo cáo tiến độ",
            )

    def _code(self, department: Department) -> str:
        return next(c for c, d in self.departments.items() if d is department)

    def extension(
        self,
        task,
        requested_on: dt.date,
        new_deadline: dt.date,
        decided_on: dt.date | None,
        approve: bool = True,
    ) -> None:
        office = self.users["vanphong"]
        head = self.users.get(f"{self._code(task.lead_department)}.truong")
        extension = Extension(
            task=task,
            requested_by=head,
            requested_on=requested_on,
            previous_deadline=task.deadline,
            requested_deadline=new_deadline,
            reason="Nội dung phức tạp, cần thêm thời gian phối hợp với các đơn vị liên quan.",
        )
        self.session.add(extension)
        if decided_on is None:
            return
        extension.decided_by, extension.decided_on = office, decided_on
        if approve:
            extension.status = ExtensionStatus.APPROVED
            change_deadline(
                self.session,
                task,
                new_deadline,
                effective_on=decided_on,
                by=office,
                comment="Phê duyệt gia hạn",
            )
        else:
            extension.status = ExtensionStatus.REFUSED
