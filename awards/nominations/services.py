"""Writing nominations and pending cases (issue 11). Each service is keyword-only, runs in one
transaction, refuses with a Vietnamese ``ValidationError`` (field errors where a form can show
them) and is audited.

- ``nomination_propose``: the secretary (or the board) proposes a member agency for an award type
  of the bloc-year's rule set, from the frozen ranking; a failed hard check refuses it, a warning
  needs a written justification.
- ``nomination_edit`` / ``nomination_withdraw``: through ``NOMINATION_FLOW`` (state, rule, lock).
- ``case_open`` / ``case_close``: the board records a discipline, inspection or complaint case
  (NĐ 152/2025 art. 4 bars awards while it is open).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import (
    AwardType,
    BallotCandidate,
    CaseKind,
    Nomination,
    PendingCase,
    RoundState,
    ScoringRound,
    new_version,
)
from awards.nominations import eligibility
from awards.selectors import NoRuleSet, rules_for
from awards.workflow import NOMINATION_FLOW
from blocs.models import Agency, BlocYear, Membership
from core.access import rule_q
from core.audit import audit_for, audit_record
from core.cleaning import clean_text

TEXT_MAX_LENGTH = 4000

FIELD_LABELS = {
    "reason": gettext_lazy("thành tích, lý do đề nghị"),
    "justification": gettext_lazy("giải trình"),
}


class StaleNomination(ValidationError):
    """The edit form was opened on an older version of the nomination."""


def _text(value, *, field: str, required: bool, max_length: int = TEXT_MAX_LENGTH) -> str:
    try:
        text = clean_text(value or "", multiline=True, max_length=max_length)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if required and not text:
        raise ValidationError({field: _("Hãy nhập nội dung.")})
    return text


def _duplicate(award_name, agency_name) -> ValidationError:
    return ValidationError(
        _("%(agency)s đã được đề nghị %(award)s trong năm này.") % {"agency": agency_name, "award": award_name}, code="duplicate"
    )


def _refusal(checks) -> ValidationError:
    failed = [c for c in checks if c.status == eligibility.FAIL]
    lines = [_("Không đề nghị được vì chưa đạt điều kiện bắt buộc:")]
    lines += [_("%(label)s: %(reason)s") % {"label": c.label, "reason": c.reason} for c in failed]
    return ValidationError([ValidationError(line, code="ineligible") for line in lines])


def _needs_justification(checks) -> ValidationError:
    warned = "; ".join(c.label for c in checks if c.status == eligibility.WARN)
    message = _("Có cảnh báo cần khối giải trình (%(checks)s): hãy ghi phần giải trình.") % {"checks": warned}
    return ValidationError({"justification": ValidationError(message, code="needs_justification")})


def nomination_propose(*, actor, bloc_year: BlocYear, award_type: AwardType, agency: Agency, reason: str,
                       justification: str = "", ip: str | None = None) -> Nomination:
    """Propose ``agency`` for ``award_type`` in ``bloc_year`` (rule ``awards.propose``; needs the
    frozen ranking). Raises ValidationError (Vietnamese; code ``duplicate``, ``ineligible``,
    ``needs_justification``, ``not_frozen``) or PermissionDenied."""
    reason = _text(reason, field="reason", required=True)
    justification = _text(justification, field="justification", required=False)
    award_type_id, agency_id = getattr(award_type, "pk", award_type), getattr(agency, "pk", agency)
    with transaction.atomic():
        # One proposal at a time per bloc-year: the quota counts cannot race.
        bloc_year = BlocYear.objects.select_for_update(of=("self",)).select_related("bloc__province").get(pk=bloc_year.pk)
        if not BlocYear.objects.filter(rule_q(actor, "awards.propose"), pk=bloc_year.pk).exists():
            raise PermissionDenied
        if not ScoringRound.objects.filter(bloc_year=bloc_year, state=RoundState.FROZEN).exists():
            raise ValidationError(
                _("Chưa đề nghị khen thưởng được: kết quả chấm điểm năm %(year)s của khối chưa được chốt. "
                  "Đề nghị dựa trên kết quả xếp hạng đã chốt.") % {"year": bloc_year.year}, code="not_frozen",
            )
        try:
            rules = rules_for(bloc_year)
        except NoRuleSet as error:
            raise ValidationError(str(error), code="no_rules") from None
        if award_type_id not in {a.pk for a in rules.award_types}:
            raise ValidationError({"award_type": _("Hình thức khen thưởng không thuộc bộ quy tắc áp dụng cho khối (%(name)s).")
                                   % {"name": rules.name}})
        if not Membership.objects.filter(bloc_year=bloc_year, agency_id=agency_id).exists():
            raise ValidationError({"agency": _("Chỉ đề nghị được đơn vị thành viên của khối năm %(year)s.") % {"year": bloc_year.year}})
        award_row = AwardType.objects.get(pk=award_type_id)
        agency_row = Agency.objects.get(pk=agency_id)
        if Nomination.objects.filter(bloc_year=bloc_year, award_type_id=award_type_id, agency_id=agency_id).exists():
            raise _duplicate(award_row.name, agency_row.name)
        checks = eligibility.checks_for_candidate(bloc_year, award_type_id, agency_id)
        if any(c.status == eligibility.FAIL for c in checks):
            raise _refusal(checks)
        if any(c.status == eligibility.WARN for c in checks) and not justification:
            raise _needs_justification(checks)
        position = Nomination.objects.filter(bloc_year=bloc_year, award_type_id=award_type_id).count()
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    bloc_year=bloc_year, award_type=award_row, agency=agency_row, reason=reason, justification=justification,
                    position=position, created_by=actor,
                )
        except IntegrityError:
            raise _duplicate(award_row.name, agency_row.name) from None
        audit_record(actor=actor, ip=ip, action="nomination.propose", obj=nomination, data={
            "bloc_year": bloc_year.pk, "award_type": award_row.code, "agency": agency_row.pk,
            "checks": eligibility.summary(checks), "warnings": [c.code for c in checks if c.status == eligibility.WARN],
        })
    return nomination


def _stale_message(row) -> str:
    last = audit_for(row).order_by("-id").first()
    if last is None:
        return _("Đề nghị vừa được người khác thay đổi; trang đã hiện nội dung mới nhất, hãy xem lại rồi lưu lại.")
    changed = [str(FIELD_LABELS.get(name, name)) for name in (last.data or {}).get("changed", ())]
    values = {
        "who": last.actor_name or _("người khác"),
        "time": timezone.localtime(last.created_at).strftime("%H:%M %d/%m/%Y"),
        "what": ", ".join(changed) if changed else last.action,
    }
    return _("Đề nghị vừa được %(who)s thay đổi lúc %(time)s (%(what)s); trang đã hiện nội dung mới nhất, "
             "hãy xem lại rồi lưu lại.") % values


def nomination_edit(*, actor, nomination: Nomination, reason: str, justification: str, version: str,
                    ip: str | None = None) -> Nomination:
    """Change the reason and justification (``NOMINATION_FLOW`` "edit": proposed or returned).
    ``version`` is the token the form was opened with: an older one is refused (``StaleNomination``,
    naming who changed what)."""
    reason = _text(reason, field="reason", required=True)
    justification = _text(justification, field="justification", required=False)

    def apply(row):
        if version != row.version:
            raise StaleNomination(_stale_message(row), code="stale")
        checks = eligibility.checks_for(row.bloc_year, [row]).get(row.pk, [])
        if any(c.status == eligibility.WARN for c in checks) and not justification:
            raise _needs_justification(checks)
        changed = [name for name, value in (("reason", reason), ("justification", justification)) if getattr(row, name) != value]
        before = {name: getattr(row, name) for name in changed}
        row.reason, row.justification, row.version = reason, justification, new_version()
        return {"changed": changed, "before": before}

    return NOMINATION_FLOW.run("edit", obj=nomination, actor=actor, ip=ip, apply=apply)


def nomination_withdraw(*, actor, nomination: Nomination, ip: str | None = None) -> None:
    """Delete a proposed nomination (``NOMINATION_FLOW`` "withdraw"), its values kept in the audit."""
    transition = NOMINATION_FLOW["withdraw"]
    with transaction.atomic():
        row = NOMINATION_FLOW.lock(nomination)
        NOMINATION_FLOW.check(transition, row, actor)
        if BallotCandidate.objects.filter(nomination=row).exists():
            raise ValidationError(_("Đề nghị đã được đưa vào phiếu bình xét: hãy bỏ khỏi cuộc bỏ phiếu trước khi rút."), code="on_ballot")
        audit_record(actor=actor, ip=ip, action=transition.action, obj=row, data={
            "bloc_year": row.bloc_year_id, "award_type": row.award_type.code, "agency": row.agency_id,
            "reason": row.reason, "justification": row.justification,
        })
        row.delete()


# --- pending cases ---------------------------------------------------------------------------------


def _check_day(day, *, field: str) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise ValidationError({field: _("Hãy nhập ngày theo dạng dd/mm/yyyy.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("Ngày không được sau hôm nay.")})
    return day


def case_open(*, actor, agency: Agency, kind: str, description: str, opened_on: datetime.date,
              ip: str | None = None) -> PendingCase:
    """Record a pending case about ``agency`` (rule ``awards.manage_cases``: the province's board)."""
    description = _text(description, field="description", required=True)
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Hãy chọn loại vụ việc trong danh sách.")})
    opened_on = _check_day(opened_on, field="opened_on")
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if not Agency.objects.filter(rule_q(actor, "awards.manage_cases"), pk=agency.pk).exists():
            raise PermissionDenied
        if PendingCase.objects.filter(agency=agency, kind=kind, opened_on=opened_on, description=description, closed_on=None).exists():
            raise ValidationError(_("Vụ việc này đã được ghi."), code="duplicate")
        case = PendingCase.objects.create(agency=agency, kind=kind, description=description, opened_on=opened_on, recorded_by=actor)
        audit_record(actor=actor, ip=ip, action="case.open", obj=case, data={
            "agency": agency.pk, "kind": kind, "opened_on": opened_on.isoformat(), "description": description[:300],
        })
    return case


def case_close(*, actor, case: PendingCase, closed_on: datetime.date, ip: str | None = None) -> PendingCase:
    """Mark the case closed on ``closed_on`` (from then on it no longer bars awards)."""
    closed_on = _check_day(closed_on, field="closed_on")
    with transaction.atomic():
        row = PendingCase.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
        if not Agency.objects.filter(rule_q(actor, "awards.manage_cases"), pk=row.agency_id).exists():
            raise PermissionDenied
        if row.closed_on is not None:
            raise ValidationError(_("Vụ việc đã kết thúc ngày %(day)s.") % {"day": row.closed_on.strftime("%d/%m/%Y")}, code="closed")
        if closed_on < row.opened_on:
            raise ValidationError({"closed_on": _("Ngày kết thúc phải từ ngày bắt đầu (%(day)s) trở đi.")
                                   % {"day": row.opened_on.strftime("%d/%m/%Y")}})
        row.closed_on = closed_on
        row.save(update_fields=["closed_on"])
        audit_record(actor=actor, ip=ip, action="case.close", obj=row, data={"agency": row.agency_id, "closed_on": closed_on.isoformat()})
    return row
