"""The board's work on a dossier (step 6): receive it or return it for completion; per nomination
approve, return or reject with a reason; forward government-level awards and record the central
outcome; record the decision, which writes the award history; correct a decided nomination,
never silently (``NominationCorrection`` and the audit log keep what it was and why).

Every change goes through ``DOSSIER_FLOW`` / ``NOMINATION_FLOW`` (locked, checked, audited).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.decisions.people import board_of, secretaries_of
from awards.models import (
    AwardLevel,
    AwardRecord,
    Decision,
    Dossier,
    Nomination,
    NominationCorrection,
    NominationState,
    new_version,
)
from awards.workflow import DOSSIER_FLOW, NOMINATION_FLOW
from blocs.models import Province
from core.access import rule_q
from core.cleaning import clean_text
from core.notifications import notify

N = NominationState
REASON_MAX_LENGTH = 2000
NUMBER_MAX_LENGTH = 60
SIGNER_MAX_LENGTH = 150
NOTE_MAX_LENGTH = 4000


def _text(value, *, field, required_message, multiline=True, max_length=REASON_MAX_LENGTH, required=True) -> str:
    """``value`` under the portal's cleaning rule, as a field error of ``field``."""
    try:
        text = clean_text(value or "", multiline=multiline, max_length=max_length)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    if required and not text:
        raise ValidationError({field: required_message})
    return text


def _label(nomination) -> str:
    return _("%(award)s – %(agency)s") % {"award": nomination.award_type.name, "agency": nomination.agency.name}


def _tell_secretaries(nomination_or_dossier, message):
    bloc_year = nomination_or_dossier.bloc_year
    url = nomination_or_dossier.get_absolute_url() if isinstance(nomination_or_dossier, Dossier) else _dossier_url(bloc_year)
    notify(users=secretaries_of(bloc_year.pk), message=message, url=url)


def _dossier_url(bloc_year):
    dossier = Dossier.objects.filter(bloc_year=bloc_year).only("pk").first()
    return dossier.get_absolute_url() if dossier else bloc_year.get_absolute_url()


# --- the dossier ------------------------------------------------------------------------------


def dossier_receive(*, actor, dossier: Dossier, ip: str | None = None) -> Dossier:
    def apply(row):
        row.received_at, row.received_by = timezone.now(), actor
        row.version = new_version()

    row = DOSSIER_FLOW.run("receive", obj=dossier, actor=actor, ip=ip, apply=apply)
    _tell_secretaries(
        row,
        _("Ban Thi đua – Khen thưởng đã tiếp nhận hồ sơ đề nghị khen thưởng năm %(year)s của %(bloc)s.")
        % {"year": row.bloc_year.year, "bloc": row.bloc_year.bloc.name},
    )
    return row


def dossier_return(*, actor, dossier: Dossier, reason: str, ip: str | None = None) -> Dossier:
    reason = _text(reason, field="reason", required_message=_("Hãy ghi lý do trả lại hồ sơ."))

    def apply(row):
        row.return_reason = reason
        row.version = new_version()
        return {"reason": reason}

    row = DOSSIER_FLOW.run("return", obj=dossier, actor=actor, ip=ip, apply=apply)
    _tell_secretaries(
        row,
        _("Ban Thi đua – Khen thưởng trả lại hồ sơ đề nghị khen thưởng năm %(year)s để bổ sung: %(reason)s")
        % {"year": row.bloc_year.year, "reason": reason},
    )
    return row


# --- each nomination ----------------------------------------------------------------------------


def _decide(name, *, actor, nomination, ip, note=None, data=None, extra=None):
    def apply(row):
        row.decided_by, row.decided_at = actor, timezone.now()
        if note is not None:
            row.board_note = note
        if extra is not None:
            extra(row)
        row.version = new_version()
        return data

    return NOMINATION_FLOW.run(name, obj=nomination, actor=actor, ip=ip, apply=apply)


def nomination_approve(*, actor, nomination: Nomination, ip: str | None = None) -> Nomination:
    row = _decide("approve", actor=actor, nomination=nomination, ip=ip, note="")
    _tell_secretaries(row, _("Ban Thi đua – Khen thưởng đồng ý đề nghị %(label)s.") % {"label": _label(row)})
    return row


