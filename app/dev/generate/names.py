"""The names the benchmark data uses: departments and districts of a province, issuers with
their number symbols, and the actions and subjects tasks are written from."""

from __future__ import annotations

SO = [
    "Tài nguyên và Môi trường",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "Xây dựng",
    "Giao thông vận tải",
    "Nông nghiệp và Phát triển nông thôn",
    "Công Thương",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Văn hóa, Thể thao và Du lịch",
    "Lao động – Thương binh và Xã hội",
    "Nội vụ",
    "Tư pháp",
    "Thông tin và Truyền thông",
    "Khoa học và Công nghệ",
    "Ngoại vụ",
]
DISTRICTS = [
    "thành phố Lạng Sơn",
    "huyện Cao Lộc",
    "huyện Lộc Bình",
    "huyện Đình Lập",
    "huyện Chi Lăng",
    "huyện Hữu Lũng",
    "huyện Bắc Sơn",
    "huyện Bình Gia",
    "huyện Văn Quan",
    "huyện Văn Lãng",
    "huyện Tràng Định",
]
OTHERS = [
    "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Ban Dân tộc",
    "Văn phòng UBND tỉnh",
    "Trung tâm Phát triển quỹ đất tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng tỉnh",
    "Cục Thuế tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Bảo hiểm xã hội tỉnh",
]
ACTIONS = [
    "Rà soát, tham mưu giải quyết kiến nghị về",
    "Báo cáo kết quả thực hiện",
    "Đẩy nhanh tiến độ",
    "Kiểm tra, xử lý dứt điểm",
    "Tham mưu ban hành kế hoạch",
    "Hoàn thiện hồ sơ",
    "Tổng hợp, đề xuất phương án",
    "Chỉ đạo triển khai",
]
SUBJECTS = [
    "cấp Giấy chứng nhận quyền sử dụng đất",
    "giải phóng mặt bằng dự án đường vành đai",
    "chuyển đổi số trong cơ quan nhà nước",
    "cải cách thủ tục hành chính",
    "phòng, chống dịch bệnh trên đàn gia súc",
    "xây dựng nông thôn mới",
    "quản lý trật tự xây dựng đô thị",
    "an toàn thực phẩm",
    "khai thác khoáng sản",
    "đầu tư công năm",
    "thu ngân sách",
    "hạ tầng khu kinh tế cửa khẩu",
    "bảo vệ rừng và phòng cháy chữa cháy rừng",
    "giảm nghèo bền vững",
]
ISSUERS = [
    ("UBND tỉnh Lạng Sơn", "UBND tỉnh", "TB-UBND"),
    ("Tỉnh ủy Lạng Sơn", "Tỉnh ủy", "TB/TU"),
    ("Thường trực HĐND tỉnh", "HĐND tỉnh", "TB-HĐND"),
    ("Văn phòng UBND tỉnh", "VP UBND tỉnh", "TB-VP"),
    ("Bộ Tài nguyên và Môi trường", "Bộ TN&MT", "BTNMT-VP"),
    ("Ban Thường vụ Tỉnh ủy", "BTV Tỉnh ủy", "KL/TU"),
]


def department_names(count: int) -> list[str]:
    names = [f"Sở {s}" for s in SO] + [f"UBND {d}" for d in DISTRICTS] + OTHERS
    extra = 0
    while len(names) < count:
        extra += 1
        names.append(f"UBND xã {extra:03d} thuộc {DISTRICTS[extra % len(DISTRICTS)]}")
    return names[:count]
