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


# --- Nominations, ballots, the dossier (issue 11) ---------------------------------------------
#
# - ``NOMINATION_FLOW``: proposed → voted / not_passed (the ballot's count, a system step) →
#   submitted (with the dossier) → approved / returned / rejected by the board; a returned one
#   is fixed and resubmitted; an approved government-level award is forwarded to the central
#   level; a decision makes it awarded (an ``AwardRecord``). A decided nomination changes only
#   through ``correct``, with a reason (``NominationCorrection``).
# - ``BALLOT_FLOW``: draft → open → closed; members vote (online) or two people enter the paper
#   counts; a next round takes the unresolved questions back to open.
# - ``DOSSIER_FLOW``: draft → submitted → received, or returned for completion and submitted again.

from awards.models import BallotMode, BallotState, DossierState, NominationState  # noqa: E402

N = NominationState
B_DRAFT, B_OPEN, B_CLOSED = BallotState.DRAFT, BallotState.OPEN, BallotState.CLOSED
D_DRAFT, D_SUBMITTED, D_RECEIVED, D_RETURNED = DossierState.DRAFT, DossierState.SUBMITTED, DossierState.RECEIVED, DossierState.RETURNED


def dossier_received(roles) -> Q:
    return Q(bloc_year__dossier__state=D_RECEIVED)


def government_level(roles) -> Q:
    return Q(award_type__level="government")


def awardable(roles) -> Q:
    """A province-level award is decided once approved; a government-level one once forwarded."""
    return Q(award_type__level="province", state=N.APPROVED) | Q(award_type__level="government", state=N.FORWARDED)


def voting_open(roles) -> Q:
    return Q(mode=BallotMode.ONLINE) & (Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))


def paper_ballot(roles) -> Q:
    return Q(mode=BallotMode.PAPER)


NOT_RECEIVED = _("Ban Thi đua – Khen thưởng cần tiếp nhận hồ sơ trước khi cho ý kiến từng đề nghị.")

NOMINATION_FLOW = Workflow(
    "awards.Nomination",
    Transition(
        "edit", source=[N.PROPOSED, N.RETURNED], target=None, rule="awards.edit_nomination", action="nomination.edit",
        label=_("Sửa đề nghị"), state_message=_("Đề nghị đã được bình xét hoặc đã trình: không sửa được."),
    ),
    Transition(
        "withdraw", source=[N.PROPOSED], target=None, rule="awards.edit_nomination", action="nomination.withdraw",
        label=_("Rút đề nghị"), state_message=_("Chỉ rút được đề nghị chưa đưa ra bỏ phiếu."),
    ),
    Transition("vote_pass", source=[N.PROPOSED], target=N.VOTED, rule=None, action="nomination.voted"),
    Transition("vote_fail", source=[N.PROPOSED], target=N.NOT_PASSED, rule=None, action="nomination.not_passed"),
    Transition(
        "submit", source=[N.VOTED], target=N.SUBMITTED, rule=None, action="nomination.submit",
        state_message=_("Chỉ trình được đề nghị đã được khối bình xét."),
    ),
    Transition(
        "resubmit", source=[N.RETURNED], target=N.SUBMITTED, rule="awards.edit_nomination", action="nomination.resubmit",
        label=_("Gửi lại Ban"), state_message=_("Chỉ gửi lại được đề nghị Ban đã trả lại."),
    ),
    Transition(
        "approve", source=[N.SUBMITTED], target=N.APPROVED, rule="awards.decide", action="nomination.approve",
        label=_("Đồng ý"), state_message=_("Đề nghị không ở trạng thái chờ Ban cho ý kiến."),
        guard=dossier_received, guard_message=NOT_RECEIVED,
    ),
    Transition(
        "return", source=[N.SUBMITTED], target=N.RETURNED, rule="awards.decide", action="nomination.return",
        label=_("Trả lại để hoàn thiện"), state_message=_("Đề nghị không ở trạng thái chờ Ban cho ý kiến."),
        guard=dossier_received, guard_message=NOT_RECEIVED,
    ),
    Transition(
        "reject", source=[N.SUBMITTED], target=N.REJECTED, rule="awards.decide", action="nomination.reject",
        label=_("Không đồng ý"), state_message=_("Đề nghị không ở trạng thái chờ Ban cho ý kiến."),
        guard=dossier_received, guard_message=NOT_RECEIVED,
    ),
    Transition(
        "forward", source=[N.APPROVED], target=N.FORWARDED, rule="awards.decide", action="nomination.forward",
        label=_("Đánh dấu đã trình Trung ương"), state_message=_("Chỉ trình Trung ương đề nghị Ban đã đồng ý."),
        guard=government_level, guard_message=_("Hình thức này do tỉnh quyết định, không trình Trung ương."),
    ),
    Transition(
        "award", source=[N.APPROVED, N.FORWARDED], target=N.AWARDED, rule="awards.decide", action="nomination.award",
        label=_("Ghi quyết định khen thưởng"), state_message=_("Đề nghị chưa được đồng ý hoặc đã có quyết định."),
        guard=awardable, guard_message=_("Hình thức cấp Trung ương: đánh dấu đã trình Trung ương trước khi ghi quyết định."),
    ),
    Transition(
        "central_reject", source=[N.FORWARDED], target=N.REJECTED, rule="awards.decide", action="nomination.central_reject",
        label=_("Trung ương không khen thưởng"), state_message=_("Chỉ ghi kết quả của Trung ương cho đề nghị đã trình."),
    ),
    Transition(
        "correct", source=[N.AWARDED, N.REJECTED], target=None, rule="awards.decide", action="nomination.correct",
        label=_("Đính chính (ghi lý do)"), state_message=_("Chỉ đính chính được đề nghị đã có kết quả."),
    ),
    related=("bloc_year__bloc__province", "award_type", "agency"),
)