def nomination_return(*, actor, nomination: Nomination, reason: str, ip: str | None = None) -> Nomination:
    reason = _text(reason, field="reason", required_message=_("Hãy ghi lý do trả lại để khối hoàn thiện."))
    row = _decide("return", actor=actor, nomination=nomination, ip=ip, note=reason, data={"reason": reason})
    _tell_secretaries(
        row,
        _("Ban Thi đua – Khen thưởng trả lại đề nghị %(label)s để hoàn thiện: %(reason)s")
        % {"label": _label(row), "reason": reason},
    )
    return row


def nomination_reject(*, actor, nomination: Nomination, reason: str, ip: str | None = None) -> Nomination:
    reason = _text(reason, field="reason", required_message=_("Hãy ghi lý do không đồng ý."))
    row = _decide("reject", actor=actor, nomination=nomination, ip=ip, note=reason, data={"reason": reason})
    _tell_secretaries(
        row, _("Ban Thi đua – Khen thưởng không đồng ý đề nghị %(label)s: %(reason)s") % {"label": _label(row), "reason": reason}
    )
    return row


def nomination_forward(*, actor, nomination: Nomination, ip: str | None = None) -> Nomination:
    """A government-level award (Cờ thi đua của Chính phủ, Bằng khen của Thủ tướng) goes to the central level."""

    def forwarded(row):
        row.forwarded_at = timezone.now()

    row = _decide("forward", actor=actor, nomination=nomination, ip=ip, extra=forwarded)
    _tell_secretaries(row, _("Ban Thi đua – Khen thưởng đã trình Trung ương đề nghị %(label)s.") % {"label": _label(row)})
    return row


def central_reject(*, actor, nomination: Nomination, reason: str, ip: str | None = None) -> Nomination:
    """The central level did not award a forwarded nomination."""
    reason = _text(reason, field="reason", required_message=_("Hãy ghi kết quả, lý do của Trung ương."))
    row = _decide("central_reject", actor=actor, nomination=nomination, ip=ip, note=reason, data={"reason": reason})
    _tell_secretaries(
        row, _("Trung ương không khen thưởng đề nghị %(label)s: %(reason)s") % {"label": _label(row), "reason": reason}
    )
    return row


def nomination_resubmit(*, actor, nomination: Nomination, ip: str | None = None) -> Nomination:
    """The secretary sends a returned nomination back to the board once fixed: nothing may block
    it any more and its achievement report must be there."""
    from awards.decisions.dossier import AchievementReport, bloc_secretary
    from awards.nominations.eligibility import checks_for, problems

    def apply(row):
        if not bloc_secretary(actor, row.bloc_year_id):
            raise PermissionDenied
        checks = checks_for(row.bloc_year, nominations=[row]).get(row.pk, [])
        found = list(problems(row, checks))
        if not AchievementReport.objects.filter(nomination=row).exists():
            found.append(_("Thiếu báo cáo thành tích."))
        if found:
            raise ValidationError(found)
        row.version = new_version()
        return {"previous_note": row.board_note}

    row = NOMINATION_FLOW.run("resubmit", obj=nomination, actor=actor, ip=ip, apply=apply)
    notify(
        users=board_of(row.bloc_year.bloc.province_id),
        url=_dossier_url(row.bloc_year),
        message=_("%(bloc)s đã hoàn thiện và gửi lại đề nghị %(label)s.")
        % {"bloc": row.bloc_year.bloc.name, "label": _label(row)},
    )
    return row


# --- the decision ---------------------------------------------------------------------------------


def _awardable(nomination, level) -> str | None:
    """Why ``nomination`` cannot be awarded by a decision of ``level`` (None: it can)."""
    if nomination.award_type.level != level:
        return _("hình thức khen thưởng khác cấp quyết định")
    if nomination.state == N.AWARDED:
        return _("đã có quyết định khen thưởng")
    if nomination.award_type.level == "province" and nomination.state != N.APPROVED:
        return _("chưa được Ban đồng ý (%(state)s)") % {"state": nomination.get_state_display()}
    if nomination.award_type.level == "government" and nomination.state != N.FORWARDED:
        return _("chưa trình Trung ương (%(state)s)") % {"state": nomination.get_state_display()}
    return None


