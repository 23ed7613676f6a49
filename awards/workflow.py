"""The year-end scoring, declared once (issue 10).

- ``ROUND_FLOW`` (ScoringRound): open → published (the draft ranking, members may object) →
  frozen; a reopen with a reason takes it back to open, visibly and in the audit log.
- ``SHEET_FLOW`` (ScoreSheet): draft → awaiting_leader → submitted; the leader approves (locks and
  submits it to the bloc) or returns it with a reason. A leader may approve a draft directly.
- ``LINE_FLOW`` (ScoreLine): the checker accepts, adjusts (reason required) or queries a line
  (asks for more evidence); the agency answers a queried line and it goes back to the checker.

Who may act is the access rule's business (``awards.rules``); when is declared here. The services
(``awards.services_scoring``) go through ``FLOW.run``; the pages show ``FLOW.actions(obj, user)``.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import LineState, RoundState, SheetState
from core.workflow import Transition, Workflow

OPEN, PUBLISHED, FROZEN = RoundState.OPEN, RoundState.PUBLISHED, RoundState.FROZEN
DRAFT, AWAITING, SUBMITTED = SheetState.DRAFT, SheetState.AWAITING_LEADER, SheetState.SUBMITTED
PENDING, ACCEPTED, ADJUSTED, QUERIED, ANSWERED = (
    LineState.PENDING, LineState.ACCEPTED, LineState.ADJUSTED, LineState.QUERIED, LineState.ANSWERED,
)
CHECKABLE = (PENDING, ANSWERED, ACCEPTED, ADJUSTED)


def objections_still_open(roles) -> Q:
    """Members object until the end of the objection deadline (the rule set's window after publication)."""
    return Q(objection_deadline__gte=timezone.localdate())


def _objections_closed(scoring) -> str:
    return _("Đã hết hạn góp ý kết quả dự kiến (ngày %(day)s).") % {
        "day": scoring.objection_deadline.strftime("%d/%m/%Y") if scoring.objection_deadline else "—"
    }


def round_is_open(roles) -> Q:
    return Q(round__state=OPEN)


def line_round_is_open(roles) -> Q:
    return Q(sheet__round__state=OPEN)


def line_sheet_submitted(roles) -> Q:
    return Q(sheet__state=SUBMITTED, sheet__round__state=OPEN)


ROUND_CLOSED = _("Kết quả đã công bố hoặc đã chốt: không sửa được phiếu nữa.")

ROUND_FLOW = Workflow(
    "awards.ScoringRound",
    Transition(
        "setup", source=[OPEN], target=None, rule="awards.run_round", action="scoring.setup",
        label=_("Sửa hạn và phân công kiểm tra"), state_message=_("Chỉ sửa được khi đợt chấm điểm đang mở."),
    ),
    Transition(
        "publish", source=[OPEN], target=PUBLISHED, rule="awards.run_round", action="scoring.publish",
        label=_("Công bố kết quả dự kiến"), state_message=_("Kết quả đã được công bố."),
    ),
    Transition(
        "object", source=[PUBLISHED], target=None, rule="awards.object", action="scoring.object",
        label=_("Góp ý kết quả dự kiến"), state_message=_("Chỉ góp ý được khi kết quả dự kiến đang công bố."),
        guard=objections_still_open, guard_message=_objections_closed,
    ),
    Transition(
        "answer_objection", source=[PUBLISHED], target=None, rule="awards.run_round", action="scoring.answer_objection",
        label=_("Trả lời góp ý"), state_message=_("Chỉ trả lời được khi kết quả dự kiến đang công bố."),
    ),
    Transition(
        "freeze", source=[PUBLISHED], target=FROZEN, rule="awards.run_round", action="scoring.freeze",
        label=_("Chốt kết quả"), state_message=_("Chỉ chốt được kết quả đã công bố dự kiến."),
    ),
    Transition(
        "reopen", source=[PUBLISHED, FROZEN], target=OPEN, rule="awards.run_round", action="scoring.reopen",
        label=_("Mở lại để sửa (ghi lý do)"), state_message=_("Đợt chấm điểm đang mở."),
    ),
    related=("bloc_year__bloc__province",),
)

SHEET_FLOW = Workflow(
    "awards.ScoreSheet",
    Transition(
        "save", source=[DRAFT], target=None, rule="awards.write_sheet", action="scoresheet.save",
        label=_("Lưu nháp"), state_message=_("Phiếu đã trình lãnh đạo hoặc đã gửi khối: không sửa được."),
        guard=round_is_open, guard_message=ROUND_CLOSED,
    ),
    Transition(
        "send", source=[DRAFT], target=AWAITING, rule="awards.write_sheet", action="scoresheet.send",
        label=_("Trình lãnh đạo duyệt"), state_message=_("Phiếu đã trình lãnh đạo."),
        guard=round_is_open, guard_message=ROUND_CLOSED,
    ),
    Transition(
        "approve", source=[DRAFT, AWAITING], target=SUBMITTED, rule="awards.approve_sheet", action="scoresheet.approve",
        label=_("Duyệt và gửi khối"), state_message=_("Phiếu đã gửi khối."),
        guard=round_is_open, guard_message=ROUND_CLOSED,
    ),
    Transition(
        "return", source=[AWAITING], target=DRAFT, rule="awards.approve_sheet", action="scoresheet.return",
        label=_("Trả lại để sửa"), state_message=_("Chỉ trả lại được phiếu đang chờ duyệt."),
        guard=round_is_open, guard_message=ROUND_CLOSED,
    ),
    related=("round__bloc_year__bloc__province", "agency"),
)

LINE_FLOW = Workflow(
    "awards.ScoreLine",
    Transition(
        "accept", source=CHECKABLE, target=ACCEPTED, rule="awards.check_line", action="scoreline.accept",
        label=_("Chấp nhận"), state_message=_("Dòng này đang chờ đơn vị bổ sung minh chứng."),
        guard=line_sheet_submitted, guard_message=_("Chỉ kiểm tra được phiếu đã gửi khối, khi đợt chấm điểm đang mở."),
    ),
    Transition(
        "adjust", source=CHECKABLE, target=ADJUSTED, rule="awards.check_line", action="scoreline.adjust",
        label=_("Điều chỉnh điểm"), state_message=_("Dòng này đang chờ đơn vị bổ sung minh chứng."),
        guard=line_sheet_submitted, guard_message=_("Chỉ kiểm tra được phiếu đã gửi khối, khi đợt chấm điểm đang mở."),
    ),
    Transition(
        "query", source=CHECKABLE, target=QUERIED, rule="awards.check_line", action="scoreline.query",
        label=_("Yêu cầu bổ sung minh chứng"), state_message=_("Dòng này đang chờ đơn vị bổ sung minh chứng."),
        guard=line_sheet_submitted, guard_message=_("Chỉ kiểm tra được phiếu đã gửi khối, khi đợt chấm điểm đang mở."),
    ),
    Transition(
        "answer", source=[QUERIED], target=ANSWERED, rule="awards.answer_line", action="scoreline.answer",
        label=_("Trả lời và gửi lại"), state_message=_("Dòng này không có yêu cầu bổ sung đang chờ."),
        guard=line_round_is_open, guard_message=ROUND_CLOSED,
    ),
    state_field="check_state",
    related=("sheet__round__bloc_year__bloc__province", "sheet__agency", "criterion"),
)
