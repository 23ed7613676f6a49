"""Demo pledges, built from the published reports (shared/seeds). Idempotent.

- Seed 004: Khối thi đua các cơ quan tham mưu tổng hợp, 2022, signed by every member's leader on
  28/02/2022, with its PDF rendered in-process.
- The economy bloc (seed 000's bloc), 2022: still collecting signatures (some signed, some not).
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from blocs import demo_data
from blocs.models import BlocYear, Role, RoleAssignment, User
from core.documents import document_render
from core.models import IssuedDocument, JobStatus
from pledges import services
from pledges.models import Comment, Decline, Pledge, PledgeState, PledgeVersion, Signature

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

GENERAL_PREAMBLE = (
    "Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch Ủy ban nhân dân tỉnh về phát động thi đua thực hiện "
    "thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2022, chào mừng kỷ niệm 30 năm Ngày tái lập tỉnh Ninh Thuận "
    "(01/4/1992 - 01/4/2022);\n"
    "Căn cứ Thông báo số 09/TB-UBND ngày 18/01/2022 của UBND tỉnh về Trưởng, Phó Khối thi đua tỉnh năm 2022;\n"
    "Các cơ quan, đơn vị trong Khối thống nhất quyết tâm giữ vững và phát huy truyền thống đoàn kết, kết quả đạt được "
    "trong năm 2021, phấn đấu hoàn thành tốt nhiệm vụ chính trị; đổi mới nội dung, hình thức thi đua, gắn các phong trào "
    "thi đua với thực hiện nhiệm vụ chuyên môn."
)

# Seed 004 ("100 % các cơ quan, đơn vị trong Khối hoàn thành tốt các chỉ tiêu") and the six main tasks of seed 003.
GENERAL_CRITERIA = [
    ("I. Thực hiện nhiệm vụ chính trị", "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao với chất lượng và hiệu quả cao nhất, góp phần thực hiện thắng lợi các chỉ tiêu kinh tế - xã hội năm 2022 của tỉnh", "30", "100 % cơ quan, đơn vị hoàn thành tốt các chỉ tiêu đã giao ước"),
    ("I. Thực hiện nhiệm vụ chính trị", "Đẩy mạnh cải cách hành chính gắn với phát triển chính quyền điện tử, chuyển đổi số", "15", "100 % hồ sơ công việc được xử lý trên môi trường mạng"),
    ("I. Thực hiện nhiệm vụ chính trị", "Thực hiện tốt các chủ trương, chính sách của Đảng, pháp luật của Nhà nước; xây dựng, củng cố đội ngũ cán bộ, nâng cao năng lực quản lý", "10", ""),
    ("II. Xây dựng tổ chức, phòng chống tham nhũng", "Thực hiện tốt công tác an ninh quốc phòng, đấu tranh phòng chống tham nhũng, lãng phí, phòng, chống các tệ nạn xã hội", "10", ""),
    ("II. Xây dựng tổ chức, phòng chống tham nhũng", "Xây dựng tổ chức Đảng, cơ quan và các đoàn thể quần chúng trong sạch, vững mạnh", "10", ""),
    ("III. Công tác thi đua, khen thưởng", "Tổ chức triển khai thực hiện tốt các chủ trương, nhiệm vụ về công tác thi đua, khen thưởng; hưởng ứng các đợt thi đua chào mừng 30 năm Ngày tái lập tỉnh", "15", ""),
    ("III. Công tác thi đua, khen thưởng", "Tham gia đầy đủ các hoạt động của Khối; báo cáo sơ kết, tổng kết đúng thời hạn", "10", "Báo cáo đúng hạn 100 %"),
]

ECONOMY_PREAMBLE = (
    "Thực hiện Chỉ thị số 02/CT-UBND ngày 10/01/2022 của Chủ tịch Ủy ban nhân dân tỉnh về phát động thi đua thực hiện "
    "thắng lợi nhiệm vụ phát triển kinh tế - xã hội năm 2022;\n"
    "Nhằm tiếp tục phát huy những kết quả đạt được, đẩy mạnh phong trào thi đua yêu nước trên mọi lĩnh vực, nâng cao "
    "hiệu quả, chất lượng của các đơn vị thi đua trong khối tham mưu kinh tế."
)
ECONOMY_CRITERIA = [
    ("", "Tham mưu hoàn thành các chỉ tiêu phát triển kinh tế - xã hội năm 2022 thuộc lĩnh vực được giao", "40", "100 % chỉ tiêu"),
    ("", "Cải cách hành chính, nâng cao chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", "20", ""),
    ("", "Phối hợp giữa các đơn vị trong Khối thực hiện các dự án, chương trình trọng điểm của tỉnh", "20", ""),
    ("", "Thực hiện tốt công tác thi đua, khen thưởng và tham gia hoạt động của Khối", "20", ""),
]

ECONOMY_COMMENTS = [
    ("Sở Xây dựng", 1, "Đề nghị bổ sung chỉ tiêu cụ thể về thời gian giải quyết thủ tục hành chính.",
     "Thư ký Khối tiếp thu; sẽ đưa vào hướng dẫn chấm điểm."),
    ("Quỹ Đầu tư phát triển", None, "Thống nhất với dự thảo.", "Cảm ơn đơn vị."),
]


def _rows(criteria):
    return [{"group": g, "text": t, "max_points": Decimal(p), "target": target} for g, t, p, target in criteria]


def _leader_of(agency):
    assignment = (
        RoleAssignment.objects.filter(role=Role.LEADER, agency=agency).select_related("user").order_by("user__username").first()
    )
    return assignment.user if assignment else None


def _secretary_of(bloc_year):
    assignment = RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).select_related("user").order_by("id").first()
    return assignment.user if assignment else User.objects.filter(is_superuser=True).first()


def _officer_of(agency):
    assignment = RoleAssignment.objects.filter(role=Role.OFFICER, agency=agency).select_related("user").order_by("id").first()
    return assignment.user if assignment else None


def _build(bloc_year, *, doc_number, date, preamble, criteria, comments=(), place="Ninh Thuận"):
    """Draft, review (with ``comments``: (agency name, criterion index, text, secretary's answer)), open signing."""
    secretary = _secretary_of(bloc_year)
    version = services.pledge_create(
        actor=secretary, bloc_year=bloc_year, doc_number=doc_number, place=place, date=date, preamble=preamble
    )
    services.criteria_save(actor=secretary, version=version, rows=_rows(criteria))
    services.review_open(actor=secretary, version=version)
    members = {m.agency.name: m.agency for m in bloc_year.memberships.select_related("agency")}
    review_day = datetime.datetime.combine(date - datetime.timedelta(days=5), datetime.time(8, 0), tzinfo=TZ)
    for n, (agency_name, index, text, answer) in enumerate(comments):
        author = _officer_of(members[agency_name])
        criterion = version.criteria.all()[index] if index is not None else None
        comment = services.comment_add(actor=author, version=version, body=text, criterion=criterion)
        reply = services.comment_add(actor=secretary, version=version, body=answer, reply_to=comment)
        Comment.objects.filter(pk=comment.pk).update(created_at=review_day + datetime.timedelta(hours=n))
        Comment.objects.filter(pk=reply.pk).update(created_at=review_day + datetime.timedelta(hours=n, minutes=30))
    return services.signing_open(actor=secretary, version=version)


def _sign(version, agencies, at):
    """Sign for ``agencies`` in order, one minute apart from ``at`` (the historical signing time)."""
    for minute, agency in enumerate(agencies):
        leader = _leader_of(agency)
        if leader is None:
            continue
        version.refresh_from_db()
        if version.state != PledgeState.SIGNING:
            break
        signature = services.pledge_sign(
            actor=leader, version=version, signer_name=leader.get_full_name(), signer_title=leader.title or agency.leader_title,
            content_hash=version.content_hash,
        )
        Signature.objects.filter(pk=signature.pk).update(signed_at=at + datetime.timedelta(minutes=minute))
    version.refresh_from_db()
    return version


def _render_now(version):
    """Render the signed PDF here and now, whatever the broker setting (the demo must show it)."""
    document = IssuedDocument.objects.filter(source_id=version.pk, kind="pledge").first()
    if document is not None and document.status != JobStatus.DONE:
        document_render(document_id=document.pk)


def load():
    general = BlocYear.objects.get(bloc__name=demo_data.BLOC_GENERAL, bloc__province__code=demo_data.NINH_THUAN["code"], year=2022)
    economy = BlocYear.objects.get(bloc__name=demo_data.BLOC_ECONOMY, bloc__province__code=demo_data.NINH_THUAN["code"], year=2022)
    signed = None
    with transaction.atomic():
        if not Pledge.objects.filter(bloc_year=general).exists():
            version = _build(general, doc_number="01/GƯ-KTĐTH", date=datetime.date(2022, 2, 28), preamble=GENERAL_PREAMBLE,
                             criteria=GENERAL_CRITERIA)
            members = [m.agency for m in general.memberships.select_related("agency").order_by("agency__name")]
            signed = _sign(version, members, datetime.datetime(2022, 2, 28, 14, 30, tzinfo=TZ))
            signed.signed_at = datetime.datetime(2022, 2, 28, 14, 30 + len(members), tzinfo=TZ)
            signed.save(update_fields=["signed_at"])
        if not Pledge.objects.filter(bloc_year=economy).exists():
            version = _build(economy, doc_number="02/GƯ-KTTKT", date=datetime.date(2022, 2, 15), preamble=ECONOMY_PREAMBLE,
                             criteria=ECONOMY_CRITERIA, comments=ECONOMY_COMMENTS)
            members = [m.agency for m in economy.memberships.select_related("agency").order_by("agency__name")]
            _sign(version, members[:3], datetime.datetime(2022, 2, 15, 9, 0, tzinfo=TZ))
            declining = _leader_of(members[3])
            if declining is not None:
                decline = services.pledge_decline(
                    actor=declining, version=version,
                    reason="Đề nghị Khối làm rõ cách chấm tiêu chí 3 (phối hợp thực hiện dự án) trước khi đơn vị ký.",
                )
                Decline.objects.filter(pk=decline.pk).update(created_at=datetime.datetime(2022, 2, 15, 10, 0, tzinfo=TZ))
    for version in [v for v in general.pledge.versions.all() if v.state == PledgeState.SIGNED]:
        _render_now(version)
    _deadline_ahead(economy)
    return {"signed": signed}


def _deadline_ahead(bloc_year):
    """The pledge still in signing gets a deadline next week (relative to the day the demo loads), so
    its unsigned leaders are reminded (``manage.py send_reminders``) and see it under "Việc cần làm"."""
    today = timezone.localdate()
    PledgeVersion.objects.filter(pledge__bloc_year=bloc_year, state=PledgeState.SIGNING).filter(
        Q(signing_deadline__isnull=True) | Q(signing_deadline__lt=today)
    ).update(signing_deadline=today + datetime.timedelta(days=7))
