"""Ten documents written as offices write them, each with what the reader should find.

Used by tests/test_drafting.py (as text, as DOCX made with python-docx, and as PDF printed from
that DOCX by LibreOffice) and by bench/drafting_accuracy.py. Each expected task is
(a word of its content, lead unit, cooperating units, deadline or None).
"""

from __future__ import annotations

TNMT = "Phòng Tài nguyên và Môi trường"
QLDT = "Phòng Quản lý đô thị thành phố"
TTPTQD = "Trung tâm Phát triển quỹ đất"
TCKH = "Phòng Tài chính – Kế hoạch thành phố"
LDTBXH = "Phòng Lao động – Thương binh và Xã hội thành phố"
VHTT = "Phòng Văn hóa – Thông tin thành phố"
TTVHTT = "Trung tâm Văn hóa - Thể thao thành phố"
KT = "Phòng Kinh tế thành phố"
GDDT = "Phòng Giáo dục và Đào tạo thành phố"
BQLDA = "Ban Quản lý dự án đầu tư xây dựng thành phố"
NV = "Phòng Nội vụ thành phố"
YT = "Phòng Y tế thành phố"

CASES = [
    {
        "name": "01-thong-bao-ket-luan",
        "header_table": True,
        "text": """ỦY BAN NHÂN DÂN
THÀNH PHỐ LẠNG SƠN
Số: 1047/TB-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lạng Sơn, ngày 05 tháng 11 năm 2024

THÔNG BÁO
Kết luận của Chủ tịch UBND thành phố tại buổi làm việc về công tác quản lý đất đai

Ngày 01/11/2024, Chủ tịch UBND thành phố chủ trì buổi làm việc với các phòng, đơn vị. Sau khi nghe Phòng Tài nguyên và Môi trường báo cáo, Chủ tịch UBND thành phố kết luận như sau:
1. Giao Phòng Tài nguyên và Môi trường chủ trì, phối hợp với Trung tâm Phát triển quỹ đất rà soát toàn bộ hồ sơ giao đất tại phường Vĩnh Trại, báo cáo UBND thành phố trước ngày 30/11/2024.
2. Giao Phòng Quản lý đô thị thành phố kiểm tra, xử lý các công trình xây dựng sai phép trên địa bàn, hoàn thành trong tháng 12/2024.
3. Giao Phòng Tài chính – Kế hoạch thành phố tham mưu bố trí kinh phí đo đạc bản đồ địa chính trong 10 ngày làm việc kể từ ngày ký.
4. Trung tâm Phát triển quỹ đất thực hiện thường xuyên việc quản lý quỹ đất sạch do Trung tâm đang quản lý.
Nơi nhận:
- Phòng Tài nguyên và Môi trường;
- Phòng Quản lý đô thị thành phố;
- Lưu: VT.
""",
        "document": {
            "number": "1047/TB-UBND",
            "issued_on": "2024-11-05",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("giao đất", TNMT, [TTPTQD], "2024-11-30"),
            ("sai phép", QLDT, [], "2024-12-31"),
            ("kinh phí", TCKH, [], "2024-11-19"),
            ("quỹ đất sạch", TTPTQD, [], None),
        ],
    },
    {
        "name": "02-unit-colon",
        "text": """UBND THÀNH PHỐ LẠNG SƠN
Số: 312/TB-UBND
Lạng Sơn, ngày 2 tháng 12 năm 2024
THÔNG BÁO
Kết luận của Phó Chủ tịch UBND thành phố về công tác giải phóng mặt bằng

1. Phòng Quản lý đô thị thành phố: Chủ trì kiểm tra hiện trạng các tuyến đường Bà Triệu, Lê Lợi, đề xuất phương án chỉnh trang. Thời gian hoàn thành: trong tháng 12/2024.
2. Trung tâm Phát triển quỹ đất: Phối hợp với Phòng Tài nguyên và Môi trường lập phương án bồi thường dự án khu dân cư Nam Hoàng Đồng. Thời gian hoàn thành: 15/01/2025.
3. Ban Quản lý dự án đầu tư xây dựng thành phố: Đẩy nhanh tiến độ thi công các công trình chuyển tiếp, bảo đảm chất lượng. Thời gian hoàn thành: thường xuyên.
Nơi nhận:
- Như trên;
- Lưu: VT.
""",
        "document": {
            "number": "312/TB-UBND",
            "issued_on": "2024-12-02",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("chỉnh trang", QLDT, [], "2024-12-31"),
            ("bồi thường", TTPTQD, [TNMT], "2025-01-15"),
            ("chuyển tiếp", BQLDA, [], None),
        ],
    },
    {
        "name": "03-abbreviations",
        "text": """UBND THÀNH PHỐ LẠNG SƠN
Số: 88/TB-UBND
Lạng Sơn, ngày 14 tháng 01 năm 2025
THÔNG BÁO
Kết luận giao ban tháng 01 năm 2025

Giao Phòng TN&MT chủ trì, phối hợp với TTPTQĐ và Phòng QLĐT kiểm tra việc san lấp mặt bằng tại xã Mai Pha, báo cáo kết quả trước ngày 25/1/2025.
Giao Phòng LĐ-TB&XH rà soát danh sách hộ nghèo, hộ cận nghèo, hoàn thành trước ngày 20 tháng 01 năm 2025.
Phòng TC-KH chủ trì thẩm định dự toán sửa chữa trụ sở các phường, trong tháng 2/2025.
""",
        "document": {
            "number": "88/TB-UBND",
            "issued_on": "2025-01-14",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("san lấp", TNMT, [TTPTQD, QLDT], "2025-01-25"),
            ("hộ nghèo", LDTBXH, [], "2025-01-20"),
            ("dự toán", TCKH, [], "2025-02-28"),
        ],
    },
    {
        "name": "04-two-leads",
        "text": """ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN
Số: 2150/UBND-VP
V/v tổ chức các hoạt động chào mừng năm mới
Lạng Sơn, ngày 10 tháng 12 năm 2024
Kính gửi: Các phòng, ban, đơn vị thuộc UBND thành phố.
Để tổ chức tốt các hoạt động chào mừng năm mới, UBND thành phố yêu cầu:
1. Giao Phòng Văn hóa – Thông tin thành phố và Trung tâm Văn hóa - Thể thao thành phố xây dựng kế hoạch tổ chức các hoạt động văn hóa, thể thao, báo cáo UBND thành phố trước ngày 20/12/2024.
2. Phòng Y tế thành phố chủ trì, phối hợp với Phòng Kinh tế thành phố tăng cường kiểm tra an toàn thực phẩm trong dịp Tết, thực hiện trong quý I/2025.
3. Các phòng, ban, đơn vị nghiêm túc thực hiện.
""",
        "document": {
            "number": "2150/UBND-VP",
            "issued_on": "2024-12-10",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "",
        },
        "tasks": [
            ("văn hóa, thể thao", VHTT, [], "2024-12-20"),
            ("văn hóa, thể thao", TTVHTT, [], "2024-12-20"),
            ("an toàn thực phẩm", YT, [KT], "2025-03-31"),
        ],
    },
    {
        "name": "05-chi-thi",
        "text": """THÀNH ỦY LẠNG SƠN
Số: 15-CT/TU
Lạng Sơn, ngày 03 tháng 3 năm 2025
CHỈ THỊ
về tăng cường công tác phòng, chống cháy nổ

Ban Thường vụ Thành ủy yêu cầu:
- Giao Phòng Nội vụ thành phố chủ trì tham mưu kiện toàn Ban Chỉ đạo phòng cháy, chữa cháy trong 15 ngày làm việc kể từ ngày ban hành.
- Giao Phòng Giáo dục và Đào tạo thành phố tổ chức tuyên truyền, diễn tập phòng cháy tại các trường học, thực hiện trong năm 2025.
- Đề nghị Phòng Kinh tế thành phố kiểm tra các chợ, trung tâm thương mại chậm nhất ngày 31/3/2025.
""",
        "document": {
            "number": "15-CT/TU",
            "issued_on": "2025-03-03",
            "issuer": "Thành ủy Lạng Sơn",
            "kind": "Chỉ thị",
        },
        "tasks": [
            ("kiện toàn", NV, [], "2025-03-24"),
            ("diễn tập", GDDT, [], "2025-12-31"),
            ("chợ", KT, [], "2025-03-31"),
        ],
    },
    {
        "name": "06-wrapped-lines",
        "text": """UBND THÀNH PHỐ LẠNG SƠN
Số: 401/TB-UBND
Lạng Sơn, ngày 21 tháng 4 năm 2025
THÔNG BÁO
Kết luận về công tác cải cách hành chính

Chủ tịch UBND thành phố kết luận:
a) Giao Phòng Nội vụ thành phố chủ trì, phối hợp
với Phòng Tư pháp thành phố rà soát thủ tục hành
chính thuộc thẩm quyền giải quyết, báo cáo UBND
thành phố trước ngày 15/5/2025.
b) Giao Phòng Tài nguyên và Môi trường giải quyết
dứt điểm các hồ sơ đất đai quá hạn trong 5 ngày làm
việc.
""",
        "document": {
            "number": "401/TB-UBND",
            "issued_on": "2025-04-21",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("thủ tục hành chính", NV, ["Phòng Tư pháp thành phố"], "2025-05-15"),
            ("quá hạn", TNMT, [], "2025-04-26"),  # 26/4: a make-up working day
        ],
    },
    {
        "name": "07-tet-working-days",
        "text": """UBND THÀNH PHỐ LẠNG SƠN
Số: 25/TB-UBND
Lạng Sơn, ngày 24 tháng 01 năm 2025
THÔNG BÁO
Kết luận về công tác bảo đảm trật tự dịp Tết Nguyên đán Ất Tỵ

1. Giao Phòng Quản lý đô thị thành phố chủ trì, phối hợp với Phòng Văn hóa – Thông tin thành phố xử lý biển quảng cáo sai quy định trong 3 ngày làm việc kể từ ngày ký.
2. Giao Phòng Lao động – Thương binh và Xã hội thành phố tổ chức thăm hỏi, tặng quà các gia đình chính sách trước ngày 27/01/2025.
""",
        "document": {
            "number": "25/TB-UBND",
            "issued_on": "2025-01-24",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("quảng cáo", QLDT, [VHTT], "2025-02-05"),
            ("tặng quà", LDTBXH, [], "2025-01-27"),
        ],
    },
    {
        "name": "08-remarks-only",
        "text": """UBND TỈNH LẠNG SƠN
Số: 77/TB-UBND
Lạng Sơn, ngày 12 tháng 5 năm 2025
THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh tại buổi kiểm tra

Thời gian qua, Phòng Tài nguyên và Môi trường và Trung tâm Phát triển quỹ đất đã có nhiều cố gắng.
Phòng Quản lý đô thị thành phố đã báo cáo tình hình tại buổi làm việc.
Chủ tịch UBND tỉnh ghi nhận kết quả đạt được của các đơn vị.
""",
        "document": {
            "number": "77/TB-UBND",
            "issued_on": "2025-05-12",
            "issuer": "UBND tỉnh Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [],
    },
    {
        "name": "09-ke-hoach",
        "text": """ỦY BAN NHÂN DÂN
THÀNH PHỐ LẠNG SƠN
Số: 190/KH-UBND
Lạng Sơn, ngày 9 tháng 6 năm 2025
KẾ HOẠCH
Triển khai chuyển đổi số năm 2025

III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa – Thông tin thành phố: Chủ trì, phối hợp với Phòng Nội vụ thành phố hướng dẫn các phường triển khai nền tảng số. Thời gian hoàn thành: trong quý III/2025.
2. Phòng Tài chính – Kế hoạch thành phố: Bố trí kinh phí thực hiện kế hoạch. Thời gian hoàn thành: 30/6/2025.
3. Phòng Giáo dục và Đào tạo thành phố: Triển khai học bạ số tại các trường. Thời gian hoàn thành: trong năm 2025.
""",
        "document": {
            "number": "190/KH-UBND",
            "issued_on": "2025-06-09",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Kế hoạch",
        },
        "tasks": [
            ("nền tảng số", VHTT, [NV], "2025-09-30"),
            ("kinh phí", TCKH, [], "2025-06-30"),
            ("học bạ", GDDT, [], "2025-12-31"),
        ],
    },
    {
        "name": "10-no-deadline-and-report-to",
        "text": """UBND THÀNH PHỐ LẠNG SƠN
Số: 515/TB-UBND
Lạng Sơn, ngày 18 tháng 8 năm 2025
THÔNG BÁO
Kết luận về công tác y tế dự phòng

- Yêu cầu Phòng Y tế thành phố theo dõi chặt chẽ diễn biến dịch sốt xuất huyết, báo cáo Phòng Nội vụ thành phố và UBND thành phố.
- Giao Trung tâm Văn hóa - Thể thao thành phố phối hợp với Phòng Y tế thành phố tuyên truyền phòng bệnh trên hệ thống loa, thực hiện thường xuyên.
- Giao Phòng Giáo dục và Đào tạo thành phố chỉ đạo vệ sinh trường lớp trước năm học mới, trước ngày 31/8.
""",
        "document": {
            "number": "515/TB-UBND",
            "issued_on": "2025-08-18",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("sốt xuất huyết", YT, [], None),
            ("tuyên truyền", TTVHTT, [YT], None),
            ("vệ sinh", GDDT, [], "2025-08-31"),
        ],
    },
]


def score(cases_results) -> dict:
    """Share of the expected tasks found, with the right lead, cooperators and deadline, and
    how many of those not found are listed among the sentences left ("listed") or not at all
    ("silent"); ``cases_results`` is [(case, proposal JSON)]."""
    expected = found = lead = coop = deadline = extra = listed = 0
    for case, proposal in cases_results:
        tasks = list(proposal["tasks"])
        for word, want_lead, want_coops, want_deadline in case["tasks"]:
            expected += 1
            match = next(
                (
                    t
                    for t in tasks
                    if word.lower() in t["content"].lower() and t["lead"] == want_lead
                ),
                None,
            ) or next((t for t in tasks if word.lower() in t["content"].lower()), None)
            if match is None:
                skipped = proposal.get("skipped", [])
                listed += any(word.lower() in s["sentence"].lower() for s in skipped)
                continue
            tasks.remove(match)
            found += 1
            lead += match["lead"] == want_lead
            coop += sorted(match["cooperators"]) == sorted(want_coops)
            deadline += match["deadline"] == want_deadline
        extra += len(tasks)
    share = (lambda n: round(100 * n / expected, 1)) if expected else (lambda n: 0.0)
    return {"expected": expected, "found": share(found), "lead": share(lead),
            "cooperators": share(coop), "deadline": share(deadline), "extra_tasks": extra,
            "listed": listed, "silent": expected - found - listed}  # fmt: skip


# Written after the reader's rules were settled and never used to tune them: the benchmark
# reports the reader's accuracy on these separately (bench/drafting_accuracy.py).
HELD_OUT = [
    {
        "name": "h1-van-ban-chi-dao",
        "text": """ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN
Số: 2277/UBND-TNMT
V/v xử lý vi phạm đất đai tại phường Đông Kinh
Lạng Sơn, ngày 16 tháng 9 năm 2025
Kính gửi: Các cơ quan, đơn vị liên quan.
Xét báo cáo của Phòng Tài nguyên và Môi trường về tình hình vi phạm, UBND thành phố có ý kiến như sau:
1. Phòng Tài nguyên và Môi trường chủ trì, phối hợp với Phòng Quản lý đô thị thành phố và Thanh tra thành phố kiểm tra, lập biên bản các trường hợp vi phạm; tham mưu UBND thành phố xử lý theo quy định, xong trước 30/9/2025.
2. Yêu cầu Trung tâm Phát triển quỹ đất quản lý chặt chẽ quỹ đất được giao, không để tái lấn chiếm; thực hiện thường xuyên.
3. Phòng Tư pháp thành phố thẩm định các quyết định xử phạt trong vòng 5 ngày làm việc kể từ khi nhận đủ hồ sơ.
""",
        "document": {
            "number": "2277/UBND-TNMT",
            "issued_on": "2025-09-16",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "",
        },
        "tasks": [
            ("biên bản", TNMT, [QLDT, "Thanh tra thành phố"], "2025-09-30"),
            ("tái lấn chiếm", TTPTQD, [], None),
            ("xử phạt", "Phòng Tư pháp thành phố", [], "2025-09-23"),
        ],
    },
    {
        "name": "h2-ket-luan-giao-ban",
        "text": """UBND THÀNH PHỐ LẠNG SƠN
Số: 640/TB-UBND
Lạng Sơn, ngày 06 tháng 10 năm 2025
THÔNG BÁO
Kết luận của Chủ tịch UBND thành phố tại cuộc họp giao ban tháng 10/2025
Các phòng, ban cơ bản hoàn thành nhiệm vụ được giao. Để thực hiện tốt nhiệm vụ thời gian tới, Chủ tịch UBND thành phố yêu cầu:
- Phòng Tài chính – Kế hoạch thành phố tham mưu phân bổ vốn đầu tư công năm 2026 trước ngày 15 tháng 11 năm 2025.
- Ban Quản lý dự án đầu tư xây dựng thành phố phối hợp Phòng Quản lý đô thị thành phố hoàn thiện hồ sơ quyết toán các công trình hoàn thành, thời hạn: 31/12/2025.
- Phòng Nội vụ thành phố tổng hợp kết quả đánh giá, xếp loại công chức, viên chức năm 2025, hoàn thành trong tháng 12/2025.
- Giao Phòng Kinh tế thành phố và Phòng Y tế thành phố kiểm tra an toàn thực phẩm tại các bếp ăn tập thể, xong trong quý IV/2025.
""",
        "document": {
            "number": "640/TB-UBND",
            "issued_on": "2025-10-06",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Thông báo kết luận",
        },
        "tasks": [
            ("vốn đầu tư", TCKH, [], "2025-11-15"),
            ("quyết toán", BQLDA, [QLDT], "2025-12-31"),
            ("xếp loại", NV, [], "2025-12-31"),
            ("bếp ăn", KT, [], "2025-12-31"),
            ("bếp ăn", YT, [], "2025-12-31"),
        ],
    },
    {
        "name": "h3-ke-hoach-bang-chu",
        "text": """ỦY BAN NHÂN DÂN
THÀNH PHỐ LẠNG SƠN
Số: 301/KH-UBND
Lạng Sơn, ngày 20 tháng 10 năm 2025
KẾ HOẠCH
Tổ chức Ngày hội văn hóa các dân tộc
IV. PHÂN CÔNG NHIỆM VỤ
1. Trung tâm Văn hóa - Thể thao thành phố: là đơn vị thường trực, xây dựng chương trình chi tiết, hoàn thành trước ngày 05/11/2025.
2. Phòng Văn hóa – Thông tin thành phố: hướng dẫn các phường, xã chuẩn bị gian trưng bày; tuyên truyền trên các phương tiện thông tin đại chúng.
3. Phòng Y tế thành phố: bố trí lực lượng y tế trực tại Ngày hội.
4. Công an thành phố bảo đảm an ninh, trật tự trong thời gian tổ chức.
""",
        "document": {
            "number": "301/KH-UBND",
            "issued_on": "2025-10-20",
            "issuer": "UBND thành phố Lạng Sơn",
            "kind": "Kế hoạch",
        },
        "tasks": [
            ("chương trình chi tiết", TTVHTT, [], "2025-11-05"),
            ("gian trưng bày", VHTT, [], None),
            ("y tế trực", YT, [], None),
        ],
    },
]
