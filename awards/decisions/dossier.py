"""The bloc's dossier to the board (hồ sơ đề nghị khen thưởng, step 6 of the yearly cycle).

- ``dossier_for(bloc_year)``: the bloc-year's dossier, created with the rule set's deadline.
- ``dossier_status(dossier)``: each required document (the cover letter, the year-end minutes,
  the vote-count record, the score table, one achievement report per nominee) present or
  missing, and what blocks each nomination (its eligibility checks).
- ``report_upload``: the nominee's achievement report (PDF or Word), private, replaced by a new one.
- ``dossier_submit``: through ``DOSSIER_FLOW`` "submit": refused with the list of what is missing
  or blocking, or after the deadline; the voted nominations go to the board; a cover letter
  (Tờ trình) PDF is issued for each submission, so a resubmission issues a new one and the
  first stays verifiable.
- ``dossier_deadline_set``: the board moves the deadline.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.decisions import documents as letters
from awards.decisions.people import board_of
from awards.models import (
    AchievementReport,
    Ballot,
    BallotState,
    Dossier,
    DossierState,
    Nomination,
    NominationState,
    RankingRecord,
    RoundState,
    new_version,
)
from awards.selectors import NoRuleSet, rules_for
from awards.workflow import DOSSIER_FLOW, NOMINATION_FLOW
from blocs.models import Membership
from core.access import roles_for, rule_q
from core.audit import audit_record
from core.hashing import canonical_hash
from core.models import IssuedDocument, JobStatus
from core.notifications import notify
from core.uploads import check_upload

N = NominationState

# Nominations that belong in the dossier: the ones the bloc voted for, whatever the board did since.
IN_DOSSIER = (N.VOTED, N.SUBMITTED, N.RETURNED, N.APPROVED, N.FORWARDED, N.AWARDED, N.REJECTED)
# Still on their way to the board's word: their report and their checks count for a submission.
PENDING = (N.VOTED, N.SUBMITTED, N.RETURNED)
# The report may be replaced until the board holds the dossier (a returned nomination: again).
REPORT_STATES = (N.PROPOSED, N.VOTED, N.RETURNED)
REPORT_KINDS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
NUMBER_MAX_LENGTH = 60
BALLOT_RECORD_KIND = "awards.ballot_record"
MINUTES_KIND = "minutes"
SCORE_TABLE_KIND = "score_table"


@dataclass(frozen=True)
class RequiredDocument:
    """One document of the dossier: present or missing, with a link (the verify page of an issued
    PDF, or the download of an uploaded report). ``generated``: the portal writes it at submission."""

    key: str
    label: str
    present: bool
    url: str = ""
    note: str = ""
    generated: bool = False


@dataclass
class NominationRow:
    nomination: Nomination
    report: AchievementReport | None
    checks: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def pending(self):
        return self.nomination.state in PENDING

    @property
    def report_url(self):
        return reverse("awards:report_download", args=[self.nomination.pk]) if self.report is not None else ""


@dataclass
class DossierStatus:
    dossier: Dossier
    documents: list
    nominations: list
    letters: list
    overdue: bool
    today: datetime.date

    @property
    def missing(self) -> list[str]:
        """What a submission still needs, one sentence each."""
        found = [
            _("Thiếu %(document)s.") % {"document": d.label[:1].lower() + d.label[1:]}
            for d in self.documents
            if not d.present and not d.generated
        ]
        for row in self.nominations:
            if row.pending and row.report is None:
                found.append(
                    _("Thiếu báo cáo thành tích của %(agency)s (%(award)s).")
                    % {"agency": row.nomination.agency.name, "award": row.nomination.award_type.name}
                )
        return found

    @property
    def blocking(self) -> list[str]:
        return [
            _("%(agency)s – %(award)s: %(problem)s")
            % {"agency": row.nomination.agency.name, "award": row.nomination.award_type.name, "problem": problem}
            for row in self.nominations
            if row.pending
            for problem in row.problems
        ]

    @property
    def missing_reports(self) -> int:
        return sum(1 for row in self.nominations if row.pending and row.report is None)

    @property
    def pending_count(self):
        return sum(1 for row in self.nominations if row.pending)

    @property
    def ready(self) -> bool:
        return self.pending_count > 0 and not self.missing and not self.blocking


# --- the dossier -------------------------------------------------------------------------------


def deadline_of(bloc_year) -> datetime.date | None:
    """The rule set's ``dossier_deadline`` (day/month) in the bloc-year's year, or None."""
    try:
        day_month = rules_for(bloc_year).dossier_deadline
    except NoRuleSet:
        return None
    if not isinstance(day_month, tuple):
        return None
    day, month = day_month
    try:
        return datetime.date(bloc_year.year, month, day)
    except ValueError:  # 29/02 in a common year
        return datetime.date(bloc_year.year, month, 28)


def dossier_for(bloc_year) -> Dossier:
    """The bloc-year's dossier; created (a draft, with the rule set's deadline) the first time."""
    found = Dossier.objects.filter(bloc_year=bloc_year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Dossier.objects.create(bloc_year=bloc_year, deadline=deadline_of(bloc_year))
    except IntegrityError:  # created by a concurrent request
        return Dossier.objects.get(bloc_year=bloc_year)


def dossier_nominations(bloc_year) -> list[Nomination]:
    return list(
        Nomination.objects.filter(bloc_year=bloc_year, state__in=IN_DOSSIER)
        .select_related("award_type", "agency", "report", "decision")
        .order_by("award_type_id", "position", "pk")
    )


def _documents_by_source(model, ids, kind) -> dict:
    if not ids:
        return {}
    rows = IssuedDocument.objects.filter(source_type=ContentType.objects.get_for_model(model), source_id__in=list(ids), kind=kind)
    return {d.source_id: d for d in rows}


def _usable(document) -> bool:
    return document is not None and document.status != JobStatus.FAILED


def _link(document) -> str:
    return reverse("verify", args=[document.code]) if document is not None and document.status == JobStatus.DONE else ""


def _note(document) -> str:
    if document is None:
        return ""
    if document.status == JobStatus.DONE:
        return _("Mã văn bản %(code)s") % {"code": document.code}
    if document.status == JobStatus.FAILED:
        return _("Tạo tệp PDF bị lỗi; người phụ trách cần tạo lại.")
    return _("Đang tạo tệp PDF (mã %(code)s).") % {"code": document.code}


def _minutes(bloc_year) -> RequiredDocument:
    from meetings.models import LOCKED_STATES, MeetingKind, MinutesRevision

    label = _("Biên bản hội nghị tổng kết (đã duyệt)")
    revision = (
        MinutesRevision.objects.filter(
            meeting__bloc_year=bloc_year, meeting__kind=MeetingKind.YEAR_END, meeting__state__in=LOCKED_STATES
        )
        .order_by("-approved_at", "-pk")
        .first()
    )
    document = _documents_by_source(MinutesRevision, [revision.pk], MINUTES_KIND).get(revision.pk) if revision else None
    note = _note(document) if revision else _("Chưa có hội nghị tổng kết có biên bản đã duyệt.")
    return RequiredDocument("minutes", label, _usable(document), _link(document), note)


def _round_of(kind: str) -> int:
    suffix = kind[len(BALLOT_RECORD_KIND) + 1 :]
    return int(suffix) if suffix.isdigit() else 1


def _ballot_records(bloc_year) -> list[RequiredDocument]:
    label = _("Biên bản kiểm phiếu")
    ballots = list(
        Ballot.objects.filter(bloc_year=bloc_year, state=BallotState.CLOSED).order_by("closed_at", "pk").only("pk", "title")
    )
    if not ballots:
        return [RequiredDocument("ballot_record", label, False, note=_("Chưa có cuộc bỏ phiếu nào đã kết thúc."))]
    # One record per round (``awards.ballot_record``, ``awards.ballot_record.2`` …): the last round's counts.
    rows = IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(Ballot),
        source_id__in=[b.pk for b in ballots],
        kind__startswith=BALLOT_RECORD_KIND,
    )
    documents = {}
    for document in sorted(rows, key=lambda d: _round_of(d.kind)):
        documents[document.source_id] = document
    return [
        RequiredDocument(
            f"ballot_record:{b.pk}",
            f"{label} – {b.title}" if len(ballots) > 1 else label,
            _usable(documents.get(b.pk)),
            _link(documents.get(b.pk)),
            _note(documents.get(b.pk)) or _("Chưa phát hành biên bản kiểm phiếu."),
        )
        for b in ballots
    ]


def _score_table(bloc_year) -> RequiredDocument:
    label = _("Bảng tổng hợp kết quả chấm điểm")
    record = RankingRecord.objects.filter(round__bloc_year=bloc_year, round__state=RoundState.FROZEN).order_by("-number").first()
    document = _documents_by_source(RankingRecord, [record.pk], SCORE_TABLE_KIND).get(record.pk) if record else None
    note = _note(document) if record else _("Kết quả chấm điểm chưa được chốt.")
    return RequiredDocument("score_table", label, _usable(document), _link(document), note)


def _checks(bloc_year, nominations):
    """``{pk: (checks, problems)}`` from the nominations part (eligibility and what blocks a submission)."""
    if not nominations:
        return {}
    from awards.nominations.eligibility import checks_for, problems

    by_pk = checks_for(bloc_year, nominations=nominations)
    return {n.pk: (by_pk.get(n.pk, []), problems(n, by_pk.get(n.pk, [])) if n.state in PENDING else []) for n in nominations}


def dossier_status(dossier: Dossier, *, nominations=None) -> DossierStatus:
    """What the dossier holds and lacks, and what blocks each nomination. A constant number of
    queries whatever the number of nominations."""
    bloc_year = dossier.bloc_year
    nominations = dossier_nominations(bloc_year) if nominations is None else nominations
    issued = letters.letters_of(dossier) if dossier.pk else []
    cover = RequiredDocument(
        "cover_letter",
        _("Tờ trình đề nghị khen thưởng"),
        bool(issued),
        _link(issued[0]) if issued else "",
        _note(issued[0]) if issued else _("Cổng tạo Tờ trình khi khối nộp hồ sơ."),
        generated=True,
    )
    documents = [cover, _minutes(bloc_year), *_ballot_records(bloc_year), _score_table(bloc_year)]
    checks = _checks(bloc_year, nominations)
    rows = []
    for nomination in nominations:
        found_checks, found_problems = checks.get(nomination.pk, ([], []))
        rows.append(NominationRow(nomination, getattr(nomination, "report", None), list(found_checks), list(found_problems)))
    today = timezone.localdate()
    overdue = (
        dossier.state in (DossierState.DRAFT, DossierState.RETURNED) and dossier.deadline is not None and today > dossier.deadline
    )
    return DossierStatus(dossier, documents, rows, issued, overdue, today)


# --- the achievement report ---------------------------------------------------------------------


def bloc_secretary(user, bloc_year_id: int) -> bool:
    """The bloc's own work on its dossier (reports, a returned nomination sent back) is its
    secretaries' (as ``awards.submit_dossier``): the board reviews it and does not write it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = roles_for(user)
    return roles.is_superuser or bloc_year_id in roles.secretary_bloc_year_ids


