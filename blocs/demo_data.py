"""Facts for the demo, taken from the published reports in shared/seeds (kept here as data).

Where a report is silent (leaders' names, a deputy, a year not reported), the value is a
plausible stand-in and is marked ``# assumed``; everything else is as the reports say.
"""

import datetime

DEMO_PASSWORD = "demo12345"

NINH_THUAN = {"name": "Ninh Thuận", "code": "ninh-thuan"}
# Seed 003 does not name its province; it is kept as a separate demo province.
PROVINCE_B = {"name": "Tỉnh An Lạc", "code": "tinh-b"}  # the report does not name it: a made-up province name

# (name, short name, kind) — seeds 000, 002, 004
NINH_THUAN_AGENCIES = [
    ("Sở Truyền thông và Thông tin", "STTTT", "so"),
    ("Sở Xây dựng", "SXD", "so"),
    ("Sở Công thương", "SCT", "so"),
    ("Sở Giao thông Vận tải", "SGTVT", "so"),
    ("Ban Quản lý các khu công nghiệp", "BQLKCN", "ban"),
    ("Quỹ Đầu tư phát triển", "QĐTPT", "quy"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT", "so"),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "VPĐĐBQH&HĐND", "van_phong"),
    ("Sở Nội vụ", "SNV", "so"),
    ("Văn phòng UBND tỉnh", "VPUBND", "van_phong"),
    ("Sở Tài chính", "STC", "so"),
    ("Sở Tài nguyên và Môi trường", "STNMT", "so"),
    ("Sở Khoa học và Công nghệ", "SKHCN", "so"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", "so"),
]

# Leaders of the demo (the reports do not name them): assumed, fictional names.
LEADERS = {
    "Sở Truyền thông và Thông tin": ("Lê Văn Minh", "Giám đốc"),
    "Sở Xây dựng": ("Phạm Quốc Hùng", "Giám đốc"),
    "Sở Công thương": ("Nguyễn Thị Thu Hà", "Giám đốc"),
    "Sở Giao thông Vận tải": ("Trần Đức Thắng", "Giám đốc"),
    "Ban Quản lý các khu công nghiệp": ("Đặng Văn Tuấn", "Trưởng ban"),
    "Quỹ Đầu tư phát triển": ("Võ Thị Mai", "Giám đốc"),
    "Sở Nông nghiệp và Phát triển nông thôn": ("Huỳnh Văn Lộc", "Giám đốc"),
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh": ("Nguyễn Thị Hồng Nhung", "Chánh Văn phòng"),
    "Sở Nội vụ": ("Phan Văn Đức", "Giám đốc"),
    "Văn phòng UBND tỉnh": ("Lê Thị Phương Thảo", "Chánh Văn phòng"),
    "Sở Tài chính": ("Trương Công Bình", "Giám đốc"),
    "Sở Tài nguyên và Môi trường": ("Bùi Văn Sơn", "Giám đốc"),
    "Sở Khoa học và Công nghệ": ("Đỗ Thị Lan", "Giám đốc"),
    "Sở Kế hoạch và Đầu tư": ("Hồ Minh Khoa", "Giám đốc"),
}

BLOC_ECONOMY = "Khối thi đua các cơ quan tham mưu Kinh tế tỉnh"
BLOC_GENERAL = "Khối thi đua các cơ quan tham mưu tổng hợp"

ECONOMY_MEMBERS = [
    "Sở Truyền thông và Thông tin",
    "Sở Xây dựng",
    "Sở Công thương",
    "Sở Giao thông Vận tải",
    "Ban Quản lý các khu công nghiệp",
    "Quỹ Đầu tư phát triển",
    "Sở Nông nghiệp và Phát triển nông thôn",
]
GENERAL_MEMBERS_2022 = [
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
    "Sở Nội vụ",
    "Văn phòng UBND tỉnh",
    "Sở Tài chính",
    "Sở Tài nguyên và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Kế hoạch và Đầu tư",
]

# bloc, year, members, head, deputy, notice number, notice date
NINH_THUAN_BLOC_YEARS = [
    # Seed 000: 2020 signing at the Ban Quản lý các khu công nghiệp, head of the bloc.
    (BLOC_ECONOMY, 2020, ECONOMY_MEMBERS, "Ban Quản lý các khu công nghiệp", "Sở Công thương", "", None),  # deputy assumed
    (BLOC_ECONOMY, 2021, ECONOMY_MEMBERS, "Sở Công thương", "Sở Xây dựng", "", None),  # assumed
    (BLOC_ECONOMY, 2022, ECONOMY_MEMBERS, "Sở Xây dựng", "Sở Giao thông Vận tải", "09/TB-UBND", datetime.date(2022, 1, 18)),  # assumed
    # Seed 002: 2020 mid-year review of 7 members at Sở Kế hoạch và Đầu tư (members assumed as in 2022).
    (BLOC_GENERAL, 2020, GENERAL_MEMBERS_2022, "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "", None),  # head/deputy assumed
    (BLOC_GENERAL, 2021, GENERAL_MEMBERS_2022, "Sở Tài chính", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "", None),  # assumed
    # Seed 004: 2022, head Văn phòng Đoàn ĐBQH và HĐND tỉnh, named by Thông báo 09/TB-UBND of 18/01/2022.
    (BLOC_GENERAL, 2022, GENERAL_MEMBERS_2022, "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Sở Nội vụ", "09/TB-UBND", datetime.date(2022, 1, 18)),  # deputy assumed
]

# Seed 003: Khối tổng hợp, 2021, 11 members.
PROVINCE_B_AGENCIES = [
    ("Văn phòng UBND tỉnh", "VPUBND", "van_phong", "Trần Thị Hoài Trâm", "Chánh Văn phòng"),
    ("Sở Nội vụ", "SNV", "so", "Lê Văn Thành", "Giám đốc"),  # leader assumed
    ("Kho bạc Nhà nước tỉnh", "KBNN", "kho_bac", "Phạm Thị Lan", "Giám đốc"),  # leader assumed
    ("Văn phòng Đoàn ĐBQH tỉnh", "VPĐĐBQH", "van_phong", "Nguyễn Văn Hùng", "Chánh Văn phòng"),  # leader assumed
    ("Văn phòng HĐND tỉnh", "VPHĐND", "van_phong", "Đỗ Thị Hạnh", "Chánh Văn phòng"),  # leader assumed
    ("Cục Thuế tỉnh", "CT", "cuc", "Trương Minh Quang", "Cục trưởng"),  # leader assumed
    ("Cục Thống kê tỉnh", "CTK", "cuc", "Võ Thị Mai", "Cục trưởng"),  # leader assumed
    ("Ban Dân tộc", "BDT", "ban", "Mang Văn Sơn", "Trưởng ban"),  # leader assumed
    ("Sở Tài chính", "STC", "so", "Huỳnh Văn Phúc", "Giám đốc"),  # leader assumed
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", "so", "Bùi Thị Thu", "Giám đốc"),  # leader assumed
    ("Sở Ngoại vụ", "SNgV", "so", "Đặng Quốc Khánh", "Giám đốc"),  # leader assumed
]
BLOC_B = "Khối tổng hợp"
PROVINCE_B_BLOC_YEARS = [
    (BLOC_B, 2021, [a[0] for a in PROVINCE_B_AGENCIES], "Văn phòng UBND tỉnh", "Sở Nội vụ", "", None),
]

# Demo logins: username, full name, title, agency (None for the board's own people), role, scope
DEMO_USERS = [
    ("bantdkt", "Ngô Thị Kim Oanh", "Trưởng Ban Thi đua – Khen thưởng", "Sở Nội vụ", "board", None),
    ("trunguong", "Vũ Hải Nam", "Chuyên viên Ban Thi đua – Khen thưởng Trung ương", None, "central", None),
    ("thuky", "Lương Thị Diệu", "Chuyên viên Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "secretary", (BLOC_GENERAL, 2022)),
    ("lanhdao", "Phan Văn Đức", "Giám đốc", "Sở Nội vụ", "leader", None),
    ("canbo", "Trần Thị Ngọc Ánh", "Chuyên viên phụ trách thi đua – khen thưởng", "Sở Tài chính", "officer", None),
]