def _decision_fields(*, number, date, signer_title, signer_name, level) -> dict:
    number = _text(
        number, field="number", required_message=_("Hãy nhập số quyết định."), multiline=False, max_length=NUMBER_MAX_LENGTH
    )
    signer_title = _text(
        signer_title,
        field="signer_title",
        required_message=_("Hãy nhập cấp quyết định (chức vụ người ký)."),
        multiline=False,
        max_length=SIGNER_MAX_LENGTH,
    )
    signer_name = _text(
        signer_name, field="signer_name", required_message="", multiline=False, max_length=SIGNER_MAX_LENGTH, required=False
    )
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": _("Hãy nhập ngày quyết định.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Ngày quyết định không được sau hôm nay.")})
    if level not in AwardLevel.values:
        raise ValidationError({"level": _("Hãy chọn cấp quyết định.")})
    return {"number": number, "date": date, "signer_title": signer_title, "signer_name": signer_name, "level": level}


def decision_record(
    *,
    actor,
    province: Province,
    number: str,
    date: datetime.date,
    signer_title: str,
    signer_name: str = "",
    level: str,
    nominations,
    ip: str | None = None,
) -> Decision:
    """Record a decision awarding ``nominations`` (all or nothing): each becomes awarded
    (``NOMINATION_FLOW`` "award") and gets its award-history row. A nomination of another
    province, of another level or not ready to be awarded refuses the whole decision, naming it.
    The same number and date recorded again adds to that decision (its level and signer must match)."""
    fields = _decision_fields(number=number, date=date, signer_title=signer_title, signer_name=signer_name, level=level)
    ids = sorted({getattr(n, "pk", n) for n in nominations})
    if not ids:
        raise ValidationError({"nominations": _("Hãy chọn ít nhất một đề nghị được khen thưởng.")})
    with transaction.atomic():
        if not Province.objects.filter(rule_q(actor, "awards.record_decision"), pk=province.pk).exists():
            raise PermissionDenied
        rows = list(Nomination.objects.filter(pk__in=ids).select_related("award_type", "agency", "bloc_year__bloc"))
        if len(rows) != len(ids):
            raise ValidationError({"nominations": _("Có đề nghị không còn tồn tại; hãy tải lại trang.")})
        refusals = []
        for row in rows:
            why = _("thuộc tỉnh khác") if row.bloc_year.bloc.province_id != province.pk else _awardable(row, fields["level"])
            if (
                why is None
                and AwardRecord.objects.filter(
                    agency=row.agency, year=row.bloc_year.year, award_code=row.award_type.code
                ).exists()
            ):
                why = _("đơn vị đã có hình thức khen thưởng này trong năm %(year)s") % {"year": row.bloc_year.year}
            if why is not None:
                refusals.append(
                    _("%(label)s (%(year)s): %(why)s.") % {"label": _label(row), "year": row.bloc_year.year, "why": why}
                )
        if refusals:
            raise ValidationError({"nominations": [_("Chưa ghi quyết định vì:"), *refusals]})
        decision = Decision.objects.filter(province=province, number=fields["number"], date=fields["date"]).first()
        if decision is None:
            decision = Decision(province=province, recorded_by=actor, **fields)
            decision.full_clean()
            decision.save()
        elif decision.level != fields["level"] or decision.signer_title != fields["signer_title"]:
            raise ValidationError(
                {
                    "number": _("Quyết định số %(number)s ngày %(date)s đã được ghi với cấp hoặc người ký khác: %(existing)s.")
                    % {"number": fields["number"], "date": fields["date"].strftime("%d/%m/%Y"), "existing": decision}
                }
            )
        for row in rows:
            _award(actor=actor, nomination=row, decision=decision, ip=ip)
    for row in rows:
        _tell_secretaries(row, _("Đề nghị %(label)s đã có %(decision)s.") % {"label": _label(row), "decision": decision})
    return decision


def _award(*, actor, nomination, decision, ip):
    def apply(row):
        row.decision = decision
        row.decided_by, row.decided_at = actor, timezone.now()
        row.version = new_version()
        AwardRecord.objects.create(
            agency=row.agency,
            year=row.bloc_year.year,
            award_code=row.award_type.code,
            award_name=row.award_type.name,
            level=row.award_type.level,
            decision=decision,
            nomination=row,
            bloc_year=row.bloc_year,
            recorded_by=actor,
        )
        return {"decision": decision.pk, "decision_text": str(decision)}

    return NOMINATION_FLOW.run("award", obj=nomination, actor=actor, ip=ip, apply=apply)


