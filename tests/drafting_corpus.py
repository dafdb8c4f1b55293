"""Documents written after the reader's rules were changed for issue 30, from the kinds of misses
it lists (not from the held-out documents themselves): letters whose heading block, "V/v" line,
"Nơi nhận" and signer are in two-column tables, plans with a table of tasks, directives with
items under a unit heading, notices with several leads in one sentence, documents of the
province and of the Party committee, remarks and attendance lists, deadlines without a year.

Each document is given in parts so that it can be made as text, as a Word file in the real
layout (``word_file``) and as a PDF printed from that Word file. A line of the body written
``| a | b | c |`` is a table row (one Word table for consecutive rows). Each expected task is
(a word of its content, lead unit, cooperating units, deadline or None); ``skipped`` holds a
word of each sentence that must be listed among "Câu chưa thành nhiệm vụ".
"""

from __future__ import annotations

import io

from drafting_cases import BQLDA, GDDT, KT, LDTBXH, NV, QLDT, TCKH, TNMT, TTPTQD, TTVHTT, VHTT, YT

TP = "Phòng Tư pháp thành phố"
TTR = "Thanh tra thành phố"
CITY = ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
SIGNER = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Hoàng Văn Bình"]
TABLE_HEAD = "| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |"

NEW = [
    {
        "name": "n01-cong-van-bo-cuc-bang",
        "left": [*CITY, "Số: 1873/UBND-TNMT", "V/v xử lý tồn tại trong công tác bồi thường"],
        "right": [*MOTTO, "Lạng Sơn, ngày 10 tháng 10 năm 2024"],
        "body": [
            "Kính gửi: Các phòng, ban, đơn vị thuộc UBND thành phố.",
            "Xét báo cáo của Phòng Tài nguyên và Môi trường, UBND thành phố có ý kiến như sau:",
            "1. Giao Phòng Tài nguyên và Môi trường chủ trì, phối hợp với Trung tâm Phát triển "
            "quỹ đất rà soát hồ sơ bồi thường còn tồn đọng, báo cáo UBND thành phố trước ngày "
            "31/10/2024.",
            "2. Giao Phòng Tài chính – Kế hoạch thành phố thẩm định phương án kinh phí bồi "
            "thường, hoàn thành trong tháng 11/2024.",
            "3. Giao Thanh tra thành phố giải quyết dứt điểm đơn thư của các hộ dân trong 15 ngày.",
            "4. Văn phòng HĐND và UBND thành phố theo dõi, đôn đốc, báo cáo kết quả.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {
            "number": "1873/UBND-TNMT",
            "issued_on": "2024-10-10",
            "signer": "Hoàng Văn Bình",
        },
        "tasks": [
            ("hồ sơ bồi thường", TNMT, [TTPTQD], "2024-10-31"),
            ("kinh phí", TCKH, [], "2024-11-30"),
            ("đơn thư", TTR, [], "2024-10-25"),
        ],
        "skipped": ["theo dõi, đôn đốc"],
    },
    {
        "name": "n02-ke-hoach-bang",
        "left": [*CITY, "Số: 265/KH-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 05 tháng 11 năm 2024"],
        "body": [
            "KẾ HOẠCH",
            "Tổ chức các hoạt động mừng Đảng, mừng Xuân năm 2025",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Tổ chức các hoạt động trang trọng, thiết thực, tiết kiệm.",
            "II. PHÂN CÔNG NHIỆM VỤ",
            TABLE_HEAD,
            "| 1 | Xây dựng chương trình văn nghệ chào mừng | Trung tâm Văn hóa - Thể thao "
            "thành phố | Phòng Văn hóa – Thông tin thành phố | Tháng 12/2024 |",
            "| 2 | Trang trí cờ, hoa, băng rôn trên các tuyến phố chính | Phòng Quản lý đô thị "
            "thành phố; Phòng Văn hóa – Thông tin thành phố | | 20/01/2025 |",
            "| 3 | Thăm hỏi, tặng quà gia đình chính sách | Phòng Lao động – Thương binh và Xã "
            "hội thành phố | Phòng Tài chính – Kế hoạch thành phố | Quý I/2025 |",
            "| 4 | Bảo đảm an ninh trật tự trong dịp Tết | Công an thành phố | Phòng Y tế thành "
            "phố | Thường xuyên |",
            "| 5 | Kiểm tra an toàn thực phẩm tại các chợ | Phòng Kinh tế thành phố | Phòng Y tế "
            "thành phố | Trước ngày 25/01/2025 |",
            "III. TỔ CHỨC THỰC HIỆN",
            "Các đơn vị căn cứ nhiệm vụ được giao triển khai thực hiện.",
        ],
        "recipients": ["Nơi nhận:", "- Các phòng, ban;", "- Lưu: VT."],
        "signer": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn Hùng"],
        "document": {
            "number": "265/KH-UBND",
            "issued_on": "2024-11-05",
            "signer": "Nguyễn Văn Hùng",
        },
        "tasks": [
            ("văn nghệ", TTVHTT, [VHTT], "2024-12-31"),
            ("băng rôn", QLDT, [], "2025-01-20"),
            ("băng rôn", VHTT, [], "2025-01-20"),
            ("gia đình chính sách", LDTBXH, [TCKH], "2025-03-31"),
            ("an toàn thực phẩm", KT, [YT], "2025-01-25"),
        ],
        "skipped": ["an ninh trật tự"],
    },
    {
        "name": "n03-chi-thi-muc-theo-don-vi",
        "left": [*CITY, "Số: 09/CT-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 02 tháng 12 năm 2024"],
        "body": [
            "CHỈ THỊ",
            "Về tăng cường công tác thu ngân sách những tháng cuối năm",
            "Để hoàn thành dự toán thu ngân sách năm 2024, Chủ tịch UBND thành phố yêu cầu:",
            "1. Phòng Tài chính – Kế hoạch thành phố:",
            "a) Tham mưu các giải pháp tăng thu ngân sách, báo cáo trước ngày 20/12.",
            "b) Rà soát các khoản chi chưa cấp thiết, đề xuất cắt giảm trong tháng 12/2024.",
            "2. Phòng Giáo dục và Đào tạo thành phố:",
            "- Chỉ đạo các trường thu đúng, thu đủ các khoản thu theo quy định, hoàn thành "
            "trước ngày 31/12/2024.",
            "- Tổng hợp tình hình các khoản đóng góp của phụ huynh, báo cáo trước ngày 15/01.",
            "3. Phòng Kinh tế thành phố:",
            "a) Kiểm tra việc kê khai thuế của các hộ kinh doanh tại các chợ, xong trong quý "
            "IV/2024.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": ["CHỦ TỊCH", "", "Nguyễn Văn Hùng"],
        "document": {
            "number": "09/CT-UBND",
            "issued_on": "2024-12-02",
            "signer": "Nguyễn Văn Hùng",
        },
        "tasks": [
            ("tăng thu", TCKH, [], "2024-12-20"),
            ("cắt giảm", TCKH, [], "2024-12-31"),
            ("thu đúng", GDDT, [], "2024-12-31"),
            ("phụ huynh", GDDT, [], "2025-01-15"),
            ("kê khai thuế", KT, [], "2024-12-31"),
        ],
        "skipped": [],
    },
    {
        "name": "n04-thong-bao-nhieu-don-vi-chu-tri",
        "left": [*CITY, "Số: 1120/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 18 tháng 11 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận của Chủ tịch UBND thành phố tại hội nghị giao ban tháng 11 năm 2024",
            "Dự hội nghị có lãnh đạo các phòng: Phòng Tư pháp thành phố, Phòng Nội vụ thành "
            "phố, Phòng Y tế thành phố.",
            "Chủ tịch UBND thành phố ghi nhận, đánh giá cao Phòng Nội vụ thành phố đã hoàn "
            "thành tốt công tác thi đua, khen thưởng.",
            "Trong thời gian tới, Chủ tịch UBND thành phố yêu cầu:",
            "1. Trung tâm Phát triển quỹ đất, Phòng TN&MT khẩn trương hoàn thiện hồ sơ thu hồi "
            "đất dự án Khu đô thị Phú Lộc, trước ngày 15/12/2024.",
            "2. Phòng Kinh tế thành phố và Phòng Y tế thành phố chủ trì kiểm tra cơ sở sản xuất "
            "thực phẩm, trong quý IV/2024.",
            "3. Phòng Quản lý đô thị thành phố chủ trì, phối hợp với Ban Quản lý dự án đầu tư "
            "xây dựng thành phố kiểm tra chất lượng các tuyến đường mới, hoàn thành ngay trong "
            "tuần.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {
            "number": "1120/TB-UBND",
            "issued_on": "2024-11-18",
            "signer": "Hoàng Văn Bình",
        },
        "tasks": [
            ("thu hồi đất", TTPTQD, [], "2024-12-15"),
            ("thu hồi đất", TNMT, [], "2024-12-15"),
            ("thực phẩm", KT, [], "2024-12-31"),
            ("thực phẩm", YT, [], "2024-12-31"),
            ("tuyến đường mới", QLDT, [BQLDA], "2024-11-22"),
        ],
        "skipped": ["Dự hội nghị", "đánh giá cao"],
    },
    {
        "name": "n05-thanh-uy-doi-tuong",
        "left": ["THÀNH ỦY LẠNG SƠN", "*", "Số: 412-TB/TU"],
        "right": ["ĐẢNG CỘNG SẢN VIỆT NAM", "Lạng Sơn, ngày 25 tháng 11 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận của Ban Thường vụ Thành ủy về tiến độ các dự án đầu tư công",
            "1. Giao UBND thành phố chỉ đạo Ban Quản lý dự án đầu tư xây dựng thành phố đẩy "
            "nhanh tiến độ giải ngân vốn đầu tư công năm 2024.",
            "2. Giao Chủ tịch UBND phường Chi Lăng phối hợp với Phòng Quản lý đô thị thành phố "
            "xử lý lấn chiếm vỉa hè.",
            "3. Đề nghị Ban Thường vụ Thành ủy chỉ đạo Phòng Kinh tế thành phố xây dựng đề án "
            "phát triển kinh tế cửa khẩu.",
            "4. Giao Phòng Nội vụ thành phố tham mưu sắp xếp tổ chức bộ máy, hoàn thành trước "
            "ngày 20/12/2024.",
        ],
        "recipients": ["Nơi nhận:", "- Các đồng chí Thành ủy viên;", "- Lưu Văn phòng Thành ủy."],
        "signer": ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Trần Thanh Hải"],
        "document": {"number": "412-TB/TU", "issued_on": "2024-11-25", "signer": "Trần Thanh Hải"},
        "tasks": [("bộ máy", NV, [], "2024-12-20")],
        "skipped": ["giải ngân", "vỉa hè", "cửa khẩu"],
    },
    {
        "name": "n06-thoi-han",
        "left": [*CITY, "Số: 1302/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 10 tháng 12 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận về công tác chuẩn bị kết thúc năm 2024",
            "1. Giao Phòng Nội vụ thành phố tổng hợp kết quả bình xét thi đua năm 2024 trước "
            "ngày 20/01.",
            "2. Giao Phòng Tư pháp thành phố rà soát văn bản quy phạm pháp luật trước 31/01/2025.",
            "3. Giao Phòng Giáo dục và Đào tạo thành phố hoàn thành sửa chữa phòng học, thời "
            "hạn hoàn thành: ngày 30/6/2025.",
            "4. Giao Phòng Y tế thành phố tổ chức chiến dịch tiêm chủng từ ngày 16/12/2024 đến "
            "ngày 27/12/2024.",
            "5. Giao Phòng Kinh tế thành phố xây dựng kế hoạch phát triển nông nghiệp 6 tháng "
            "đầu năm 2025.",
            "6. Giao Phòng Tài nguyên và Môi trường tổng hợp số liệu kiểm kê đất đai. Chậm nhất "
            "ngày 25/12/2024, gửi báo cáo về UBND thành phố.",
            "7. Giao Phòng Tài chính – Kế hoạch thành phố phân bổ kinh phí trong 10 ngày kể từ "
            "ngày nhận được dự toán.",
            "8. Giao Phòng Lao động – Thương binh và Xã hội thành phố chi trả trợ cấp cho các "
            "đối tượng bảo trợ xã hội. Thời gian thực hiện: Quý I/2025.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {
            "number": "1302/TB-UBND",
            "issued_on": "2024-12-10",
            "signer": "Hoàng Văn Bình",
        },
        "tasks": [
            ("thi đua", NV, [], "2025-01-20"),
            ("quy phạm", TP, [], "2025-01-31"),
            ("phòng học", GDDT, [], "2025-06-30"),
            ("tiêm chủng", YT, [], "2024-12-27"),
            ("nông nghiệp", KT, [], "2025-06-30"),
            ("kiểm kê", TNMT, [], "2024-12-25"),
            ("phân bổ kinh phí", TCKH, [], None),
            ("trợ cấp", LDTBXH, [], "2025-03-31"),
        ],
        "skipped": [],
    },
    {
        "name": "n07-ten-goi-khac",
        "left": [*CITY, "Số: 1355/UBND-VP", "V/v chuẩn bị Lễ hội mùa xuân năm 2025"],
        "right": [*MOTTO, "Lạng Sơn, ngày 16 tháng 12 năm 2024"],
        "body": [
            "Kính gửi: Các cơ quan, đơn vị liên quan.",
            "Lễ hội do Trung tâm Văn hóa - Thể thao thành phố (TTVH) làm đầu mối tổ chức; "
            "Phòng Lao động - Thương binh và Xã hội (sau đây gọi tắt là Phòng Lao động) là "
            "thành viên Ban Tổ chức. UBND thành phố yêu cầu các đơn vị:",
            "1. Phòng Văn hóa và Thông tin xây dựng nội dung tuyên truyền Lễ hội trước ngày "
            "05/01/2025.",
            "2. Ban QLDA ĐTXD thành phố sửa chữa sân khấu, khán đài trước ngày 10/01/2025.",
            "3. Trung tâm PTQĐ bàn giao mặt bằng khu vực tổ chức trước ngày 31/12/2024.",
            "4. Phòng Lao động tổ chức thăm hỏi nghệ nhân cao tuổi trong tháng 01/2025.",
            "5. TTVH xây dựng kịch bản chương trình khai mạc trước ngày 08/01/2025.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {
            "number": "1355/UBND-VP",
            "issued_on": "2024-12-16",
            "signer": "Hoàng Văn Bình",
        },
        "tasks": [
            ("tuyên truyền", VHTT, [], "2025-01-05"),
            ("sân khấu", BQLDA, [], "2025-01-10"),
            ("mặt bằng", TTPTQD, [], "2024-12-31"),
            ("nghệ nhân", LDTBXH, [], "2025-01-31"),
            ("kịch bản", TTVHTT, [], "2025-01-08"),
        ],
        "skipped": ["đầu mối", "Ban Tổ chức"],
    },
    {
        "name": "n08-van-ban-tinh",
        "left": [
            "ỦY BAN NHÂN DÂN",
            "TỈNH LẠNG SƠN",
            "Số: 1544/UBND-KT",
            "V/v triển khai chương trình nhà ở xã hội",
        ],
        "right": [*MOTTO, "Lạng Sơn, ngày 20 tháng 11 năm 2024"],
        "body": [
            "Kính gửi: Các sở, ngành; UBND thành phố Lạng Sơn.",
            "1. Sở Xây dựng chủ trì, phối hợp với Phòng Quản lý đô thị thành phố rà soát quỹ "
            "đất phát triển nhà ở xã hội, báo cáo trước ngày 15/12/2024.",
            "2. Công an tỉnh phối hợp với Phòng Tư pháp thành phố kiểm tra hồ sơ cư trú của "
            "người mua nhà.",
            "3. Giao Phòng Quản lý đô thị thành phố lập danh mục dự án nhà ở xã hội trên địa "
            "bàn thành phố, hoàn thành trong tháng 12/2024.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT, KT."],
        "signer": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Lương Trọng Quỳnh"],
        "document": {
            "number": "1544/UBND-KT",
            "issued_on": "2024-11-20",
            "signer": "Lương Trọng Quỳnh",
        },
        "tasks": [("danh mục dự án", QLDT, [], "2024-12-31")],
        "skipped": ["Sở Xây dựng", "cư trú"],
    },
    {
        "name": "n09-ke-hoach-bang-hai-chu-tri",
        "left": [*CITY, "Số: 290/KH-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 28 tháng 11 năm 2024"],
        "body": [
            "KẾ HOẠCH",
            "Chuyển đổi số trong các cơ quan hành chính năm 2025",
            "Phân công thực hiện như sau:",
            "| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |",
            "| 1 | Số hóa hồ sơ thủ tục hành chính | Phòng Nội vụ thành phố và Phòng Tư pháp "
            "thành phố | Phòng Văn hóa – Thông tin thành phố | Quý II/2025 |",
            "| 2 | Nâng cấp hạ tầng mạng nội bộ | Phòng Văn hóa – Thông tin thành phố | Phòng "
            "Tài chính – Kế hoạch thành phố | Tháng 3/2025 |",
            "| 3 | Bố trí kinh phí thực hiện | Phòng Tài chính – Kế hoạch thành phố | | Trước "
            "ngày 31/12/2024 |",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {
            "number": "290/KH-UBND",
            "issued_on": "2024-11-28",
            "signer": "Hoàng Văn Bình",
        },
        "tasks": [
            ("số hóa", NV, [VHTT], "2025-06-30"),
            ("số hóa", TP, [VHTT], "2025-06-30"),
            ("hạ tầng mạng", VHTT, [TCKH], "2025-03-31"),
            ("bố trí kinh phí", TCKH, [], "2024-12-31"),
        ],
        "skipped": [],
    },
    {
        "name": "n10-dinh-ky",
        "left": [*CITY, "Số: 58/CT-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 06 tháng 01 năm 2025"],
        "body": [
            "CHỈ THỊ",
            "Về tăng cường công tác phòng, chống dịch bệnh trên đàn gia súc",
            "1. Giao Phòng Kinh tế thành phố chủ trì theo dõi diễn biến dịch bệnh, báo cáo UBND "
            "thành phố định kỳ trước ngày 20 hằng tháng.",
            "2. Phòng Tài chính – Kế hoạch thành phố, Phòng Kinh tế thành phố tham mưu bố trí "
            "kinh phí mua vắc xin trong 15 ngày làm việc kể từ ngày ký.",
            "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố phối hợp với Phòng Văn hóa – "
            "Thông tin thành phố tuyên truyền cho nhân dân.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {"number": "58/CT-UBND", "issued_on": "2025-01-06", "signer": "Hoàng Văn Bình"},
        "tasks": [
            ("diễn biến dịch bệnh", KT, [], None),
            ("vắc xin", TCKH, [], "2025-02-03"),  # Tết: 25/01–02/02 off
            ("vắc xin", KT, [], "2025-02-03"),
        ],
        "skipped": ["tuyên truyền cho nhân dân"],
    },
]


def text_of(case) -> str:
    """The document as the text a clerk would paste: the heading's two columns one after the
    other, the body, "Nơi nhận" and the signer."""
    return "\n".join(
        case["left"] + case["right"] + case["body"] + case["recipients"] + case["signer"]
    )


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def word_file(case) -> bytes:
    """The document laid out as offices do: the heading block in a two-column table (the "V/v"
    line under the number), the body, tables of tasks, then "Nơi nhận" and the signer side by
    side in a table without borders."""
    from docx import Document as WordDocument

    document = WordDocument()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(case["left"])
    table.cell(0, 1).text = "\n".join(case["right"])
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        grid.style = "Table Grid"
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells[: len(rows[0])]):
                grid.cell(r, c).text = value
        rows.clear()

    for line in case["body"]:
        if line.startswith("|"):
            rows.append(_cells(line))
            continue
        flush()
        document.add_paragraph(line)
    flush()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(case["recipients"])
    table.cell(0, 1).text = "\n".join(case["signer"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def scan_of(pdf: bytes, dpi: int = 200) -> bytes:
    """The PDF as a scan: its pages rendered to grey images (poppler's pdftoppm) and put back
    in a PDF of images only, with no text layer."""
    import re
    import subprocess
    import tempfile
    import zlib
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "in.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", f"{folder}/in.pdf", f"{folder}/p"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        images = [p.read_bytes() for p in sorted(Path(folder).glob("p-*.pgm"))]
    objects: list[bytes] = []
    kids = []
    for image in images:
        match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", image)
        width, height = int(match.group(1)), int(match.group(2))
        pixels = zlib.compress(image[match.end() :])
        points = (width * 72 // dpi, height * 72 // dpi)
        n = len(objects) + 3  # 1: catalog, 2: pages
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (width, height, len(pixels), pixels)
        )
        draw = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % points
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (*points, n + 1, n)
        )
        kids.append(b"%d 0 R" % (n + 2))
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids)),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(head + objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1, xref)  # fmt: skip
    return bytes(out)


# Written after the rules of issue 30 were settled and read once, never used to tune them: the
# benchmark reports them apart (bench/drafting_accuracy.py); no test holds the reader to them.
HELD_OUT_30 = [
    {
        "name": "k1-thong-bao-giao-ban-quy",
        "left": [*CITY, "Số: 77/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 20 tháng 01 năm 2025"],
        "body": [
            "THÔNG BÁO",
            "Kết luận của đồng chí Chủ tịch UBND thành phố tại cuộc họp giao ban quý I năm 2025",
            "Tham dự cuộc họp có đại diện lãnh đạo Phòng Nội vụ thành phố, Phòng Tư pháp thành "
            "phố và các phường, xã.",
            "Đồng chí Chủ tịch UBND thành phố kết luận, chỉ đạo như sau:",
            "1. Đối với công tác cải cách hành chính: giao Phòng Nội vụ thành phố chủ trì, phối "
            "hợp Phòng Tư pháp thành phố tham mưu kế hoạch kiểm tra cải cách hành chính năm "
            "2025, trình UBND thành phố trước ngày 10/02/2025.",
            "2. Đối với công tác quản lý trật tự đô thị: Phòng Quản lý đô thị thành phố chủ trì, "
            "phối hợp với UBND các phường ra quân lập lại trật tự vỉa hè, lòng đường; thời gian "
            "thực hiện: tháng 02/2025.",
            "3. Thanh tra thành phố tập trung giải quyết các vụ việc khiếu nại tồn đọng, hoàn "
            "thành trong quý I/2025.",
            "4. Văn phòng HĐND và UBND thành phố theo dõi, đôn đốc việc thực hiện Thông báo này.",
        ],
        "recipients": ["Nơi nhận:", "- Các phòng, ban;", "- Lưu: VT."],
        "signer": ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "", "Vi Thị Hoa"],
        "document": {"number": "77/TB-UBND", "issued_on": "2025-01-20", "signer": "Vi Thị Hoa"},
        "tasks": [
            ("cải cách hành chính", NV, [TP], "2025-02-10"),
            ("vỉa hè", QLDT, [], "2025-02-28"),
            ("khiếu nại", TTR, [], "2025-03-31"),
        ],
        "skipped": ["theo dõi, đôn đốc"],
    },
    {
        "name": "k2-ke-hoach-bang-tuyen-truyen",
        "left": [*CITY, "Số: 12/KH-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 08 tháng 01 năm 2025"],
        "body": [
            "KẾ HOẠCH",
            "Tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam",
            "III. NHIỆM VỤ CỤ THỂ",
            "| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |",
            "| 1 | Treo băng rôn, khẩu hiệu tại các trục đường chính | Phòng Văn hóa – Thông tin "
            "thành phố | Phòng Quản lý đô thị thành phố | Trước ngày 25/01/2025 |",
            "| 2 | Tổ chức chương trình nghệ thuật chào mừng | Trung tâm Văn hóa - Thể thao thành "
            "phố | | Ngày 03/02/2025 |",
            "| 3 | Bảo đảm kinh phí | Phòng Tài chính – Kế hoạch thành phố | | Tháng 01/2025 |",
            "| 4 | Tuyên truyền trong trường học | Phòng GD&ĐT | Thành đoàn | Tháng 02/2025 |",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": SIGNER,
        "document": {"number": "12/KH-UBND", "issued_on": "2025-01-08", "signer": "Hoàng Văn Bình"},
        "tasks": [
            ("băng rôn", VHTT, [QLDT], "2025-01-25"),
            ("nghệ thuật", TTVHTT, [], "2025-02-03"),
            ("kinh phí", TCKH, [], "2025-01-31"),
            ("trường học", GDDT, [], "2025-02-28"),
        ],
        "skipped": [],
    },
    {
        "name": "k3-cong-van-tinh-doc",
        "left": [*CITY, "Số: 95/UBND-KT", "V/v triển khai Công văn số 1544/UBND-KT của UBND tỉnh"],
        "right": [*MOTTO, "Lạng Sơn, ngày 25 tháng 11 năm 2024"],
        "body": [
            "Kính gửi:",
            "- Phòng Kinh tế thành phố;",
            "- Phòng Quản lý đô thị thành phố.",
            "Thực hiện Công văn số 1544/UBND-KT ngày 20/11/2024 của UBND tỉnh, Chủ tịch UBND "
            "thành phố có ý kiến như sau:",
            "Giao Phòng Quản lý đô thị thành phố chủ trì, phối hợp với Phòng Kinh tế thành phố "
            "rà soát nhu cầu nhà ở xã hội trên địa bàn, tổng hợp báo cáo Sở Xây dựng trước ngày "
            "05/12/2024.",
            "Giao Phòng Kinh tế thành phố cung cấp số liệu lao động tại các khu công nghiệp cho "
            "Phòng Quản lý đô thị thành phố chậm nhất ngày 30/11/2024.",
            "Sở Xây dựng sẽ tổ chức hội nghị hướng dẫn vào tháng 12/2024.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
        "signer": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nông Văn Thắng"],
        "document": {"number": "95/UBND-KT", "issued_on": "2024-11-25", "signer": "Nông Văn Thắng"},
        "tasks": [
            ("nhà ở xã hội", QLDT, [KT], "2024-12-05"),
            ("lao động", KT, [], "2024-11-30"),
        ],
        "skipped": [],
    },
    {
        "name": "k4-chi-thi-phong-chay",
        "left": ["THÀNH ỦY LẠNG SƠN", "*", "Số: 21-CT/TU"],
        "right": ["ĐẢNG CỘNG SẢN VIỆT NAM", "Lạng Sơn, ngày 12 tháng 12 năm 2024"],
        "body": [
            "CHỈ THỊ",
            "của Ban Thường vụ Thành ủy về tăng cường công tác phòng cháy, chữa cháy dịp cuối năm",
            "Ban Thường vụ Thành ủy yêu cầu:",
            "1. Đảng đoàn HĐND thành phố chỉ đạo giám sát việc thực hiện các quy định về phòng "
            "cháy.",
            "2. Ban cán sự đảng UBND thành phố lãnh đạo, chỉ đạo:",
            "a) Phòng Nội vụ thành phố tham mưu kiện toàn Ban Chỉ đạo phòng cháy, chữa cháy, "
            "xong trước 31/12/2024.",
            "b) Phòng Kinh tế thành phố kiểm tra an toàn phòng cháy tại các chợ, trung tâm "
            "thương mại trong tháng 12/2024.",
            "3. Đề nghị Ủy ban MTTQ thành phố và các đoàn thể tuyên truyền cho đoàn viên, hội "
            "viên.",
        ],
        "recipients": ["Nơi nhận:", "- Các chi, đảng bộ trực thuộc;", "- Lưu VPTU."],
        "signer": ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Trần Thanh Hải"],
        "document": {"number": "21-CT/TU", "issued_on": "2024-12-12", "signer": "Trần Thanh Hải"},
        "tasks": [
            ("kiện toàn", NV, [], "2024-12-31"),
            ("chợ", KT, [], "2024-12-31"),
        ],
        "skipped": [],
    },
]