def report_may_change(nomination: Nomination, dossier_state: str | None) -> bool:
    """Until the board holds the dossier: a nomination not yet submitted, one submitted with a
    dossier still in preparation or returned, or one the board returned."""
    if nomination.state in REPORT_STATES:
        return True
    return nomination.state == N.SUBMITTED and dossier_state in (None, DossierState.DRAFT, DossierState.RETURNED)


def report_upload(*, actor, nomination: Nomination, uploaded, ip: str | None = None) -> AchievementReport:
    """Store ``uploaded`` as the nominee's achievement report (PDF or Word, checked by its content),
    replacing the earlier one; audited with both files' SHA-256."""
    if uploaded is None:
        raise ValidationError({"file": _("Hãy chọn tệp báo cáo thành tích.")})
    kind, size, sha256 = check_upload(uploaded)
    if kind not in REPORT_KINDS:
        raise ValidationError({"file": _("Báo cáo thành tích chỉ nhận tệp PDF hoặc Word (DOCX).")})
    with transaction.atomic():
        row = Nomination.objects.select_for_update(of=("self",)).select_related("agency", "award_type").get(pk=nomination.pk)
        if (
            not bloc_secretary(actor, row.bloc_year_id)
            or not Nomination.objects.filter(rule_q(actor, "awards.edit_nomination"), pk=row.pk).exists()
        ):
            raise PermissionDenied
        dossier_state = Dossier.objects.filter(bloc_year_id=row.bloc_year_id).values_list("state", flat=True).first()
        if not report_may_change(row, dossier_state):
            raise ValidationError(_("Hồ sơ đã ở Ban Thi đua – Khen thưởng: không thay báo cáo thành tích được nữa."))
        report = AchievementReport.objects.filter(nomination=row).first()
        old = None
        if report is None:
            report = AchievementReport(nomination=row)
        else:
            old = {"name": report.original_name, "sha256": report.sha256, "file": report.file.name}
        report.original_name = (uploaded.name or "bao-cao-thanh-tich")[-255:]
        report.content_type = REPORT_KINDS[kind]
        report.size = size
        report.sha256 = sha256
        report.uploaded_by = actor
        report.file.save(f"{sha256[:16]}.{kind}", uploaded, save=False)
        report.save()
        audit_record(
            actor=actor,
            ip=ip,
            action="nomination.report_upload",
            obj=row,
            data={
                "name": report.original_name,
                "size": size,
                "sha256": sha256,
                "replaced": {k: old[k] for k in ("name", "sha256")} if old else None,
            },
        )
        if old and old["file"] and old["file"] != report.file.name:
            storage, name = report.file.storage, old["file"]
            transaction.on_commit(lambda: storage.delete(name))
    return report


