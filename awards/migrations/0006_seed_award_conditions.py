"""The sourced conditions of the seeded award types (RULES.md), added to every rule set that has
the award type (templates and the provinces' copies); idempotent."""

from django.db import migrations

BAC_NINH = "Bắc Ninh QĐ 86/2025/QĐ-UBND"
CONDITIONS = {
    "co-chinh-phu": [
        ("leads_bloc", "", "Là tập thể dẫn đầu khối thi đua", "hard", "Luật 06/2022/QH15, Điều 25.1"),
        ("declared", "", "Hoàn thành vượt mức các chỉ tiêu thi đua; nội bộ đoàn kết", "warning", "Luật 06/2022/QH15, Điều 25.1"),
    ],
    "co-ubnd-tinh": [
        ("leads_bloc", "", "Là tập thể dẫn đầu khối thi đua do tỉnh tổ chức", "hard",
         f"Luật 06/2022/QH15, Điều 26; {BAC_NINH}, Điều 3.1"),
        ("declared", "", "Hoàn thành vượt mức các chỉ tiêu thi đua", "warning", "Luật 06/2022/QH15, Điều 26"),
    ],
    "bang-khen-chu-tich-tinh": [
        ("band_years", "2", "Hai năm liền hoàn thành xuất sắc nhiệm vụ", "warning", f"{BAC_NINH}, Điều 3.3.c (ví dụ có nguồn)"),
    ],
    "tap-the-ldxs": [
        ("declared", "", "100 % thành viên hoàn thành nhiệm vụ, từ 70 % đạt “Lao động tiên tiến”, có “Chiến sĩ thi đua cơ sở”",
         "warning", f"{BAC_NINH}, Điều 3.2 (Luật 06/2022/QH15, Điều 27)"),
    ],
}


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    AwardCondition = apps.get_model("awards", "AwardCondition")
    rows = []
    for award_type in AwardType.objects.filter(code__in=list(CONDITIONS)).exclude(conditions__isnull=False):
        for kind, value, text, severity, source in CONDITIONS[award_type.code]:
            rows.append(AwardCondition(award_type=award_type, kind=kind, value=value, text=text, severity=severity, source=source))
    AwardCondition.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_yearend")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
