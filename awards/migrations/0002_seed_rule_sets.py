"""The legal bases and one national template rule set per basis, from ../shared/RULES.md.

Every value carries its source. Where RULES.md says "not found", the value is the bloc
regulation's (set_by "regulation") with a default the board must confirm: its source says so.
The data is written out here (not imported from the app) so this migration never changes.
"""

import datetime

from django.db import migrations

D = datetime.date
NOT_FOUND = "Không tìm thấy trong luật, nghị định: mặc định của cổng, Quy chế hoạt động Khối quy định và ghi nguồn"

BASES = [
    {
        "name": "Nghị định 91/2017/NĐ-CP",
        "law": "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013)",
        "valid_from": D(2017, 10, 1),
        "valid_to": D(2023, 12, 31),
        "note": "Hiệu lực từ 01/10/2017; áp dụng đến 31/12/2023 (các năm 2019–2022 của dữ liệu mẫu).",
    },
    {
        "name": "Nghị định 98/2023/NĐ-CP",
        "law": "Luật Thi đua, khen thưởng số 06/2022/QH15",
        "valid_from": D(2024, 1, 1),
        "valid_to": D(2025, 6, 30),
        "note": "Áp dụng từ 01/01/2024 đến 30/6/2025.",
    },
    {
        "name": "Nghị định 152/2025/NĐ-CP",
        "law": "Luật Thi đua, khen thưởng số 06/2022/QH15",
        "valid_from": D(2025, 7, 1),
        "valid_to": None,
        "note": "Áp dụng từ 01/7/2025; bãi bỏ NĐ 98/2023/NĐ-CP và NĐ 28/2024/NĐ-CP (Điều 59).",
    },
]

CAN_THO = "Cần Thơ QĐ 2579/QĐ-UBND (21/11/2025)"
BAC_NINH = "Bắc Ninh QĐ 86/2025/QĐ-UBND"
BLOC_VOTE = "Không tìm thấy trong luật; thông lệ: 2/3 thành viên có mặt, trên 1/2 tổng số thành viên đồng ý — Quy chế hoạt động Khối quy định"

COMMON_VALUES = [
    ("scale_total", "100", "regulation", f"{CAN_THO}, Điều 3–4 (ví dụ có nguồn; Quy chế Khối quy định thang điểm riêng)"),
    ("score_step", "0.25", "regulation", NOT_FOUND),
    ("bonus_cap", "3", "regulation", f"{CAN_THO}, Điều 3–4"),
    ("penalty_cap", "3", "regulation", f"{CAN_THO}, Điều 3–4"),
    ("tie_break", "ranking_body", "regulation", f"{CAN_THO}, Điều 8.2 (cơ quan xếp hạng quyết định)"),
    ("band_cap_discipline", "Khiển trách người đứng đầu hoặc cấp phó: tối đa “Hoàn thành tốt”; cảnh cáo: tối đa “Hoàn thành”",
     "regulation", f"{CAN_THO}, Điều 6.5"),
    ("self_score_deadline", "30/11", "regulation", NOT_FOUND),
    ("objection_window_days", "5", "regulation", NOT_FOUND),
    ("dossier_deadline", "10/12", "regulation", f"{BAC_NINH}, Điều 6.2 (ví dụ có nguồn; Ban Thi đua – Khen thưởng tỉnh quy định)"),
    ("ballot_quorum", "2/3", "regulation", BLOC_VOTE),
    ("ballot_threshold", "1/2", "regulation", BLOC_VOTE),
    ("ballot_threshold_rule", "more_than", "regulation", BLOC_VOTE),
    ("ballot_threshold_base", "all_members", "regulation", BLOC_VOTE),
    ("ballot_max_rounds", "2", "regulation", "TT 01/2024/TT-TANDTC, Điều 29 (ví dụ của ngành Tòa án: tối đa hai vòng, sau đó Trưởng khối và Phó khối quyết định)"),
]

PER_BASIS_VALUES = {
    "Nghị định 91/2017/NĐ-CP": [
        ("ballot_secret", "secret", "regulation", "NĐ 91/2017/NĐ-CP, Điều 45.8 (“bỏ phiếu kín”)"),
        ("cp_flag_proposal_cap", "20", "decree", "NĐ 91/2017/NĐ-CP, Điều 11.1 (≤ 20 % số tập thể đủ tiêu chuẩn Cờ thi đua của UBND tỉnh)"),
    ],
    "Nghị định 98/2023/NĐ-CP": [
        ("ballot_secret", "secret", "regulation", "NĐ 98/2023/NĐ-CP, Điều 30.7 chỉ ghi “bỏ phiếu”; giữ bỏ phiếu kín theo thông lệ — Quy chế Khối có thể cho biểu quyết công khai"),
        ("cp_flag_proposal_cap", "20", "regulation", "Không có trong NĐ 98/2023/NĐ-CP: giá trị của Ban Thi đua – Khen thưởng (mặc định theo mức cũ của NĐ 91/2017/NĐ-CP, Điều 11.1)"),
        ("council_award_threshold", "80", "decree", "NĐ 98/2023/NĐ-CP, Điều 30.7 (cấp Hội đồng, không phải cấp khối; thành viên vắng mặt trả lời bằng văn bản)"),
    ],
    "Nghị định 152/2025/NĐ-CP": [
        ("ballot_secret", "secret", "regulation", "NĐ 98/2023/NĐ-CP, Điều 30.7 chỉ ghi “bỏ phiếu”; giữ bỏ phiếu kín theo thông lệ — Quy chế Khối có thể cho biểu quyết công khai"),
        ("cp_flag_proposal_cap", "20", "regulation", "Không có trong NĐ 152/2025/NĐ-CP: giá trị của Ban Thi đua – Khen thưởng (mặc định theo mức cũ của NĐ 91/2017/NĐ-CP, Điều 11.1)"),
        ("award_bars", "Đang bị xem xét kỷ luật, thanh tra, giải quyết khiếu nại; khi bằng nhau ưu tiên nữ hoặc tập thể có từ 70 % nữ",
         "decree", "NĐ 152/2025/NĐ-CP, Điều 4"),
    ],
}