# --- submitting ----------------------------------------------------------------------------------


def _submit_refusals(status: DossierStatus) -> list[str]:
    reasons = []
    if status.overdue:
        reasons.append(
            _("Đã quá hạn nộp hồ sơ (%(day)s). Ban Thi đua – Khen thưởng có thể gia hạn.")
            % {"day": status.dossier.deadline.strftime("%d/%m/%Y")}
        )
    if status.pending_count == 0:
        reasons.append(_("Chưa có đề nghị nào được khối bình xét, suy tôn để trình."))
    return reasons + status.missing + status.blocking


def _clean_number(number: str) -> str:
    from core.cleaning import clean_text

    try:
        return clean_text(number or "", max_length=NUMBER_MAX_LENGTH)
    except ValidationError as error:
        raise ValidationError({"number": error.messages}) from None


def letter_snapshot(*, dossier: Dossier, nominations, status: DossierStatus, number: str, actor, when, letter: int) -> dict:
    """What the cover letter says, frozen at submission (its content hash is printed on it)."""
    bloc_year = dossier.bloc_year
    head = bloc_year.head
    members = Membership.objects.filter(bloc_year=bloc_year).count()
    return {
        "letter": letter,
        "number": number,
        "province": bloc_year.bloc.province.name,
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
        "date": timezone.localtime(when).date().isoformat(),
        "members": members,
        "head": {"agency": head.name, "title": head.leader_title, "name": head.leader_name} if head else None,
        "submitted_by": actor.get_full_name(),
        "nominations": [
            {
                "award": n.award_type.name,
                "level": n.award_type.level,
                "agency": n.agency.name,
                "votes_yes": n.votes_yes,
                "votes_percent": str(n.votes_percent) if n.votes_percent is not None else None,
                "reason": n.reason,
            }
            for n in nominations
        ],
        "documents": [d.label for d in status.documents if d.present and not d.generated]
        + ([_("Báo cáo thành tích của %(n)s đơn vị") % {"n": len(nominations)}] if nominations else []),
    }


