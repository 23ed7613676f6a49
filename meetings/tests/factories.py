"""Helpers for the meetings tests: a meeting in any state, real images."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from meetings import services
from meetings.models import MeetingKind


def local(year, month, day, hour=8, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def image_upload(name="anh.jpg", fmt="JPEG", size=(64, 48), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def schedule(world, *, kind=MeetingKind.MID_YEAR, starts_at=None, **fields):
    defaults = {
        "venue": "Sở Kế hoạch và Đầu tư",
        "host": world.agencies[0],
        "chair_name": "Nguyễn Văn Chủ Trì",
        "chair_title": "Giám đốc",
        "agenda": "Báo cáo sơ kết 6 tháng\nThảo luận",
    }
    defaults.update(fields)
    return services.meeting_schedule(
        actor=world.secretary, bloc_year=world.bloc_year, kind=kind, starts_at=starts_at or local(2022, 6, 17, 8, 0), **defaults
    )


def attendance_rows(world, present=None, *, names=True):
    present = len(world.agencies) if present is None else present
    return [
        {
            "agency": agency,
            "present": i < present,
            "representative_name": f"Đại Diện Đơn Vị {i + 1}" if names and i < present else "",
            "representative_title": "Phó Giám đốc" if i < present else "",
        }
        for i, agency in enumerate(world.agencies)
    ]


def record(world, meeting, *, present=None, actor=None, **overrides):
    fields = {
        "attendance": attendance_rows(world, present),
        "guests": [{"name": "Lê Thị Khách", "title": "Ủy viên Hội đồng Thi đua – Khen thưởng tỉnh", "organization": "Ban Thi đua – Khen thưởng"}],
        "decisions": ["Thống nhất báo cáo sơ kết 6 tháng đầu năm", "Giao Trưởng khối hoàn thiện phương hướng 6 tháng cuối năm"],
        "minutes_number": "02/BB-KTĐ",
        "secretary_name": "Trần Thư Ký",
        "secretary_title": "Chuyên viên",
        "results": "Các đơn vị hoàn thành tốt nhiệm vụ được giao.",
        "next_plan": "Tiếp tục đẩy mạnh phong trào thi đua.",
        "discussion": "Các đại biểu đóng góp ý kiến cho Báo cáo.",
        "conclusions": "Hội nghị thành công tốt đẹp.",
    }
    fields.update(overrides)
    return services.minutes_record(actor=actor or world.secretary, meeting=meeting, **fields)


def approved(world, *, render=True, **kwargs):
    meeting = schedule(world, **kwargs)
    record(world, meeting)
    services.minutes_submit(actor=world.secretary, meeting=meeting)
    return approve(world, meeting, render=render)


def approve(world, meeting, actor=None, *, render=True):
    """Approve; with ``render`` run the PDF task the way a committed transaction would."""
    with TestCase.captureOnCommitCallbacks(execute=render):
        return services.minutes_approve(actor=actor or world.leaders[0], meeting=meeting)


def published(world, *, render=False, **kwargs):
    from meetings.drafting import draft_article

    meeting = approved(world, render=render, **kwargs)
    draft = draft_article(meeting)
    services.article_save(actor=world.secretary, meeting=meeting, **draft)
    services.article_publish(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    return meeting
