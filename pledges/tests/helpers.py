"""Pledge test helpers: a draft with criteria, a version under signing, signing by every leader."""

import datetime
from decimal import Decimal

from pledges import services

CRITERIA = [
    {"group": "I. Thực hiện nhiệm vụ chính trị", "text": "Hoàn thành xuất sắc nhiệm vụ chính trị được giao, góp phần thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội", "max_points": Decimal("30"), "target": "100 % chỉ tiêu"},
    {"group": "I. Thực hiện nhiệm vụ chính trị", "text": "Đẩy mạnh cải cách hành chính gắn với phát triển chính quyền điện tử", "max_points": Decimal("20"), "target": ""},
    {"group": "II. Công tác thi đua, khen thưởng", "text": "Tổ chức triển khai thực hiện tốt công tác thi đua, khen thưởng; phát hiện, bồi dưỡng điển hình tiên tiến", "max_points": Decimal("15"), "target": ""},
]


def make_draft(world, *, criteria=CRITERIA, actor=None):
    actor = actor or world.secretary
    version = services.pledge_create(
        actor=actor, bloc_year=world.bloc_year, doc_number="48/BKK-KTĐ3", place="Ninh Thuận",
        date=datetime.date(2022, 2, 28), preamble="Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch UBND tỉnh.",
    )
    if criteria:
        services.criteria_save(actor=actor, version=version, rows=[dict(c) for c in criteria])
    version.refresh_from_db()
    return version


def make_signing(world, **kwargs):
    version = make_draft(world, **kwargs)
    services.review_open(actor=world.secretary, version=version)
    services.signing_open(actor=world.secretary, version=version)
    version.refresh_from_db()
    return version


def sign(version, leader, **extra):
    version.refresh_from_db()
    fields = {"signer_name": leader.get_full_name(), "signer_title": leader.title or "Giám đốc", "content_hash": version.content_hash}
    fields.update(extra)
    return services.pledge_sign(actor=leader, version=version, **fields)


def sign_all(version, leaders):
    for leader in leaders:
        sign(version, leader)
    version.refresh_from_db()
    return version


def edit_data(version, **changes):
    """What the edit page's one form posts as the version stands (heading, criteria), plus ``changes``."""
    data = {
        "pledge-title": version.title, "pledge-doc_number": version.doc_number, "pledge-place": version.place,
        "pledge-date": version.date.isoformat() if version.date else "", "pledge-preamble": version.preamble,
        "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0", "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "200",
    }
    for i, c in enumerate(version.criteria.all()):
        data.update({f"criteria-{i}-id": str(c.pk), f"criteria-{i}-group": c.group, f"criteria-{i}-text": c.text,
                     f"criteria-{i}-max_points": str(c.max_points), f"criteria-{i}-target": c.target, f"criteria-{i}-ORDER": str(i + 1)})
        data["criteria-TOTAL_FORMS"] = data["criteria-INITIAL_FORMS"] = str(i + 1)
    data.update(changes)
    return data