def dossier_submit(*, actor, dossier: Dossier, number: str = "", ip: str | None = None) -> Dossier:
    """Submit the dossier to the board (``DOSSIER_FLOW`` "submit"): refused, with every reason, when
    a document or report is missing, a nomination is blocked or the deadline has passed. The voted
    nominations become submitted; a cover letter is issued; the board is told."""
    number = _clean_number(number)
    issued = {}

    def apply(row):
        status = dossier_status(row)
        refusals = _submit_refusals(status)
        if refusals:
            raise ValidationError(refusals)
        for item in status.nominations:
            if item.nomination.state == N.VOTED:
                NOMINATION_FLOW.run("submit", obj=item.nomination, actor=actor, ip=ip, data={"dossier": row.pk})
        listed = [n for n in dossier_nominations(row.bloc_year) if n.state == N.SUBMITTED]
        count = len(status.letters) + 1
        if count > letters.MAX_LETTERS:
            raise ValidationError(
                _("Hồ sơ đã nộp quá %(n)s lần; hãy liên hệ Ban Thi đua – Khen thưởng.") % {"n": letters.MAX_LETTERS}
            )
        now = timezone.now()
        row.number = number or row.number
        row.submitted_at, row.submitted_by = now, actor
        row.return_reason = ""
        row.version = new_version()
        snapshot = letter_snapshot(
            dossier=row, nominations=listed, status=status, number=row.number, actor=actor, when=now, letter=count
        )
        content_hash = canonical_hash(snapshot)
        issued["document"] = letters.issue(row, count)
        return {
            "letter": count,
            "number": row.number,
            "nominations": [n.pk for n in listed],
            "cover_letter": snapshot,
            "content_hash": content_hash,
            "document": issued["document"].code,
        }

    row = DOSSIER_FLOW.run("submit", obj=dossier, actor=actor, ip=ip, apply=apply)
    bloc_year = row.bloc_year
    notify(
        users=board_of(bloc_year.bloc.province_id),
        url=row.get_absolute_url(),
        message=_("%(bloc)s đã nộp hồ sơ đề nghị khen thưởng năm %(year)s.")
        % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
    )
    return row


def dossier_deadline_set(
    *, actor, dossier: Dossier, deadline: datetime.date, version: str | None = None, ip: str | None = None
) -> Dossier:
    """The board moves the deadline (audited with the old and new dates)."""
    if deadline is None:
        raise ValidationError({"deadline": _("Hãy nhập hạn nộp hồ sơ.")})
    if not datetime.date(2000, 1, 1) <= deadline <= datetime.date(2101, 12, 31):
        raise ValidationError({"deadline": _("Hạn nộp hồ sơ không hợp lệ.")})
    with transaction.atomic():
        row = DOSSIER_FLOW.lock(dossier)
        if not Dossier.objects.filter(rule_q(actor, "awards.review_dossier"), pk=row.pk).exists():
            raise PermissionDenied
        if version is not None and version != row.version:
            raise ValidationError(
                _("Hồ sơ vừa được người khác thay đổi; hãy xem lại hạn nộp hiện tại rồi lưu lại."), code="stale"
            )
        old = row.deadline
        if old == deadline:
            return row
        row.deadline = deadline
        row.version = new_version()
        row.save(update_fields=["deadline", "version"])
        audit_record(actor=actor, ip=ip, action="dossier.deadline", obj=row, data={"from": old, "to": deadline})
    return row