BALLOT_FLOW = Workflow(
    "awards.Ballot",
    Transition(
        "edit", source=[B_DRAFT], target=None, rule="awards.run_ballot", action="ballot.edit",
        label=_("Sửa câu hỏi"), state_message=_("Cuộc bỏ phiếu đã mở: không sửa câu hỏi được nữa."),
    ),
    Transition(
        "open", source=[B_DRAFT], target=B_OPEN, rule="awards.run_ballot", action="ballot.open",
        label=_("Mở bỏ phiếu"), state_message=_("Cuộc bỏ phiếu đã mở."),
    ),
    Transition(
        "vote", source=[B_OPEN], target=None, rule="awards.vote", action="ballot.vote",
        label=_("Bỏ phiếu"), state_message=_("Cuộc bỏ phiếu không mở: không bỏ phiếu được."),
        guard=voting_open, guard_message=_("Đã hết hạn bỏ phiếu trực tuyến."),
    ),
    Transition(
        "count", source=[B_OPEN], target=None, rule="awards.count_paper", action="ballot.paper_count",
        label=_("Nhập kết quả kiểm phiếu"), state_message=_("Cuộc bỏ phiếu không mở: không nhập kết quả được."),
        guard=paper_ballot, guard_message=_("Đây là cuộc bỏ phiếu trực tuyến."),
    ),
    Transition(
        "close", source=[B_OPEN], target=B_CLOSED, rule="awards.run_ballot", action="ballot.close",
        label=_("Kết thúc và kiểm phiếu"), state_message=_("Cuộc bỏ phiếu không mở."),
    ),
    Transition(
        "next_round", source=[B_CLOSED], target=B_OPEN, rule="awards.run_ballot", action="ballot.next_round",
        label=_("Bỏ phiếu vòng tiếp theo"), state_message=_("Chỉ mở vòng tiếp theo khi vòng trước đã kết thúc."),
    ),
    related=("bloc_year__bloc__province", "meeting"),
)

DOSSIER_FLOW = Workflow(
    "awards.Dossier",
    Transition(
        "prepare", source=[D_DRAFT, D_RETURNED], target=None, rule="awards.submit_dossier", action="dossier.prepare",
        label=_("Chuẩn bị hồ sơ"), state_message=_("Hồ sơ đã nộp: không sửa được."),
    ),
    Transition(
        "submit", source=[D_DRAFT, D_RETURNED], target=D_SUBMITTED, rule="awards.submit_dossier", action="dossier.submit",
        label=_("Nộp hồ sơ cho Ban Thi đua – Khen thưởng"), state_message=_("Hồ sơ đã nộp."),
    ),
    Transition(
        "receive", source=[D_SUBMITTED], target=D_RECEIVED, rule="awards.review_dossier", action="dossier.receive",
        label=_("Tiếp nhận hồ sơ"), state_message=_("Chỉ tiếp nhận được hồ sơ đã nộp."),
    ),
    Transition(
        "return", source=[D_SUBMITTED], target=D_RETURNED, rule="awards.review_dossier", action="dossier.return",
        label=_("Trả lại để bổ sung (ghi lý do)"), state_message=_("Chỉ trả lại được hồ sơ đã nộp, chưa tiếp nhận."),
    ),
    related=("bloc_year__bloc__province",),
)