BANDS = [
    ("Hoàn thành xuất sắc nhiệm vụ", "95", None, True, f"{CAN_THO}, Điều 6.1 (≥ 95 điểm và không có tiêu chí 0 điểm)"),
    ("Hoàn thành tốt nhiệm vụ", "85", "95", True, f"{CAN_THO}, Điều 6.2 (từ 85 đến dưới 95, không có tiêu chí 0 điểm)"),
    ("Hoàn thành nhiệm vụ", "75", "85", False, f"{CAN_THO}, Điều 6.3 (từ 75 đến dưới 85)"),
    ("Không hoàn thành nhiệm vụ", None, "75", False,
     f"{CAN_THO}, Điều 6.4 (dưới 75; hoặc tham nhũng, mất đoàn kết nghiêm trọng, người đứng đầu bị cách chức, bị khởi tố, không tự đánh giá)"),
]

OLD_LAW = "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013); điều tương ứng: "
AWARDS = [
    ("co-chinh-phu", "Cờ thi đua của Chính phủ", "government", "collective",
     "Luật 06/2022/QH15, Điều 25.1 (tập thể dẫn đầu khối, cụm thi đua; vượt chỉ tiêu; nội bộ đoàn kết)"),
    ("co-ubnd-tinh", "Cờ thi đua của UBND tỉnh", "province", "collective",
     "Luật 06/2022/QH15, Điều 26 (tập thể dẫn đầu khối do tỉnh tổ chức; vượt chỉ tiêu)"),
    ("bang-khen-thu-tuong", "Bằng khen của Thủ tướng Chính phủ", "government", "both", "Luật 06/2022/QH15, Điều 73"),
    ("bang-khen-chu-tich-tinh", "Bằng khen của Chủ tịch UBND tỉnh", "province", "both",
     f"Luật 06/2022/QH15, Điều 74; {BAC_NINH}, Điều 3.3.c (ví dụ: tập thể hai năm liền hoàn thành xuất sắc)"),
    ("tap-the-ldxs", "Tập thể lao động xuất sắc", "province", "collective",
     f"{BAC_NINH}, Điều 3.2 (Luật 06/2022/QH15, Điều 27): 100 % thành viên hoàn thành nhiệm vụ, ≥ 70 % đạt “Lao động tiên tiến”, có “Chiến sĩ thi đua cơ sở”"),
]
# Bắc Ninh 2025: one leading collective per bloc gets the provincial flag (a regulation's optional quota).
QUOTAS = {("Nghị định 152/2025/NĐ-CP", "co-ubnd-tinh"): (1, f"; {BAC_NINH}, Điều 3.1 (mỗi khối một tập thể dẫn đầu)")}


def seed(apps, schema_editor):
    LegalBasis = apps.get_model("awards", "LegalBasis")
    RuleSet = apps.get_model("awards", "RuleSet")
    RuleValue = apps.get_model("awards", "RuleValue")
    RatingBand = apps.get_model("awards", "RatingBand")
    AwardType = apps.get_model("awards", "AwardType")
    for fields in BASES:
        basis, _ = LegalBasis.objects.get_or_create(name=fields["name"], defaults=fields)
        if RuleSet.objects.filter(province__isnull=True, legal_basis=basis).exists():
            continue
        rule_set = RuleSet.objects.create(
            legal_basis=basis, name=f"Bộ mẫu theo {basis.name}", valid_from=basis.valid_from, valid_to=basis.valid_to
        )
        RuleValue.objects.bulk_create(
            RuleValue(rule_set=rule_set, key=k, value=v, set_by=by, source=src)
            for k, v, by, src in [*COMMON_VALUES, *PER_BASIS_VALUES[basis.name]]
        )
        RatingBand.objects.bulk_create(
            RatingBand(rule_set=rule_set, name=n, min_total=lo, max_total=hi, requires_no_zero_criterion=nz, order=i, source=src)
            for i, (n, lo, hi, nz, src) in enumerate(BANDS, start=1)
        )
        rows = []
        for code, name, level, recipients, source in AWARDS:
            if basis.name == "Nghị định 91/2017/NĐ-CP":
                source = OLD_LAW + source
            quota, quota_source = QUOTAS.get((basis.name, code), (None, ""))
            rows.append(AwardType(rule_set=rule_set, code=code, name=name, level=level, recipients=recipients,
                                  per_bloc_quota=quota, source=source + quota_source))
        AwardType.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
