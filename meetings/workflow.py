"""The life of a meeting, declared once: planned → held → submitted → approved → published;
a planned meeting whose minutes were never started may be cancelled (planned → cancelled).

Every state change of a meeting (and every write allowed only in some states: the minutes, the
schedule, the article) goes through ``MEETING_FLOW`` in the services: ``run`` for a state change,
``lock`` and ``check`` for a write that keeps the state. The meeting page shows exactly the
buttons ``MEETING_FLOW.actions(meeting, user)`` allows. Who may act is the access rules' business
(``meetings.rules``); when (state) and "not without an article" (guard) are declared here.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from meetings.models import EDITABLE_STATES, LOCKED_STATES, Article, Attendance, Decision, MeetingState

PLANNED, HELD, SUBMITTED, APPROVED, PUBLISHED, CANCELLED = (
    MeetingState.PLANNED, MeetingState.HELD, MeetingState.SUBMITTED, MeetingState.APPROVED, MeetingState.PUBLISHED,
    MeetingState.CANCELLED,
)


def has_article(roles) -> Q:
    """The meetings whose news article has been written (and saved)."""
    return Q(Exists(Article.objects.filter(meeting_id=OuterRef("pk"))))


def has_started(roles) -> Q:
    """Minutes are written once the meeting has begun."""
    return Q(starts_at__lte=timezone.now())


def has_no_minutes(roles) -> Q:
    """Nothing of the minutes is saved: no attendance, no decision, no number, no revision."""
    return (
        ~Q(Exists(Attendance.objects.filter(meeting_id=OuterRef("pk"))))
        & ~Q(Exists(Decision.objects.filter(meeting_id=OuterRef("pk"))))
        & Q(minutes_number="", revision=0)
    )


def _publish_state_message(meeting) -> str:
    if meeting.state == PUBLISHED:
        return _("Tin bài đã được đăng.")
    return _("Chỉ đăng tin khi biên bản đã được duyệt.")


MEETING_FLOW = Workflow(
    "meetings.Meeting",
    # The first save of the minutes marks the meeting as held; later saves keep it held.
    Transition(
        "minutes_record", source=EDITABLE_STATES, target=HELD, rule="meetings.edit", action="meeting.minutes_record",
        label=_("Ghi biên bản"),
        state_message=_("Biên bản đang chờ duyệt hoặc đã duyệt: không thể sửa. Hãy mở lại biên bản để chỉnh sửa."),
        guard=has_started, guard_message=_("Hội nghị chưa diễn ra: chỉ ghi biên bản sau khi hội nghị bắt đầu."),
    ),
    # Not a state change: the schedule is edited while the minutes are. Audited by ``model_update``.
    Transition(
        "update", source=EDITABLE_STATES, target=None, rule="meetings.edit", action="meeting.update",
        label=_("Sửa lịch"), state_message=_("Biên bản đã trình hoặc đã duyệt: không thể sửa lịch hội nghị."),
    ),
    Transition(
        "cancel", source=[PLANNED], target=CANCELLED, rule="meetings.edit", action="meeting.cancel",
        label=_("Hủy hội nghị"),
        state_message=_("Chỉ hủy được hội nghị đã lên lịch mà chưa ghi biên bản."),
        guard=has_no_minutes, guard_message=_("Hội nghị đã có biên bản: không thể hủy."),
    ),
    Transition(
        "minutes_submit", source=[HELD], target=SUBMITTED, rule="meetings.edit", action="meeting.minutes_submit",
        label=_("Trình chủ trì duyệt biên bản"), state_message=_("Chỉ trình duyệt được biên bản đang soạn (hội nghị đã họp)."),
    ),
    Transition(
        "minutes_return", source=[SUBMITTED], target=HELD, rule="meetings.approve", action="meeting.minutes_return",
        label=_("Trả lại thư ký"), state_message=_("Chỉ trả lại được biên bản đang chờ duyệt."),
    ),
    Transition(
        "minutes_approve", source=[SUBMITTED], target=APPROVED, rule="meetings.approve", action="meeting.minutes_approve",
        label=_("Duyệt biên bản"), state_message=_("Chỉ duyệt được biên bản đang chờ duyệt."),
    ),
    Transition(
        "minutes_reopen", source=LOCKED_STATES, target=HELD, rule="meetings.edit", action="meeting.minutes_reopen",
        label=_("Mở lại biên bản"), state_message=_("Chỉ mở lại được biên bản đã duyệt."),
    ),
    # Not a state change: the article is written once the minutes are locked. ``article_save``
    # audits it on the article (article.create / article.update); this entry is never run.
    Transition(
        "article_save", source=LOCKED_STATES, target=None, rule="meetings.edit", action="article.save",
        label=_("Soạn tin bài từ biên bản"), state_message=_("Chỉ viết tin về hội nghị khi biên bản đã được duyệt."),
    ),
    Transition(
        "publish", source=[APPROVED], target=PUBLISHED, rule="meetings.edit", action="meeting.publish",
        label=_("Đăng tin lên trang tin của tỉnh"), state_message=_publish_state_message,
        guard=has_article, guard_message=_("Hãy soạn và lưu tin bài trước khi đăng."),
    ),
    Transition(
        "unpublish", source=[PUBLISHED], target=APPROVED, rule="meetings.edit", action="meeting.unpublish",
        label=_("Gỡ tin"), state_message=_("Tin bài chưa được đăng."),
    ),
    related=("bloc_year__bloc__province", "bloc_year__head"),
)
