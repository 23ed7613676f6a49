"""Copying and editing rule sets, choosing one for a bloc-year: what is saved, refused, audited."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import AwardType, RatingBand, RuleSet, RuleValue
from awards.tests.helpers import value_rows
from core.models import AuditEntry

D = datetime.date
SOURCE = "Quy chế hoạt động Khối, Điều 8"


def _bands(rule_set):
    return [
        {"name": b.name, "min_total": b.min_total, "max_total": b.max_total,
         "requires_no_zero_criterion": b.requires_no_zero_criterion, "source": b.source}
        for b in rule_set.bands.order_by("order")
    ]


def test_copy_takes_every_value_band_and_award_type(world, templates):
    template = templates["Nghị định 98/2023/NĐ-CP"]
    copy = services.rule_set_copy(actor=world.board, rule_set=template, province=world.province,
                                  name="Quy chế 2024", valid_from=D(2024, 1, 1), valid_to=D(2025, 6, 30))
    assert copy.copied_from == template and copy.created_by == world.board and copy.province == world.province
    strip = lambda rows: sorted(tuple(r) for r in rows)  # noqa: E731
    assert strip(copy.values.values_list("key", "value", "set_by", "source")) == strip(template.values.values_list("key", "value", "set_by", "source"))
    assert copy.bands.count() == template.bands.count() == 4
    assert copy.award_types.count() == template.award_types.count() == 5
    entry = AuditEntry.objects.get(action="awards.rule_set_copy")
    assert entry.object_id == str(copy.pk) and entry.data["from"] == template.pk


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "message"),
    [
        (D(2023, 1, 1), D(2024, 6, 30), "nằm trong thời gian hiệu lực của Nghị định 98/2023/NĐ-CP"),
        (D(2024, 1, 1), None, "nằm trong thời gian hiệu lực"),
        (D(2025, 1, 1), D(2024, 2, 1), "Ngày hết áp dụng phải sau"),
    ],
)
def test_copy_dates_stay_inside_the_legal_basis(world, templates, valid_from, valid_to, message):
    with pytest.raises(ValidationError, match=message):
        services.rule_set_copy(actor=world.board, rule_set=templates["Nghị định 98/2023/NĐ-CP"], province=world.province,
                               name="Quy chế", valid_from=valid_from, valid_to=valid_to)
    assert not RuleSet.objects.filter(province=world.province).exists()


def test_two_rule_sets_of_a_province_may_not_overlap(world, templates, ninh_thuan_rules):
    with pytest.raises(ValidationError, match="trùng với “Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận”"):
        services.rule_set_copy(actor=world.board, rule_set=ninh_thuan_rules, province=world.province,
                               name="Bản khác", valid_from=D(2022, 1, 1), valid_to=D(2023, 12, 31))
    # another province may hold its own
    services.rule_set_copy(actor=world.outsider, rule_set=ninh_thuan_rules, province=world.other_province,
                           name="Bản khác", valid_from=D(2022, 1, 1), valid_to=D(2023, 12, 31))


def test_copy_refuses_a_blank_or_duplicate_name(world, templates, ninh_thuan_rules):
    with pytest.raises(ValidationError, match="Hãy đặt tên"):
        services.rule_set_copy(actor=world.board, rule_set=templates["Nghị định 98/2023/NĐ-CP"], province=world.province,
                               name="\u200b ", valid_from=D(2024, 1, 1), valid_to=D(2025, 6, 30))
    with pytest.raises(ValidationError, match="đã có bộ quy tắc với tên này"):
        services.rule_set_copy(actor=world.board, rule_set=templates["Nghị định 98/2023/NĐ-CP"], province=world.province,
                               name=ninh_thuan_rules.name, valid_from=D(2024, 1, 1), valid_to=D(2025, 6, 30))


def test_edit_saves_the_value_with_its_source_and_audits_old_and_new(world, ninh_thuan_rules):
    old_version = ninh_thuan_rules.version
    services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, version=old_version,
                              rows=value_rows(ninh_thuan_rules, bonus_cap=("2,5", f"  {SOURCE}\u200b")))
    row = RuleValue.objects.get(rule_set=ninh_thuan_rules, key="bonus_cap")
    assert (row.value, row.source) == ("2.5", SOURCE)
    ninh_thuan_rules.refresh_from_db()
    assert ninh_thuan_rules.version != old_version
    entry = AuditEntry.objects.get(action="awards.rule_values_save")
    assert entry.data["values"] == [{"key": "bonus_cap", "old": "3", "new": "2.5",
                                     "old_source": "Cần Thơ QĐ 2579/QĐ-UBND (21/11/2025), Điều 3–4", "new_source": SOURCE}]


def test_saving_nothing_new_writes_no_audit_entry(world, ninh_thuan_rules):
    services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, rows=value_rows(ninh_thuan_rules),
                              bands=_bands(ninh_thuan_rules))
    assert not AuditEntry.objects.filter(action="awards.rule_values_save").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bonus_cap": ("4", "")}, "Phải ghi nguồn"),
        ({"bonus_cap": ("4", " \u200b ")}, "Phải ghi nguồn"),
        ({"bonus_cap": ("-1", SOURCE)}, "từ 0 trở lên"),
        ({"bonus_cap": ("1e400", SOURCE)}, "quá lớn"),
        ({"bonus_cap": ("9" * 60, SOURCE)}, "quá lớn"),
        ({"bonus_cap": ("ba", SOURCE)}, "không phải là một số"),
        ({"bonus_cap": ("3\x00", SOURCE)}, "không phải là một số"),
        ({"bonus_cap": ("3", "Điều 8\x00")}, "ký tự điều khiển"),
        ({"bonus_cap": ("3", "x" * 501)}, "vượt quá mức tối đa 500"),
        ({"objection_window_days": ("2.5", SOURCE)}, "số nguyên"),
        ({"ballot_quorum": ("3/2", SOURCE)}, "phân số từ 0 đến 1"),
        ({"ballot_threshold_base": ("everybody", SOURCE)}, "chọn một giá trị"),
        ({"dossier_deadline": ("31/11", SOURCE)}, "ngày/tháng có thật"),
        ({"scale_total": ("", SOURCE)}, "Hãy nhập giá trị"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(world, ninh_thuan_rules, changes, message):
    before = list(RuleValue.objects.filter(rule_set=ninh_thuan_rules).values_list("key", "value", "source"))
    with pytest.raises(ValidationError, match=message):
        services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules,
                                  rows=value_rows(ninh_thuan_rules, **changes))
    assert list(RuleValue.objects.filter(rule_set=ninh_thuan_rules).values_list("key", "value", "source")) == before


def test_percent_is_0_to_100(world, templates):
    copy = services.rule_set_copy(actor=world.board, rule_set=templates["Nghị định 152/2025/NĐ-CP"], province=world.province,
                                  name="Quy chế 2025", valid_from=D(2025, 7, 1), valid_to=None)
    with pytest.raises(ValidationError, match="không được lớn hơn 100"):
        services.rule_values_save(actor=world.board, rule_set=copy, rows=value_rows(copy, cp_flag_proposal_cap=("120", SOURCE)))
    services.rule_values_save(actor=world.board, rule_set=copy, rows=value_rows(copy, cp_flag_proposal_cap=("15", SOURCE)))
    assert copy.values.get(key="cp_flag_proposal_cap").value == "15"


def test_decree_values_are_read_only(world, ninh_thuan_rules):
    with pytest.raises(ValidationError, match="do Nghị định quy định"):
        services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules,
                                  rows=[{"key": "cp_flag_proposal_cap", "value": "30", "source": SOURCE}])
    with pytest.raises(ValidationError, match="không có trong danh mục"):
        services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, rows=[{"key": "nope", "value": "1", "source": SOURCE}])
    assert ninh_thuan_rules.values.get(key="cp_flag_proposal_cap").value == "20"


def test_a_stale_page_is_refused(world, ninh_thuan_rules):
    seen = ninh_thuan_rules.version
    services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, version=seen,
                              rows=value_rows(ninh_thuan_rules, bonus_cap=("2", SOURCE)))
    with pytest.raises(ValidationError, match="vừa được sửa ở một trang khác"):
        services.rule_values_save(actor=world.board, rule_set=RuleSet.objects.get(pk=ninh_thuan_rules.pk), version=seen,
                                  rows=value_rows(ninh_thuan_rules, bonus_cap=("4", SOURCE)))
    assert ninh_thuan_rules.values.get(key="bonus_cap").value == "2"


def test_bands_are_saved_in_order_and_audited(world, ninh_thuan_rules):
    bands = _bands(ninh_thuan_rules)
    bands[0]["min_total"] = "96"
    bands[1]["max_total"] = "96"
    services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, rows=[], bands=bands)
    assert list(RatingBand.objects.filter(rule_set=ninh_thuan_rules).values_list("min_total", flat=True)) == [
        Decimal(96), Decimal(85), Decimal(75), None]
    assert AuditEntry.objects.get(action="awards.rule_values_save").data["bands"]["new"][0]["min_total"] == "96"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda b: b[1].update(max_total="97"), "chồng lên"),
        (lambda b: b.reverse(), "từ cao xuống thấp"),
        (lambda b: b[2].update(min_total="90", max_total="80"), "phải nhỏ hơn"),
        (lambda b: b[0].update(source=""), "Phải ghi nguồn"),
        (lambda b: b[0].update(min_total="1e9"), "từ -10000 đến 10000"),
        (lambda b: b.clear(), "ít nhất một mức"),
    ],
)
def test_bad_bands_are_refused(world, ninh_thuan_rules, edit, message):
    bands = _bands(ninh_thuan_rules)
    edit(bands)
    with pytest.raises(ValidationError, match=message):
        services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, rows=[], bands=bands)
    assert ninh_thuan_rules.bands.count() == 4


def test_quotas_need_a_source(world, ninh_thuan_rules):
    services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, rows=[],
                              quotas={"co-ubnd-tinh": (3, "Biên bản hội nghị tổng kết 2019 của Khối")})
    assert AwardType.objects.get(rule_set=ninh_thuan_rules, code="co-ubnd-tinh").per_bloc_quota == 3
    with pytest.raises(ValidationError, match="Phải ghi nguồn"):
        services.rule_values_save(actor=world.board, rule_set=ninh_thuan_rules, rows=[], quotas={"co-ubnd-tinh": (1, "")})


def test_choose_only_the_provinces_rule_sets_or_templates_and_audit(world, templates, ninh_thuan_rules):
    other = services.rule_set_copy(actor=world.outsider, rule_set=templates["Nghị định 91/2017/NĐ-CP"], province=world.other_province,
                                   name="Khác", valid_from=D(2020, 1, 1), valid_to=D(2020, 12, 31))
    with pytest.raises(ValidationError, match="Chỉ chọn được bộ quy tắc của tỉnh này"):
        services.bloc_year_rule_set_choose(actor=world.board, bloc_year=world.bloc_year, rule_set=other)
    services.bloc_year_rule_set_choose(actor=world.board, bloc_year=world.bloc_year, rule_set=templates["Nghị định 98/2023/NĐ-CP"])
    entry = AuditEntry.objects.get(action="awards.bloc_year_rule_set_choose")
    assert entry.data == {"old": None, "new": {"id": templates["Nghị định 98/2023/NĐ-CP"].pk, "name": "Bộ mẫu theo Nghị định 98/2023/NĐ-CP"}}
