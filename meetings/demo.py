"""Demo meetings of seeds 000, 002, 003 and 004: approved minutes (with PDF) and published articles. Idempotent."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from blocs import demo_data as blocs_data
from blocs.models import Agency, BlocYear, Membership, Role, RoleAssignment, User
from core.documents import document_render
from core.models import IssuedDocument, JobStatus
from meetings import services
from meetings.demo_data import MEETINGS
from meetings.models import Article, Meeting, MeetingKind, MeetingState, MinutesRevision

_PALETTE = [((164, 22, 26), (250, 225, 180)), ((22, 82, 140), (220, 235, 250)), ((30, 110, 60), (225, 245, 230))]


def _font(size):
    from django.contrib.staticfiles import finders

    path = finders.find("fonts/LiberationSerif-Bold.ttf")
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def placeholder_photo(caption, index):
    """A simple stand-in picture: a hall with a stage banner and rows of seats, and the caption."""
    dark, light = _PALETTE[index % len(_PALETTE)]
    image = Image.new("RGB", (960, 640), light)
    draw = ImageDraw.Draw(image)
    draw.rectangle([60, 40, 900, 190], fill=dark)
    draw.text((480, 95), "HỘI NGHỊ", font=_font(44), fill="white", anchor="mm")
    draw.text((480, 150), "Khối thi đua", font=_font(28), fill=(255, 230, 150), anchor="mm")
    for row in range(4):
        for seat in range(9):
            x, y = 110 + seat * 85, 260 + row * 70
            draw.ellipse([x, y, x + 44, y + 44], fill=(90, 90, 90))
            draw.rectangle([x - 4, y + 44, x + 48, y + 60], fill=(60, 60, 60))
    draw.rectangle([0, 560, 960, 640], fill=(0, 0, 0))
    draw.text((480, 600), caption[:70], font=_font(24), fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{index}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _secretary(bloc_year):
    assignment = RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).select_related("user").order_by("id").first()
    if assignment:
        return assignment.user
    board = RoleAssignment.objects.filter(role=Role.BOARD, province_id=bloc_year.bloc.province_id).select_related("user").order_by("id").first()
    return board.user if board else None


def _head_leader(bloc_year):
    return User.objects.filter(
        role_assignments__role=Role.LEADER, role_assignments__agency_id=bloc_year.head_id, is_active=True
    ).order_by("id").first()


def _pledge_of(bloc_year):
    try:
        from pledges.models import Pledge
    except ImportError:  # pragma: no cover - the pledges app is part of the project
        return None
    return Pledge.objects.filter(bloc_year=bloc_year).first()


def _load_one(spec):
    bloc_year = (
        BlocYear.objects.select_related("bloc__province")
        .filter(bloc__province__code=spec["province"], bloc__name=spec["bloc"], year=spec["year"])
        .first()
    )
    if bloc_year is None:
        return None
    existing = Meeting.objects.filter(bloc_year=bloc_year, kind=spec["kind"], starts_at=spec["starts_at"]).first()
    if existing is not None:
        if spec.get("link_pledge") and existing.pledge_id is None:
            Meeting.objects.filter(pk=existing.pk).update(pledge=_pledge_of(bloc_year))
        return existing
    secretary = _secretary(bloc_year)
    approver = _head_leader(bloc_year)
    province = bloc_year.bloc.province
    host = Agency.objects.filter(province=province, name=spec["host"]).first()
    meeting = services.meeting_schedule(
        actor=secretary,
        bloc_year=bloc_year,
        kind=spec["kind"],
        starts_at=spec["starts_at"],
        venue=spec["venue"],
        host=host,
        chair_name=spec["chair"][0],
        chair_title=spec["chair"][1],
        chair_user=approver,
        agenda=spec["agenda"],
        confirm_second_signing=True,
    )
    members = [m.agency for m in bloc_year.memberships.select_related("agency").order_by("agency__name")]
    services.minutes_record(
        actor=secretary,
        meeting=meeting,
        attendance=[
            {
                "agency": agency,
                "present": agency.name not in spec["absent"],
                "representative_name": agency.leader_name,
                "representative_title": agency.leader_title,
            }
            for agency in members
        ],
        guests=[{"name": n, "title": t, "organization": o} for n, t, o in spec["guests"]],
        decisions=spec["decisions"],
        new_photos=[(placeholder_photo(caption, i), caption) for i, caption in enumerate(spec["photos"])],
        pledge=_pledge_of(bloc_year) if spec.get("link_pledge") else None,
        minutes_number=spec["minutes_number"],
        secretary_name=spec["secretary"][0],
        secretary_title=spec["secretary"][1],
        discussion=spec["discussion"],
        conclusions=spec["conclusions"],
        results=spec.get("results", ""),
        next_plan=spec.get("next_plan", ""),
        documents_adopted=spec["documents_adopted"],
    )
    services.minutes_submit(actor=secretary, meeting=meeting)
    services.minutes_approve(actor=approver, meeting=meeting)
    article = spec["article"]
    services.article_save(
        actor=secretary, meeting=meeting, title=article["title"], lead=article["lead"], body=article["body"], author=article["author"]
    )
    services.article_publish(actor=secretary, meeting=meeting)
    Article.objects.filter(meeting=meeting).update(published_at=article["published"])
    return meeting


def _render_now(meetings):
    """Render the minutes PDFs here and now, whatever the broker setting (the demo must show them)."""
    revisions = MinutesRevision.objects.filter(meeting__in=meetings).values("pk")
    content_type = ContentType.objects.get_for_model(MinutesRevision)
    pending = IssuedDocument.objects.filter(Q(source_type=content_type, source_id__in=revisions, kind="minutes")).exclude(
        status=JobStatus.DONE
    )
    for document in pending:
        try:
            document_render(document_id=document.pk)
        except Exception:  # noqa: BLE001, S112 - recorded on the row; the page offers a retry
            continue


def load():
    meetings = []
    for spec in MEETINGS:
        with transaction.atomic():
            meeting = _load_one(spec)
        if meeting is not None:
            meetings.append(meeting)
    _render_now(meetings)
    with transaction.atomic():
        _due_work()
    return meetings


YEAR_END_2022 = datetime.datetime(2022, 12, 20, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _due_work():
    """Work that waits on the day the demo loads (for the reminders and "Việc cần làm"): the economy
    bloc's 2022 year-end minutes waiting for the head's approval (the general bloc's 2022 year-end is
    finished by the awards demo), and the general bloc's first meeting of the current year next week
    (the bloc-year is carried over from 2022)."""
    found = {
        by.bloc.name: by for by in BlocYear.objects.select_related("bloc", "head").filter(
            bloc__name__in=[blocs_data.BLOC_GENERAL, blocs_data.BLOC_ECONOMY], bloc__province__code=blocs_data.NINH_THUAN["code"], year=2022)
    }
    general, economy = found.get(blocs_data.BLOC_GENERAL), found.get(blocs_data.BLOC_ECONOMY)
    if general is None or economy is None:
        return
    secretary, approver = _secretary(economy), _head_leader(economy)
    if not Meeting.objects.filter(bloc_year=economy, kind=MeetingKind.YEAR_END).exists():
        meeting = services.meeting_schedule(
            actor=secretary, bloc_year=economy, kind=MeetingKind.YEAR_END, starts_at=YEAR_END_2022,
            venue="Hội trường tầng III, UBND tỉnh", host=economy.head, chair_name=approver.get_full_name() if approver else "",
            chair_title=approver.title if approver else "", chair_user=approver, agenda="Tổng kết công tác thi đua năm 2022\nBình xét, suy tôn",
        )
        members = [m.agency for m in economy.memberships.select_related("agency").order_by("agency__name")]
        services.minutes_record(
            actor=secretary, meeting=meeting,
            attendance=[{"agency": a, "present": True, "representative_name": a.leader_name, "representative_title": a.leader_title}
                        for a in members],
            decisions=["Thống nhất kết quả chấm điểm, xếp hạng thi đua năm 2022"],
            minutes_number="05/BB-KTTKT", secretary_name=secretary.get_full_name(), secretary_title=secretary.title,
            discussion="Các đơn vị thảo luận báo cáo tổng kết.", conclusions="Hội nghị thống nhất kết quả tổng kết năm 2022.",
            results="Các đơn vị hoàn thành các chỉ tiêu giao ước.", next_plan="Ký kết giao ước năm sau.",
        )
        services.minutes_submit(actor=secretary, meeting=meeting)
    _meeting_next_week(general, _secretary(general), _head_leader(general))


def _meeting_next_week(general, secretary, approver):
    today = timezone.localdate()
    current, created = BlocYear.objects.get_or_create(
        bloc=general.bloc, year=today.year, defaults={"head": general.head, "deputy": general.deputy},
    )
    if created:
        Membership.objects.bulk_create([Membership(bloc_year=current, agency_id=m.agency_id, year=today.year)
                                        for m in general.memberships.all()], ignore_conflicts=True)
        if secretary is not None:
            RoleAssignment.objects.get_or_create(user=secretary, role=Role.SECRETARY, bloc_year=current)
    week = today + datetime.timedelta(days=6)
    if week.year != today.year or Meeting.objects.filter(bloc_year=current, state=MeetingState.PLANNED, starts_at__date__gte=today).exists():
        return
    services.meeting_schedule(
        actor=secretary, bloc_year=current, kind=MeetingKind.OTHER,
        starts_at=timezone.make_aware(datetime.datetime.combine(week, datetime.time(8, 0))),
        venue="Phòng họp Văn phòng Đoàn ĐBQH và HĐND tỉnh", host=general.head, chair_name=approver.get_full_name() if approver else "",
        chair_title=approver.title if approver else "", chair_user=approver,
        agenda="Triển khai nhiệm vụ thi đua năm mới\nDự thảo giao ước thi đua",
    )
