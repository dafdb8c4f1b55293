"""Fourteen more documents for issue 30, written from the kinds of misses it lists (not from
any held-out document) to bring the corpus past forty: letters in the letter layout (with the
units written to in "Kính gửi" and "Nơi nhận"), plans with tables whose rows name two lead
units or abbreviations, directives with items under a unit heading, notices with several leads
in one sentence, documents of the province and of the Party committee, remarks and attendance
lists, and every deadline form the issue lists. Same shape as tests/drafting_corpus.py."""

from __future__ import annotations

from drafting_cases import BQLDA, GDDT, KT, LDTBXH, NV, QLDT, TCKH, TNMT, TTPTQD, TTVHTT, VHTT, YT
from drafting_corpus import CITY, MOTTO, SIGNER, TABLE_HEAD, TP, TTR

END = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
CHAIR = ["CHỦ TỊCH", "", "Nguyễn Văn Hùng"]


def _doc(number: str, day: str, signer=SIGNER, name="Hoàng Văn Bình") -> dict:
    return {"number": number, "issued_on": day, "signer": name}


MORE = [
    {
        "name": "m01-cong-van-de-nghi-khong-nam",
        "left": [*CITY, "Số: 1410/UBND-KT", "V/v kiểm tra an toàn thực phẩm dịp cuối năm"],
        "right": [*MOTTO, "Lạng Sơn, ngày 25 tháng 11 năm 2024"],
        "body": [
            "Kính gửi: Phòng Kinh tế thành phố; Phòng Y tế thành phố.",
            "Thực hiện chỉ đạo của UBND tỉnh về bảo đảm an toàn thực phẩm dịp Tết Nguyên đán Ất "
            "Tỵ năm 2025, UBND thành phố đề nghị:",
            "1. Phòng Y tế thành phố chủ trì, phối hợp với Phòng Kinh tế thành phố thành lập đoàn "
            "kiểm tra liên ngành, hoàn thành trước ngày 20/12.",
            "2. Phòng Kinh tế thành phố kiểm tra nguồn gốc hàng hóa tại các chợ trên địa bàn "
            "trước ngày 15/01.",
            "3. Phòng Văn hóa – Thông tin thành phố tuyên truyền về an toàn thực phẩm trên Cổng "
            "thông tin điện tử thành phố, thực hiện thường xuyên.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("1410/UBND-KT", "2024-11-25"),
        "tasks": [
            ("đoàn kiểm tra", YT, [KT], "2024-12-20"),
            ("nguồn gốc hàng hóa", KT, [], "2025-01-15"),
            ("Cổng thông tin", VHTT, [], None),
        ],
        "skipped": [],
    },
    {
        "name": "m02-ke-hoach-bang-quy-hai-chu-tri",
        "left": [*CITY, "Số: 12/KH-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 08 tháng 01 năm 2025"],
        "body": [
            "KẾ HOẠCH",
            "Thực hiện nhiệm vụ quản lý đất đai và giải quyết việc làm năm 2025",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Phân công cụ thể, rõ người, rõ việc, rõ thời gian hoàn thành.",
            "II. NHIỆM VỤ CỤ THỂ",
            TABLE_HEAD,
            "| 1 | Rà soát, cập nhật quy hoạch sử dụng đất | Phòng Tài nguyên và Môi trường | "
            "Phòng Quản lý đô thị thành phố | Quý II/2025 |",
            "| 2 | Tổ chức ngày hội việc làm cho thanh niên | Phòng Lao động – Thương binh và Xã "
            "hội thành phố và Phòng Nội vụ thành phố | Phòng Giáo dục và Đào tạo thành phố | "
            "Tháng 3/2025 |",
            "| 3 | Kiểm tra việc chấp hành pháp luật về đất đai | Thanh tra thành phố | Phòng Tài "
            "nguyên và Môi trường; Phòng Tư pháp thành phố | 6 tháng đầu năm 2025 |",
            "| 4 | Hướng dẫn thủ tục đăng ký hộ kinh doanh | Phòng Tài chính – Kế hoạch thành phố "
            "| | 31/3/2025 |",
            "| 5 | Phổ biến pháp luật về lao động cho doanh nghiệp | Sở Tư pháp | Phòng Tư pháp "
            "thành phố | Quý I/2025 |",
            "III. TỔ CHỨC THỰC HIỆN",
            "Các đơn vị căn cứ nhiệm vụ được giao triển khai thực hiện.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("12/KH-UBND", "2025-01-08"),
        "tasks": [
            ("quy hoạch sử dụng đất", TNMT, [QLDT], "2025-06-30"),
            ("ngày hội việc làm", LDTBXH, [GDDT], "2025-03-31"),
            ("ngày hội việc làm", NV, [GDDT], "2025-03-31"),
            ("chấp hành pháp luật", TTR, [TNMT, TP], "2025-06-30"),
            ("hộ kinh doanh", TCKH, [], "2025-03-31"),
        ],
        "skipped": ["pháp luật về lao động"],
    },
    {
        "name": "m03-ke-hoach-bang-viet-tat",
        "left": [*CITY, "Số: 31/KH-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 10 tháng 02 năm 2025"],
        "body": [
            "KẾ HOẠCH",
            "Tổ chức Đại hội Thể dục thể thao thành phố năm 2025",
            "Phân công thực hiện:",
            "| TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện |",
            "| 1 | Lập dự toán kinh phí tổ chức Đại hội | Phòng TC-KH | TTVHTT | Trước 30/4/2025 |",
            "| 2 | Tổ chức giải thể thao học sinh | Phòng GD&ĐT | Trung tâm Văn hóa - Thể thao "
            "thành phố | Tháng 5/2025 |",
            "| 3 | Tuyên truyền, cổ động trực quan | Phòng VH-TT, TTVHTT | | Trước ngày 15/6 |",
            "| 4 | Bảo đảm y tế tại các điểm thi đấu | Phòng Y tế | | Tháng 6/2025 |",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("31/KH-UBND", "2025-02-10"),
        "tasks": [
            ("dự toán kinh phí", TCKH, [TTVHTT], "2025-04-30"),
            ("thể thao học sinh", GDDT, [TTVHTT], "2025-05-31"),
            ("cổ động trực quan", VHTT, [], "2025-06-15"),
            ("cổ động trực quan", TTVHTT, [], "2025-06-15"),
            ("điểm thi đấu", YT, [], "2025-06-30"),
        ],
        "skipped": [],
    },
    {
        "name": "m04-chi-thi-muc-gach-dau-dong",
        "left": [*CITY, "Số: 21/CT-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 26 tháng 12 năm 2024"],
        "body": [
            "CHỈ THỊ",
            "Về tăng cường quản lý trật tự xây dựng trên địa bàn thành phố",
            "Chủ tịch UBND thành phố yêu cầu:",
            "1. Phòng Quản lý đô thị thành phố:",
            "- Kiểm tra, xử lý dứt điểm các công trình xây dựng không phép, hoàn thành trước ngày "
            "31/3/2025.",
            "- Công khai quy hoạch chi tiết các khu đô thị mới; thời hạn hoàn thành: ngày "
            "30/6/2025.",
            "2. Phòng Tài nguyên và Môi trường:",
            "a) Rà soát việc cấp giấy chứng nhận quyền sử dụng đất cho các công trình đã xây "
            "dựng, báo cáo trong quý I/2025.",
            "b) Phối hợp với Phòng Quản lý đô thị thành phố kiểm tra các khu đất công bị lấn "
            "chiếm trước ngày 28/02.",
            "3. Thanh tra thành phố:",
            "- Thanh tra trách nhiệm quản lý trật tự xây dựng của UBND các phường, hoàn thành "
            "trong tháng 9/2025.",
        ],
        "recipients": END,
        "signer": CHAIR,
        "document": _doc("21/CT-UBND", "2024-12-26", name="Nguyễn Văn Hùng"),
        "tasks": [
            ("không phép", QLDT, [], "2025-03-31"),
            ("quy hoạch chi tiết", QLDT, [], "2025-06-30"),
            ("giấy chứng nhận", TNMT, [], "2025-03-31"),
            ("đất công", TNMT, [QLDT], "2025-02-28"),
            ("trách nhiệm quản lý", TTR, [], "2025-09-30"),
        ],
        "skipped": [],
    },
    {
        "name": "m05-thong-bao-ba-chu-tri",
        "left": [*CITY, "Số: 1012/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 14 tháng 10 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận của Chủ tịch UBND thành phố tại cuộc họp về công tác phòng, chống thiên tai",
            "Tham dự cuộc họp có đại diện lãnh đạo Phòng Kinh tế thành phố, Phòng Quản lý đô thị "
            "thành phố, Thanh tra thành phố.",
            "Chủ tịch UBND thành phố kết luận như sau:",
            "1. Phòng Kinh tế thành phố, Phòng Quản lý đô thị thành phố và Phòng Tài nguyên và "
            "Môi trường kiểm tra các điểm có nguy cơ sạt lở, hoàn thành ngay trong tuần.",
            "2. Phòng Tài chính – Kế hoạch thành phố, Phòng Kinh tế thành phố chủ trì bố trí kinh "
            "phí khắc phục hậu quả thiên tai trước ngày 31/10/2024.",
            "3. Phòng Giáo dục và Đào tạo thành phố chủ trì, phối hợp với Phòng Y tế thành phố "
            "hướng dẫn các trường học phương án bảo đảm an toàn cho học sinh trước ngày 25/10.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("1012/TB-UBND", "2024-10-14"),
        "tasks": [
            ("sạt lở", KT, [], "2024-10-18"),
            ("sạt lở", QLDT, [], "2024-10-18"),
            ("sạt lở", TNMT, [], "2024-10-18"),
            ("khắc phục hậu quả", TCKH, [], "2024-10-31"),
            ("khắc phục hậu quả", KT, [], "2024-10-31"),
            ("an toàn cho học sinh", GDDT, [YT], "2024-10-25"),
        ],
        "skipped": ["Tham dự cuộc họp"],
    },
    {
        "name": "m06-cong-van-tinh",
        "left": [
            "ỦY BAN NHÂN DÂN",
            "TỈNH LẠNG SƠN",
            "Số: 1488/UBND-VX",
            "V/v tổ chức Tháng hành động vì bình đẳng giới",
        ],
        "right": [*MOTTO, "Lạng Sơn, ngày 05 tháng 11 năm 2024"],
        "body": [
            "Kính gửi: Các sở, ban, ngành tỉnh; UBND thành phố Lạng Sơn.",
            "1. Sở Lao động – Thương binh và Xã hội chủ trì hướng dẫn các địa phương tổ chức "
            "Tháng hành động, báo cáo trước ngày 30/11/2024.",
            "2. Giao Phòng Lao động – Thương binh và Xã hội thành phố chủ trì, phối hợp với Phòng "
            "Văn hóa – Thông tin thành phố tổ chức mít tinh hưởng ứng Tháng hành động trước ngày "
            "15/11/2024.",
            "3. Báo Lạng Sơn, Đài Phát thanh và Truyền hình tỉnh đưa tin về các hoạt động.",
            "4. Giao Phòng Nội vụ thành phố tổng hợp kết quả, gửi Sở Lao động – Thương binh và Xã "
            "hội trước ngày 10/12/2024.",
        ],
        "recipients": ["Nơi nhận:", "- Như trên;", "- Lưu: VT, VX."],
        "signer": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Đoàn Thu Hà"],
        "document": _doc("1488/UBND-VX", "2024-11-05", name="Đoàn Thu Hà"),
        "tasks": [
            ("mít tinh", LDTBXH, [VHTT], "2024-11-15"),
            ("tổng hợp kết quả", NV, [], "2024-12-10"),
        ],
        "skipped": ["hướng dẫn các địa phương"],
    },
    {
        "name": "m07-thanh-uy-thuong-truc",
        "left": ["ĐẢNG BỘ TỈNH LẠNG SƠN", "THÀNH ỦY LẠNG SƠN", "*", "Số: 430-TB/TU"],
        "right": ["ĐẢNG CỘNG SẢN VIỆT NAM", "Lạng Sơn, ngày 05 tháng 12 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận của Thường trực Thành ủy về công tác chuẩn bị Tết Nguyên đán Ất Tỵ năm 2025",
            "Thường trực Thành ủy đánh giá cao sự chủ động của Phòng Văn hóa – Thông tin thành "
            "phố trong công tác tuyên truyền.",
            "Thường trực Thành ủy yêu cầu:",
            "1. Ban Tuyên giáo Thành ủy chủ trì, phối hợp với Phòng Văn hóa – Thông tin thành phố "
            "định hướng công tác tuyên truyền dịp Tết.",
            "2. Giao Phòng Lao động – Thương binh và Xã hội thành phố chuẩn bị quà Tết cho các gia "
            "đình chính sách, hoàn thành trước ngày 20/01/2025.",
            "3. Đề nghị Ban Thường vụ Thành ủy chỉ đạo Phòng Y tế thành phố bảo đảm thuốc men, "
            "trực cấp cứu trong dịp Tết.",
            "4. Giao Phòng Kinh tế thành phố bảo đảm cung ứng hàng hóa thiết yếu, bình ổn giá cả "
            "thị trường từ ngày 15/01/2025 đến ngày 05/02/2025.",
        ],
        "recipients": ["Nơi nhận:", "- Các đồng chí Thành ủy viên;", "- Lưu Văn phòng Thành ủy."],
        "signer": ["T/M THƯỜNG TRỰC THÀNH ỦY", "PHÓ BÍ THƯ", "", "Nguyễn Quốc Đoàn"],
        "document": _doc("430-TB/TU", "2024-12-05", name="Nguyễn Quốc Đoàn"),
        "tasks": [
            ("quà Tết", LDTBXH, [], "2025-01-20"),
            ("hàng hóa thiết yếu", KT, [], "2025-02-05"),
        ],
        "skipped": ["đánh giá cao", "định hướng công tác tuyên truyền", "trực cấp cứu"],
    },
    {
        "name": "m08-thong-bao-nhan-xet-du-hop",
        "left": [*CITY, "Số: 905/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 16 tháng 9 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Ý kiến kết luận của Phó Chủ tịch UBND thành phố tại buổi kiểm tra tiến độ xây dựng "
            "trường học",
            "Cùng dự có đại diện Phòng Giáo dục và Đào tạo thành phố, Ban Quản lý dự án đầu tư "
            "xây dựng thành phố, Phòng Tài chính – Kế hoạch thành phố.",
            "Phó Chủ tịch UBND thành phố ghi nhận Ban Quản lý dự án đầu tư xây dựng thành phố đã "
            "đẩy nhanh tiến độ thi công.",
            "Để kịp đưa công trình vào sử dụng, Phó Chủ tịch UBND thành phố yêu cầu:",
            "1. Ban Quản lý dự án đầu tư xây dựng thành phố đôn đốc nhà thầu hoàn thành hạng mục "
            "nhà lớp học trước ngày 15/10/2024.",
            "2. Phòng Giáo dục và Đào tạo thành phố chủ trì, phối hợp với Phòng Tài chính – Kế "
            "hoạch thành phố mua sắm trang thiết bị dạy học, hoàn thành trong tháng 10/2024.",
            "3. Văn phòng HĐND và UBND thành phố theo dõi, đôn đốc việc thực hiện.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("905/TB-UBND", "2024-09-16"),
        "tasks": [
            ("nhà lớp học", BQLDA, [], "2024-10-15"),
            ("trang thiết bị", GDDT, [TCKH], "2024-10-31"),
        ],
        "skipped": ["Cùng dự", "ghi nhận", "theo dõi, đôn đốc"],
    },
    {
        "name": "m09-thoi-han-su-kien-khoang",
        "left": [*CITY, "Số: 1080/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 11 tháng 11 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận về công tác chuẩn bị kỳ họp cuối năm 2024 của HĐND thành phố",
            "1. Giao Phòng Tài chính – Kế hoạch thành phố hoàn thiện dự thảo báo cáo kinh tế – xã "
            "hội năm 2024, trình UBND thành phố trước kỳ họp thường lệ cuối năm của HĐND thành "
            "phố.",
            "2. Giao Phòng Nội vụ thành phố rà soát biên chế năm 2025. Thời gian thực hiện: từ "
            "ngày 18/11/2024 đến ngày 29/11/2024.",
            "3. Giao Phòng Tư pháp thành phố thẩm định các dự thảo nghị quyết trong 05 ngày kể từ "
            "ngày nhận được hồ sơ.",
            "4. Giao Thanh tra thành phố tổng hợp kết quả giải quyết khiếu nại, tố cáo. Chậm nhất "
            "ngày 22/11/2024, gửi báo cáo về Văn phòng HĐND và UBND thành phố.",
            "5. Giao Phòng Y tế thành phố báo cáo tình hình y tế dự phòng trước 25/11/2024.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("1080/TB-UBND", "2024-11-11"),
        "tasks": [
            ("dự thảo báo cáo", TCKH, [], None),
            ("biên chế", NV, [], "2024-11-29"),
            ("nghị quyết", TP, [], None),
            ("khiếu nại", TTR, [], "2024-11-22"),
            ("y tế dự phòng", YT, [], "2024-11-25"),
        ],
        "skipped": [],
    },
    {
        "name": "m10-trong-tuan-dinh-ky",
        "left": [*CITY, "Số: 1040/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 21 tháng 10 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận về công tác bảo đảm trật tự an toàn giao thông",
            "1. Phòng Quản lý đô thị thành phố chủ trì, phối hợp với Công an thành phố tổ chức "
            "giải tỏa hành lang an toàn giao thông trên tuyến Quốc lộ 1A, xong ngay trong tuần.",
            "2. Phòng Kinh tế thành phố theo dõi tình hình vận tải hành khách, báo cáo UBND thành "
            "phố định kỳ trước ngày 25 hằng tháng.",
            "3. Phòng Giáo dục và Đào tạo thành phố tuyên truyền an toàn giao thông trong trường "
            "học, báo cáo kết quả trước ngày 30/11/2024.",
            "4. Phòng Văn hóa – Thông tin thành phố thực hiện thường xuyên việc tuyên truyền trên "
            "hệ thống loa truyền thanh.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("1040/TB-UBND", "2024-10-21"),
        "tasks": [
            ("hành lang an toàn", QLDT, [], "2024-10-25"),
            ("vận tải hành khách", KT, [], None),
            ("trong trường học", GDDT, [], "2024-11-30"),
            ("loa truyền thanh", VHTT, [], None),
        ],
        "skipped": [],
    },
    {
        "name": "m11-cong-van-viet-tat-goi-tat",
        "left": [*CITY, "Số: 1290/UBND-NV", "V/v chuẩn bị sắp xếp đơn vị hành chính cấp xã"],
        "right": [*MOTTO, "Lạng Sơn, ngày 02 tháng 10 năm 2024"],
        "body": [
            "Kính gửi: Các phòng, ban, đơn vị thuộc UBND thành phố.",
            "Phòng Nội vụ thành phố (sau đây gọi tắt là Phòng Nội vụ) là cơ quan thường trực của "
            "Ban Chỉ đạo sắp xếp đơn vị hành chính. UBND thành phố yêu cầu:",
            "1. Phòng Nội vụ xây dựng đề án sắp xếp đơn vị hành chính, trình UBND thành phố trước "
            "ngày 30/10/2024.",
            "2. Phòng TC-KH dự kiến kinh phí thực hiện đề án trước ngày 05/11/2024.",
            "3. Phòng TN&MT rà soát ranh giới hành chính, hoàn thành trong tháng 11/2024.",
            "4. Phòng VH&TT tổ chức lấy ý kiến cử tri về đề án trong tháng 12/2024.",
            "5. Ban QLDA thành phố và Trung tâm PTQĐ rà soát các dự án đang triển khai trên địa "
            "bàn các phường dự kiến sáp nhập, báo cáo trước ngày 15/11/2024.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("1290/UBND-NV", "2024-10-02"),
        "tasks": [
            ("xây dựng đề án", NV, [], "2024-10-30"),
            ("dự kiến kinh phí", TCKH, [], "2024-11-05"),
            ("ranh giới", TNMT, [], "2024-11-30"),
            ("cử tri", VHTT, [], "2024-12-31"),
            ("dự kiến sáp nhập", BQLDA, [], "2024-11-15"),
            ("dự kiến sáp nhập", TTPTQD, [], "2024-11-15"),
        ],
        "skipped": ["cơ quan thường trực"],
    },
    {
        "name": "m12-ngay-khong-nam-sang-nam-sau",
        "left": [*CITY, "Số: 1390/TB-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 20 tháng 12 năm 2024"],
        "body": [
            "THÔNG BÁO",
            "Kết luận về công tác tổng kết năm 2024 và triển khai nhiệm vụ năm 2025",
            "1. Giao Phòng Tài chính – Kế hoạch thành phố tổng hợp báo cáo kinh tế – xã hội năm "
            "2024 trước ngày 10/01.",
            "2. Giao Phòng Nội vụ thành phố tổ chức hội nghị tổng kết công tác thi đua, khen "
            "thưởng trước ngày 25/12.",
            "3. Giao Phòng Giáo dục và Đào tạo thành phố sơ kết học kỳ I năm học 2024 – 2025, báo "
            "cáo trước ngày 20 tháng 01 năm 2025.",
            "4. Giao Phòng Y tế thành phố kiểm tra công tác phòng chống dịch bệnh mùa đông xuân "
            "trong quý I/2025.",
            "5. Giao Phòng Kinh tế thành phố xây dựng kế hoạch sản xuất vụ Đông Xuân, hoàn thành "
            "trong tháng 01/2025.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("1390/TB-UBND", "2024-12-20"),
        "tasks": [
            ("báo cáo kinh tế", TCKH, [], "2025-01-10"),
            ("thi đua", NV, [], "2024-12-25"),
            ("học kỳ I", GDDT, [], "2025-01-20"),
            ("mùa đông xuân", YT, [], "2025-03-31"),
            ("vụ Đông Xuân", KT, [], "2025-01-31"),
        ],
        "skipped": [],
    },
    {
        "name": "m13-ke-hoach-cai-cach-hanh-chinh",
        "left": [*CITY, "Số: 18/KH-UBND"],
        "right": [*MOTTO, "Lạng Sơn, ngày 15 tháng 01 năm 2025"],
        "body": [
            "KẾ HOẠCH",
            "Thực hiện công tác cải cách hành chính năm 2025",
            "I. MỤC ĐÍCH, YÊU CẦU",
            "Nâng cao chỉ số cải cách hành chính của thành phố.",
            "II. NHIỆM VỤ VÀ PHÂN CÔNG",
            "| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |",
            "| 1 | Rà soát, công bố thủ tục hành chính | Phòng Tư pháp thành phố | Phòng Nội vụ "
            "thành phố | Trước 15/3/2025 |",
            "| 2 | Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | Phòng Nội vụ thành phố; "
            "Phòng Tài nguyên và Môi trường | | Quý III/2025 |",
            "| 3 | Kiểm tra công tác cải cách hành chính tại các phường | Phòng Nội vụ thành phố "
            "| Thanh tra thành phố; Phòng Tư pháp thành phố | Tháng 10/2025 |",
            "| 4 | Tuyên truyền về cải cách hành chính | Phòng Văn hóa – Thông tin thành phố | | "
            "Thường xuyên |",
            "| 5 | Khảo sát sự hài lòng của người dân | Văn phòng HĐND và UBND thành phố | Phòng "
            "Nội vụ thành phố | Tháng 11/2025 |",
            "III. TỔ CHỨC THỰC HIỆN",
            "Các đơn vị căn cứ nhiệm vụ được giao triển khai thực hiện.",
        ],
        "recipients": END,
        "signer": SIGNER,
        "document": _doc("18/KH-UBND", "2025-01-15"),
        "tasks": [
            ("công bố thủ tục", TP, [NV], "2025-03-15"),
            ("số hóa", NV, [], "2025-09-30"),
            ("số hóa", TNMT, [], "2025-09-30"),
            ("tại các phường", NV, [TTR, TP], "2025-10-31"),
            ("tuyên truyền về cải cách", VHTT, [], None),
        ],
        "skipped": ["sự hài lòng"],
    },
    {
        "name": "m14-cong-van-kinh-gui-noi-nhan",
        "left": [*CITY, "Số: 1150/UBND-QLĐT", "V/v xử lý ngập úng cục bộ sau mưa lớn"],
        "right": [*MOTTO, "Lạng Sơn, ngày 09 tháng 9 năm 2024"],
        "body": [
            "Kính gửi:",
            "- Phòng Quản lý đô thị thành phố;",
            "- Ban Quản lý dự án đầu tư xây dựng thành phố;",
            "- Phòng Tài chính – Kế hoạch thành phố.",
            "Sau trận mưa lớn ngày 07/9/2024, một số tuyến phố bị ngập úng cục bộ. UBND thành phố "
            "đề nghị:",
            "1. Phòng Quản lý đô thị thành phố khẩn trương nạo vét hệ thống thoát nước trên các "
            "tuyến phố bị ngập, hoàn thành trước ngày 30/9/2024.",
            "2. Ban Quản lý dự án đầu tư xây dựng thành phố lập phương án cải tạo cống thoát nước "
            "đường Bắc Sơn, trình UBND thành phố trước ngày 15/10/2024.",
            "3. Phòng Tài chính – Kế hoạch thành phố cân đối, bố trí kinh phí thực hiện trong 10 "
            "ngày kể từ ngày nhận được phương án.",
        ],
        "recipients": [
            "Nơi nhận:",
            "- Như trên;",
            "- Chủ tịch, các PCT UBND thành phố;",
            "- Phòng Kinh tế thành phố (để biết);",
            "- Lưu: VT, QLĐT.",
        ],
        "signer": SIGNER,
        "document": _doc("1150/UBND-QLĐT", "2024-09-09"),
        "tasks": [
            ("nạo vét", QLDT, [], "2024-09-30"),
            ("cống thoát nước", BQLDA, [], "2024-10-15"),
            ("cân đối", TCKH, [], None),
        ],
        "skipped": [],
    },
]