# --- corrections ------------------------------------------------------------------------------------

CORRECTABLE = {
    "decision": _("Quyết định khen thưởng"),
    "state": _("Kết quả khen thưởng"),
    "board_note": _("Ý kiến của Ban"),
}
# The outcomes a correction may turn a decided nomination into.
STATE_CORRECTIONS = {N.AWARDED: (N.REJECTED,), N.REJECTED: (N.APPROVED,)}


def _correct_decision(row, new_value):
    if row.state != N.AWARDED:
        raise ValidationError({"new_value": _("Chỉ sửa quyết định của đề nghị đã được khen thưởng.")})
    try:
        decision = Decision.objects.get(pk=int(str(new_value)), province_id=row.bloc_year.bloc.province_id)
    except (ValueError, TypeError, OverflowError, Decision.DoesNotExist):
        raise ValidationError({"new_value": _("Hãy chọn một quyết định đã ghi của tỉnh.")}) from None
    if decision.level != row.award_type.level:
        raise ValidationError({"new_value": _("Quyết định này khác cấp với hình thức khen thưởng.")})
    if decision.pk == row.decision_id:
        raise ValidationError({"new_value": _("Đề nghị đã gắn với quyết định này.")})
    old = str(row.decision) if row.decision_id else ""
    row.decision = decision
    AwardRecord.objects.filter(nomination=row).update(decision=decision, decision_text="")
    return old, str(decision), {"decision": [row.decision_id, decision.pk]}


def _correct_state(row, new_value):
    allowed = STATE_CORRECTIONS.get(row.state, ())
    if new_value not in allowed:
        raise ValidationError(
            {"new_value": _("Không chuyển được từ “%(state)s” sang kết quả này.") % {"state": row.get_state_display()}}
        )
    old = row.get_state_display()
    data = {}
    if row.state == N.AWARDED:
        record = AwardRecord.objects.filter(nomination=row).first()
        if record is not None:
            data["removed_record"] = {
                "year": record.year,
                "award": record.award_name,
                "decision": str(record.decision or record.decision_text),
            }
            record.delete()
        row.decision = None
    row.state = new_value
    return old, str(NominationState(new_value).label), data


def nomination_correct(
    *, actor, nomination: Nomination, field: str, new_value: str, reason: str, version: str | None = None, ip: str | None = None
) -> NominationCorrection:
    """Change a decided nomination (awarded or rejected) with a reason: its decision, its outcome
    (awarded → rejected removes the award-history row; rejected → approved reopens it) or the
    board's note. Writes a ``NominationCorrection`` and the audit entry (``NOMINATION_FLOW`` "correct")."""
    if field not in CORRECTABLE:
        raise ValidationError({"field": _("Hãy chọn nội dung cần đính chính.")})
    reason = _text(reason, field="reason", required_message=_("Hãy ghi lý do đính chính."))
    made = {}

    def apply(row):
        if version is not None and version != row.version:
            raise ValidationError(_("Đề nghị vừa được người khác thay đổi; hãy xem lại rồi đính chính."), code="stale")
        if field == "decision":
            old, new, data = _correct_decision(row, new_value)
        elif field == "state":
            old, new, data = _correct_state(row, new_value)
        else:
            note = _text(new_value, field="new_value", required_message="", max_length=NOTE_MAX_LENGTH, required=False)
            if note == row.board_note:
                raise ValidationError({"new_value": _("Nội dung mới giống nội dung cũ.")})
            old, new, data = row.board_note, note, {}
            row.board_note = note
        row.version = new_version()
        made["correction"] = NominationCorrection.objects.create(
            nomination=row,
            field=field,
            old_value=old,
            new_value=new,
            reason=reason,
            corrected_by=actor,
        )
        return {"field": field, "old": old, "new": new, "reason": reason, **data}

    row = NOMINATION_FLOW.run("correct", obj=nomination, actor=actor, ip=ip, apply=apply)
    _tell_secretaries(
        row, _("Ban Thi đua – Khen thưởng đính chính đề nghị %(label)s: %(reason)s") % {"label": _label(row), "reason": reason}
    )
    return made["correction"]
