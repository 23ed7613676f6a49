"""The four demo meetings, from the published reports in shared/seeds (facts kept, text rewritten).

Where a report is silent (a minutes number, the exact hour, a representative's name), the value is a
plausible stand-in marked ``# assumed``.
"""

import datetime
from zoneinfo import ZoneInfo

from blocs import demo_data as blocs_data

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


MEETINGS = [
    {
        "seed": "000",
        "province": blocs_data.NINH_THUAN["code"],
        "bloc": blocs_data.BLOC_ECONOMY,
        "year": 2020,
        "kind": "signing",
        "starts_at": at(2020, 1, 15, 8),  # hour assumed
        "venue": "Ban Quản lý các khu công nghiệp",
        "host": "Ban Quản lý các khu công nghiệp",
        "chair": ("Đặng Văn Tuấn", "Trưởng ban Ban Quản lý các khu công nghiệp, Trưởng Khối thi đua"),  # assumed (demo leader)
        "secretary": ("Nguyễn Thị Thanh", "Chuyên viên Ban Quản lý các khu công nghiệp"),  # assumed
        "minutes_number": "01/BB-KTĐKT",  # assumed
        "agenda": "Quán triệt Chỉ thị số 01/CT-UBND ngày 03/01/2020 của UBND tỉnh\nThảo luận, thống nhất các chỉ tiêu và kế hoạch thi đua năm 2020\nKý kết giao ước thi đua năm 2020",
        "guests": [],
        "discussion": (
            "Thực hiện Chỉ thị số 01/CT-UBND ngày 03/01/2020 của UBND tỉnh về phát động năm thi đua cao điểm thực hiện thắng lợi "
            "nhiệm vụ phát triển kinh tế - xã hội năm 2020, lập thành tích chào mừng Đại hội Đảng các cấp trong tỉnh nhiệm kỳ "
            "2020-2025 và Đại hội Thi đua yêu nước tỉnh lần thứ VII năm 2020.\n"
            "Các đơn vị trong Khối đã thảo luận, đề xuất các phong trào thi đua sâu rộng, thiết thực, nhằm tạo động lực hoàn thành "
            "xuất sắc nhiệm vụ phát triển kinh tế - xã hội năm 2020."
        ),
        "conclusions": "Sau khi thống nhất các chỉ tiêu, kế hoạch được xây dựng và thông qua tại Hội nghị, lãnh đạo các đơn vị ký kết giao ước thi đua năm 2020.",
        "documents_adopted": "Các chỉ tiêu thi đua năm 2020 của Khối\nKế hoạch thi đua năm 2020 của Khối",
        "decisions": [
            "Thông qua các chỉ tiêu và kế hoạch thi đua năm 2020 của Khối",
            "Lãnh đạo 07 đơn vị thành viên ký kết giao ước thi đua, phối hợp thực hiện hoàn thành xuất sắc kế hoạch đề ra",
        ],
        "absent": [],
        "photos": ["Toàn cảnh Hội nghị"],
        "article": {
            "title": "Khối cơ quan tham mưu Kinh tế tỉnh ký giao ước thi đua năm 2020",
            "published": at(2020, 2, 4, 9),
            "lead": (
                "Ngày 15/01/2020, tại Ban Quản lý các khu công nghiệp – Trưởng khối, Khối thi đua các cơ quan tham mưu Kinh tế tỉnh "
                "đã tổ chức Hội nghị ký kết giao ước thi đua năm 2020."
            ),
            "body": (
                "Hội nghị có sự tham dự của 07 đơn vị trong Khối: Sở Truyền thông và Thông tin, Sở Xây dựng, Sở Công thương, "
                "Sở Giao thông Vận tải, Ban Quản lý các khu công nghiệp, Quỹ Đầu tư phát triển và Sở Nông nghiệp và Phát triển nông thôn.\n\n"
                "Hội nghị được tổ chức nhằm thực hiện Chỉ thị số 01/CT-UBND ngày 03/01/2020 của UBND tỉnh về phát động năm thi đua "
                "cao điểm thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2020, lập thành tích xuất sắc chào mừng Đại hội "
                "Đảng các cấp trong tỉnh nhiệm kỳ 2020-2025 và Đại hội Thi đua yêu nước tỉnh lần thứ VII năm 2020.\n\n"
                "Phát huy kết quả đạt được trong năm 2019, các đơn vị trong Khối đã thảo luận, đề xuất các phong trào thi đua sâu rộng, "
                "thiết thực, góp phần nâng cao hiệu quả, chất lượng công tác tham mưu kinh tế, hoàn thành tốt nhiệm vụ chính trị của tỉnh "
                "và chào mừng các ngày lễ lớn của năm 2020.\n\n"
                "Sau khi thống nhất các chỉ tiêu, kế hoạch được xây dựng và thông qua tại Hội nghị, lãnh đạo các đơn vị đã ký kết giao "
                "ước thi đua, cùng phối hợp thực hiện hoàn thành xuất sắc kế hoạch đề ra."
            ),
            "author": "Tin trong ngành BQLKCN",
        },
    },
    {
        "seed": "002",
        "province": blocs_data.NINH_THUAN["code"],
        "bloc": blocs_data.BLOC_GENERAL,
        "year": 2020,
        "kind": "mid_year",
        "starts_at": at(2020, 6, 17, 8),  # hour assumed
        "venue": "Sở Kế hoạch và Đầu tư",
        "host": "Sở Kế hoạch và Đầu tư",
        "chair": ("Hồ Minh Khoa", "Giám đốc Sở Kế hoạch và Đầu tư, Trưởng Khối thi đua"),  # assumed (demo leader)
        "secretary": ("Lương Thị Diệu", "Chuyên viên"),  # the demo secretary
        "minutes_number": "02/BB-KTĐTH",  # assumed
        "agenda": "Báo cáo kết quả công tác thi đua, khen thưởng 6 tháng đầu năm 2020\nThảo luận, góp ý Báo cáo\nPhương hướng, nhiệm vụ 6 tháng cuối năm 2020",
        "guests": [("Ngô Thị Kim Oanh", "Thành viên Hội đồng Thi đua – Khen thưởng tỉnh theo dõi Khối", "Ban Thi đua – Khen thưởng, Sở Nội vụ")],
        "results": (
            "Mặc dù chịu ảnh hưởng của dịch bệnh Covid-19 và hạn hán kéo dài trên diện rộng, các đơn vị trong Khối đã tích cực, chủ động "
            "tham mưu cho Tỉnh ủy, HĐND tỉnh, UBND tỉnh nhiều chủ trương, chính sách lớn để lãnh đạo, chỉ đạo phát triển kinh tế - xã hội "
            "của tỉnh kịp thời, hiệu quả.\n"
            "Cấp ủy, lãnh đạo các đơn vị luôn quan tâm lãnh đạo, chỉ đạo, động viên cán bộ, công chức và người lao động đoàn kết, năng động, "
            "sáng tạo, thực hiện thắng lợi nhiệm vụ 6 tháng đầu năm 2020."
        ),
        "next_plan": "Đề ra phương hướng, nhiệm vụ công tác thi đua, khen thưởng 6 tháng cuối năm 2020 nhằm hoàn thành xuất sắc các mục tiêu, nhiệm vụ thi đua đã ký kết giao ước đầu năm.",
        "discussion": "Các đại biểu đóng góp nhiều ý kiến thiết thực để hoàn thiện nội dung Báo cáo sơ kết.",
        "conclusions": "",
        "documents_adopted": "",
        "decisions": [
            "Thống nhất Báo cáo sơ kết phong trào thi đua, khen thưởng 6 tháng đầu năm 2020 của Khối",
            "Thống nhất phương hướng, nhiệm vụ công tác thi đua, khen thưởng 6 tháng cuối năm 2020",
        ],
        "absent": [],
        "photos": ["Quang cảnh Hội nghị", "Đại biểu thảo luận tại Hội nghị"],  # captions assumed ("Một số hình ảnh tại Hội nghị")
        "article": {
            "title": "Hội nghị sơ kết phong trào thi đua khen thưởng 06 tháng đầu năm 2020 Khối thi đua các cơ quan tham mưu tổng hợp tỉnh",
            "published": at(2020, 6, 17, 16),
            "lead": (
                "Ngày 17/6/2020, tại Sở Kế hoạch và Đầu tư, Khối thi đua các cơ quan tham mưu tổng hợp tỉnh tổ chức Hội nghị sơ kết "
                "phong trào thi đua, khen thưởng 06 tháng đầu năm 2020."
            ),
            "body": (
                "Tham dự Hội nghị có thành viên Hội đồng Thi đua – Khen thưởng tỉnh theo dõi Khối, đại diện lãnh đạo và cán bộ phụ trách "
                "công tác thi đua, khen thưởng của 07 đơn vị thành viên trong Khối.\n\n"
                "Hội nghị tập trung đánh giá kết quả công tác thi đua, khen thưởng và thực hiện nhiệm vụ chính trị 6 tháng đầu năm của "
                "các đơn vị thành viên, trên cơ sở đó đề ra phương hướng, nhiệm vụ 6 tháng cuối năm 2020.\n\n"
                "Năm 2020 là năm cuối thực hiện kế hoạch phát triển kinh tế - xã hội 5 năm 2016-2020, năm tổ chức Đại hội Đảng các cấp "
                "nhiệm kỳ 2020-2025 và Đại hội Thi đua yêu nước tỉnh lần thứ VII. Trong bối cảnh khó khăn do dịch Covid-19 và hạn hán kéo "
                "dài, các đơn vị trong Khối đã chủ động tham mưu nhiều chủ trương, chính sách lớn cho lãnh đạo tỉnh, bảo đảm kịp thời, "
                "hiệu quả.\n\n"
                "Thảo luận tại Hội nghị, các đại biểu đã đóng góp nhiều ý kiến thiết thực để hoàn thiện Báo cáo, đồng thời đề xuất cụ thể "
                "phương hướng, nhiệm vụ thi đua, khen thưởng của Khối 6 tháng cuối năm 2020, phấn đấu hoàn thành xuất sắc các mục tiêu "
                "đã ký kết giao ước đầu năm."
            ),
            "author": "",
        },
    },
    {
        "seed": "003",
        "province": blocs_data.PROVINCE_B["code"],
        "bloc": blocs_data.BLOC_B,
        "year": 2021,
        "kind": "signing",
        "starts_at": at(2021, 1, 22, 8),  # "sáng"; hour assumed
        "venue": "Hội trường tầng III, UBND tỉnh",
        "host": "Văn phòng UBND tỉnh",
        "chair": ("Trần Thị Hoài Trâm", "TUV, Ủy viên UBND tỉnh, Chánh Văn phòng UBND tỉnh, Trưởng Khối thi đua"),
        "secretary": ("Nguyễn Minh Hằng", "Chuyên viên Văn phòng UBND tỉnh"),  # assumed
        "minutes_number": "01/BB-KTH",  # assumed
        "agenda": "Phát biểu của Trưởng Khối thi đua\nThông qua nội dung giao ước thi đua năm 2021\nKý kết giao ước thi đua",
        "guests": [("Lãnh đạo Ban Thi đua – Khen thưởng", "Chứng kiến ký kết", "Sở Nội vụ")],
        "discussion": (
            "Đồng chí Trần Thị Hoài Trâm nhấn mạnh năm 2021 là năm đầu tiên triển khai thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh "
            "lần thứ XVI, nhiệm kỳ 2020-2025, Chiến lược phát triển kinh tế - xã hội 10 năm 2021-2030 và Kế hoạch 5 năm 2021-2025; "
            "đề nghị các đơn vị nỗ lực, quyết tâm cao để hoàn thành các nhiệm vụ, chỉ tiêu Khối Tổng hợp đề ra trong năm 2021."
        ),
        "conclusions": "Trên cơ sở chức năng, nhiệm vụ, các đơn vị cụ thể hóa giao ước thành chương trình hành động, đẩy mạnh phong trào thi đua của Khối.",
        "documents_adopted": "",
        "decisions": [
            "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao, góp phần thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội năm 2021 của tỉnh",
            "Thi đua đẩy mạnh cải cách hành chính gắn với phát triển chính quyền điện tử, dịch vụ đô thị thông minh",
            "Thi đua thực hiện tốt các chủ trương, chính sách của Đảng, pháp luật của Nhà nước; xây dựng đội ngũ cán bộ, nâng cao năng lực quản lý",
            "Thi đua thực hiện tốt công tác an ninh quốc phòng, phòng chống tham nhũng, lãng phí và các tệ nạn xã hội",
            "Thi đua xây dựng tổ chức Đảng, cơ quan và các đoàn thể quần chúng trong sạch, vững mạnh",
            "Thi đua triển khai thực hiện tốt các chủ trương, nhiệm vụ về công tác thi đua, khen thưởng",
        ],
        "absent": [],
        "photos": ["Toàn cảnh hội nghị", "Các đơn vị tham gia ký kết giao ước thi đua khối tổng hợp năm 2021"],
        "article": {
            "title": "Hội nghị ký kết giao ước thi đua Khối tổng hợp năm 2021",
            "published": at(2021, 1, 25, 9),
            "lead": (
                "Sáng ngày 22/01/2021, tại hội trường tầng III của UBND tỉnh, Khối thi đua tổng hợp tổ chức Hội nghị ký kết giao ước "
                "thi đua năm 2021."
            ),
            "body": (
                "Tham dự Hội nghị có lãnh đạo và cán bộ phụ trách công tác thi đua, khen thưởng của 11 cơ quan, đơn vị trong Khối: "
                "Văn phòng UBND tỉnh (Trưởng khối), Sở Nội vụ (Phó khối), Kho bạc Nhà nước, Văn phòng Đoàn ĐBQH tỉnh, Văn phòng HĐND tỉnh, "
                "Cục Thuế, Cục Thống kê, Ban Dân tộc, Sở Tài chính, Sở Kế hoạch và Đầu tư và Sở Ngoại vụ.\n\n"
                "Phát biểu tại Hội nghị, đồng chí Trần Thị Hoài Trâm, TUV, Ủy viên UBND tỉnh, Chánh Văn phòng UBND tỉnh, Trưởng Khối thi đua "
                "nhấn mạnh năm 2021 là năm đầu tiên thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVI, Chiến lược phát triển "
                "kinh tế - xã hội 10 năm 2021-2030; đề nghị các đơn vị nỗ lực, quyết tâm cao để hoàn thành các nhiệm vụ, chỉ tiêu Khối đề ra.\n\n"
                "Trước sự chứng kiến của lãnh đạo Ban Thi đua – Khen thưởng, Sở Nội vụ, các đơn vị đã ký kết giao ước thi đua, tập trung "
                "thực hiện 6 nhiệm vụ chính: hoàn thành xuất sắc nhiệm vụ chính trị; đẩy mạnh cải cách hành chính gắn với chính quyền điện tử; "
                "thực hiện tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước; bảo đảm an ninh quốc phòng, phòng chống tham nhũng, "
                "lãng phí; xây dựng tổ chức Đảng, cơ quan, đoàn thể trong sạch, vững mạnh; thực hiện tốt công tác thi đua, khen thưởng.\n\n"
                "Trên cơ sở chức năng, nhiệm vụ của mình, các đơn vị sẽ cụ thể hóa thành chương trình hành động, đẩy mạnh phong trào thi đua "
                "của Khối trên tinh thần đoàn kết, năng động, sáng tạo."
            ),
            "author": "Minh Hằng (T)",
        },
    },
    {
        "seed": "004",
        "province": blocs_data.NINH_THUAN["code"],
        "bloc": blocs_data.BLOC_GENERAL,
        "year": 2022,
        "kind": "signing",
        "starts_at": at(2022, 2, 28, 14),  # "chiều"; hour assumed
        "venue": "Văn phòng Đoàn ĐBQH và HĐND tỉnh",  # assumed: the head agency hosted
        "host": "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "chair": ("Nguyễn Thị Hồng Nhung", "Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh, Trưởng Khối thi đua"),  # assumed (demo leader)
        "secretary": ("Lương Thị Diệu", "Chuyên viên"),
        "minutes_number": "01/BB-KTĐTH",  # assumed
        "agenda": "Thông qua nội dung chương trình Hội nghị\nThảo luận Kế hoạch hoạt động phong trào thi đua và Quy chế hoạt động của Khối năm 2022\nKý kết giao ước thi đua năm 2022",
        "guests": [],
        "discussion": (
            "Các đơn vị thống nhất giữ vững và phát huy truyền thống đoàn kết, kết quả đạt được năm 2021; đổi mới nội dung, hình thức thi đua, "
            "gắn phong trào thi đua với nhiệm vụ chuyên môn, thực hiện tốt Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch UBND tỉnh, "
            "chào mừng kỷ niệm 30 năm Ngày tái lập tỉnh Ninh Thuận (01/4/1992 - 01/4/2022).\n"
            "Bám sát nhiệm vụ được phân công tại Thông báo số 09/TB-UBND ngày 18/01/2022 của UBND tỉnh về Trưởng, Phó Khối thi đua tỉnh "
            "năm 2022, các đại biểu thảo luận Kế hoạch hoạt động phong trào thi đua và Quy chế hoạt động của Khối."
        ),
        "conclusions": "Phấn đấu 100% cơ quan, đơn vị trong Khối hoàn thành tốt các chỉ tiêu trong giao ước thi đua đã ký.",
        "documents_adopted": "Kế hoạch hoạt động phong trào thi đua của Khối năm 2022\nQuy chế hoạt động của Khối thi đua các cơ quan tham mưu tổng hợp năm 2022",
        "decisions": [
            "Thông qua Bản giao ước thi đua năm 2022 của Khối",
            "Thông qua Kế hoạch hoạt động phong trào thi đua và Quy chế hoạt động của Khối năm 2022",
            "Phấn đấu 100% cơ quan, đơn vị trong Khối hoàn thành tốt các chỉ tiêu trong giao ước thi đua đã ký",
        ],
        "absent": [],
        "photos": [
            "Đại diện Trưởng Khối thi đua thông qua nội dung chương trình Hội nghị",
            "Đại diện lãnh đạo các cơ quan, đơn vị trong Khối tham gia ký kết giao ước thi đua",
        ],
        "link_pledge": True,
        "article": {
            "title": "Hội nghị ký kết giao ước thi đua của Khối thi đua các cơ quan tham mưu tổng hợp năm 2022",
            "published": at(2022, 3, 1, 9),
            "lead": (
                "Chiều ngày 28/02/2022, Văn phòng Đoàn ĐBQH và HĐND tỉnh, Trưởng Khối thi đua các cơ quan tham mưu tổng hợp tỉnh, tổ chức "
                "Hội nghị ký kết giao ước thi đua năm 2022. Hội nghị đã thông qua Bản giao ước thi đua, Kế hoạch hoạt động phong trào thi đua "
                "và Quy chế hoạt động của Khối năm 2022."
            ),
            "body": (
                "Tham dự Hội nghị có đại diện lãnh đạo và cán bộ phụ trách thi đua, khen thưởng của các cơ quan, đơn vị trong Khối: "
                "Văn phòng Đoàn ĐBQH và HĐND tỉnh, Sở Nội vụ, Văn phòng UBND tỉnh, Sở Tài chính, Sở Tài nguyên và Môi trường, "
                "Sở Khoa học và Công nghệ, Sở Kế hoạch và Đầu tư.\n\n"
                "Các đơn vị cùng thống nhất quyết tâm giữ vững và phát huy truyền thống đoàn kết, kết quả đạt được trong năm 2021; đổi mới "
                "nội dung, hình thức thi đua, gắn phong trào thi đua với nhiệm vụ chuyên môn, thực hiện tốt Chỉ thị số 02/CT-UBND ngày "
                "10/01/2022 của Chủ tịch UBND tỉnh, chào mừng kỷ niệm 30 năm Ngày tái lập tỉnh Ninh Thuận (01/4/1992 - 01/4/2022).\n\n"
                "Bám sát nhiệm vụ được phân công tại Thông báo số 09/TB-UBND ngày 18/01/2022 của UBND tỉnh về Trưởng, Phó Khối thi đua "
                "tỉnh năm 2022, các đại biểu đã thảo luận Kế hoạch hoạt động phong trào thi đua và Quy chế hoạt động của Khối để thống nhất "
                "ban hành, cùng thực hiện.\n\n"
                "Các cơ quan, đơn vị trong Khối đã nhất trí các nội dung giao ước thi đua, phấn đấu 100% cơ quan, đơn vị hoàn thành tốt "
                "các chỉ tiêu trong giao ước đã ký."
            ),
            "author": "Quách Văn Mạnh",
        },
    },
]
