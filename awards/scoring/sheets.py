"""An agency's self-score sheet: saving it (lines, figures, points, evidence, bonus and penalty
lines), sending it to the leader, the leader's approval or return, and answering a checker's query.

Every change goes through ``SHEET_FLOW`` / ``LINE_FLOW`` (locked, checked, audited). The sheet's
``version`` token changes at every write; a form loaded before another write is refused when a line
it shows has changed since (``StaleSheet`` names those lines), and what was typed is kept.
"""

import hashlib
from decimal import Decimal

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from awards.models import Evidence, LineKind, ScoreLine, ScoreSheet, new_version
from awards.reminders import answer_key
from awards.scoring.points import check_points, shown, step_of
from awards.selectors import rules_of
from awards.workflow import LINE_FLOW, SHEET_FLOW
from blocs.models import Role
from core.hashing import sha256_of_file
from core.notifications import notifications_done, notify
from core.uploads import check_upload, detect_kind

User = get_user_model()

MAX_FILES_PER_LINE = 20
MAX_FILES_PER_POST = 50
MAX_PIXELS = 40_000_000
TEXT_MAX = 5000
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def totals(lines, rules=None) -> dict:
    """Claimed totals of a sheet's lines: criteria, bonus and penalty (capped), total."""
    sums = {LineKind.CRITERION: Decimal(0), LineKind.BONUS: Decimal(0), LineKind.PENALTY: Decimal(0)}
    missing = 0
    for line in lines:
        if line.claimed_points is None:
            missing += line.kind == LineKind.CRITERION
            continue
        sums[line.kind] += line.claimed_points
    bonus, penalty = sums[LineKind.BONUS], sums[LineKind.PENALTY]
    if rules is not None:
        if isinstance(rules.bonus_cap, Decimal):
            bonus = min(bonus, rules.bonus_cap)
        if isinstance(rules.penalty_cap, Decimal):
            penalty = min(penalty, rules.penalty_cap)
    criteria = sums[LineKind.CRITERION]
    return {"criteria": criteria, "bonus": bonus, "penalty": penalty, "total": criteria + bonus - penalty, "missing": missing}


# --- evidence --------------------------------------------------------------------------------

def _check_image(upload, kind):
    name = getattr(upload, "name", "") or _("ảnh")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Tệp %(name)s không phải là ảnh hợp lệ.") % {"name": name}) from None
    finally:
        upload.seek(0)
    if {"JPEG": "jpg", "PNG": "png"}.get(image_format) != kind:
        raise ValidationError(_("Ảnh %(name)s phải ở định dạng JPEG hoặc PNG.") % {"name": name})
    if width * height > MAX_PIXELS:
        raise ValidationError(_("Ảnh %(name)s có kích thước điểm ảnh quá lớn.") % {"name": name})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if {"jpeg": "jpg"}.get(extension, extension) != kind:
        raise ValidationError(_("Tệp %(name)s có đuôi .%(ext)s nhưng nội dung là ảnh %(kind)s; hãy kiểm tra lại tệp.")
                              % {"name": name, "ext": extension or "?", "kind": image_format})


def check_evidence(upload) -> tuple[str, int, str]:
    """(kind, size, sha256) of a proof file, checked by its content: PDF, DOCX, XLSX, JPEG or PNG."""
    name = getattr(upload, "name", "") or "?"
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("Tệp %(name)s quá lớn (%(size)s); dung lượng tối đa là %(limit)s.") % {
            "name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)})
    if upload.size == 0:
        raise ValidationError(_("Tệp %(name)s rỗng.") % {"name": name})
    upload.seek(0)
    guess = filetype.guess(upload.read(8192))
    upload.seek(0)
    if guess is not None and guess.extension in ("jpg", "png"):
        _check_image(upload, guess.extension)
        return guess.extension, upload.size, sha256_of_file(upload)
    if detect_kind(upload) is None:
        raise ValidationError(_("Tệp %(name)s: chỉ nhận minh chứng PDF, Word (DOCX), Excel (XLSX) hoặc ảnh JPEG, PNG; "
                                "nội dung tệp này không phải các định dạng đó.") % {"name": name})
    try:
        return check_upload(upload)
    except ValidationError as error:
        raise ValidationError(_("Tệp %(name)s: %(reason)s") % {"name": name, "reason": " ".join(error.messages)}) from None


def _store_evidence(*, actor, sheet, line, upload, checked) -> Evidence:
    kind, size, sha256 = checked
    evidence = Evidence(sheet=sheet, line=line, original_name=(upload.name or "minh-chung")[-255:],
                        content_type=CONTENT_TYPES[kind], size=size, sha256=sha256, uploaded_by=actor)
    evidence.file.save(f"{sha256[:16]}.{kind}", upload, save=False)
    evidence.save()
    return evidence


def _check_files(files: dict) -> tuple[dict, dict]:
    """Check every upload; ``({key: [(upload, checked)]}, {key-files: [messages]})``."""
    checked, errors = {}, {}
    if sum(len(v) for v in files.values()) > MAX_FILES_PER_POST:
        raise ValidationError(_("Mỗi lần lưu tải lên tối đa %(n)s tệp.") % {"n": MAX_FILES_PER_POST})
    for key, uploads in files.items():
        for upload in uploads:
            try:
                checked.setdefault(key, []).append((upload, check_evidence(upload)))
            except ValidationError as error:
                errors.setdefault(f"{key}-files", []).extend(error.messages)
    return checked, errors


# --- stale forms -----------------------------------------------------------------------------

def line_digest(*, result="", figure=None, reason="", points=None) -> str:
    text = "\x1f".join([result or "", shown(figure), reason or "", shown(points)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digest_of(line) -> str:
    return line_digest(result=line.result_text, figure=line.figure, reason=line.reason, points=line.claimed_points)


class StaleSheet(ValidationError):
    """The form was loaded before someone else saved lines it shows. ``changed``: line ids changed
    since; ``untouched``: those among them this form did not edit (the page shows what is saved)."""

    def __init__(self, message, *, changed, untouched, version):
        super().__init__(message, code="stale")
        self.changed, self.untouched, self.version = changed, untouched, version


def _line_label(line) -> str:
    if line.kind == LineKind.CRITERION and line.criterion_id:
        return _("tiêu chí %(n)s") % {"n": line.position + 1}
    return _("dòng %(kind)s “%(reason)s”") % {"kind": line.get_kind_display().lower(), "reason": line.reason[:40]}


# --- people ----------------------------------------------------------------------------------

def _agency_people(agency_id, roles):
    return User.objects.filter(
        is_active=True, role_assignments__role__in=roles, role_assignments__agency_id=agency_id
    ).distinct()


def _secretaries(bloc_year_id):
    return User.objects.filter(is_active=True, role_assignments__role=Role.SECRETARY, role_assignments__bloc_year_id=bloc_year_id).distinct()


# --- saving ----------------------------------------------------------------------------------

def sheet_lines(sheet):
    return list(sheet.lines.select_related("criterion").order_by("kind", "position", "pk"))


def sheet_save(*, actor, ip=None, sheet: ScoreSheet, version: str, seen: dict, criteria: dict, extras: list,
               files: dict, remove_evidence=(), action="save") -> ScoreSheet:
    """Save the whole sheet (``SHEET_FLOW`` "save"; "send" saves, then sends to the leader).

    ``criteria``: ``{line_id: {"result", "figure", "points"}}``; ``extras``: bonus and penalty rows
    ``{"id" (None for a new row), "key", "kind", "reason", "points", "remove"}``; ``files``:
    ``{key: [uploads]}`` where key is ``l<line id>`` or a new row's key; ``seen``: ``{line_id:
    digest}`` as the form showed them. Errors are keyed ``<key>-<field>``."""
    rules = rules_of(sheet.round.rule_set)
    step = step_of(rules)

    def apply(row):
        lines = {line.pk: line for line in sheet_lines(row)}
        if version != row.version:
            def posted_digest(pk):
                posted = criteria.get(pk) or next((e for e in extras if e.get("id") == pk), None)
                if posted is None:
                    return None
                return line_digest(result=posted.get("result", ""), figure=posted.get("figure"),
                                   reason=posted.get("reason", ""), points=posted.get("points"))

            # A line saved since with exactly what this form posts (the same form sent twice) is no conflict.
            changed = [pk for pk, digest in seen.items()
                       if pk not in lines or (digest_of(lines[pk]) != digest and posted_digest(pk) != digest_of(lines[pk]))]
            changed += [pk for pk, line in lines.items() if line.kind != LineKind.CRITERION and pk not in seen]
            if changed:
                untouched = []
                for pk in changed:
                    if posted_digest(pk) is not None and seen.get(pk) == posted_digest(pk):
                        untouched.append(pk)
                names = ", ".join(_line_label(lines[pk]) if pk in lines else _("một dòng đã bị xoá") for pk in changed)
                raise StaleSheet(
                    _("Chưa lưu: người khác vừa sửa phiếu này (%(lines)s). Các dòng anh/chị chưa sửa đã hiện nội dung mới; "
                      "phần anh/chị đã nhập vẫn giữ nguyên — hãy xem lại rồi lưu lại.") % {"lines": names},
                    changed=changed, untouched=untouched, version=row.version,
                )
        errors = {}
        for pk, posted in criteria.items():
            line = lines.get(pk)
            if line is None or line.kind != LineKind.CRITERION:
                raise ValidationError(_("Phiếu đã thay đổi (một tiêu chí không còn); hãy tải lại trang."))
            try:
                check_points(posted.get("points"), maximum=line.criterion.max_points, step=step, what=_("Điểm tự chấm"))
            except ValidationError as error:
                errors[f"l{pk}-points"] = error.messages
            figure = posted.get("figure")
            if figure is not None and (figure.as_tuple().exponent < -2 or abs(figure) >= Decimal("1e12")):
                errors[f"l{pk}-figure"] = [_("Số liệu chỉ lấy tối đa hai chữ số thập phân và dưới 1.000 tỷ.")]
        kept_extras = []
        sums = {LineKind.BONUS: Decimal(0), LineKind.PENALTY: Decimal(0)}
        for extra in extras:
            key = extra["key"]
            if extra.get("id") is not None and (extra["id"] not in lines or lines[extra["id"]].kind == LineKind.CRITERION):
                raise ValidationError(_("Phiếu đã thay đổi (một dòng thưởng/trừ không còn); hãy tải lại trang."))
            if extra.get("remove"):
                continue
            kind, points, reason = extra["kind"], extra.get("points"), extra.get("reason", "")
            if extra.get("id") is None and points is None and not reason and not files.get(key):
                continue  # an empty new row
            what = _("Điểm thưởng") if kind == LineKind.BONUS else _("Điểm trừ")
            try:
                check_points(points, maximum=None, step=step, what=what)
            except ValidationError as error:
                errors[f"{key}-points"] = error.messages
            else:
                if points is None:
                    errors[f"{key}-points"] = [_("Hãy nhập số điểm của dòng này.")]
                else:
                    sums[kind] += points
            if not reason:
                errors[f"{key}-reason"] = [_("Hãy ghi lý do.")]
            kept_extras.append(extra)
        for kind, cap_key, label in ((LineKind.BONUS, "bonus_cap", _("Tổng điểm thưởng")), (LineKind.PENALTY, "penalty_cap", _("Tổng điểm trừ"))):
            cap = getattr(rules, cap_key)
            if isinstance(cap, Decimal) and sums[kind] > cap:
                errors.setdefault("__all__", []).append(
                    _("%(label)s là %(sum)s, vượt mức tối đa %(cap)s điểm (%(source)s).")
                    % {"label": label, "sum": shown(sums[kind]), "cap": shown(cap), "source": rules.source(cap_key) or rules.name}
                )
        removals = set(remove_evidence)
        evidence = {e.pk: e for e in Evidence.objects.filter(sheet=row, pk__in=removals)}
        if set(evidence) != removals:
            raise ValidationError(_("Một minh chứng định xoá không còn thuộc phiếu này; hãy tải lại trang."))
        checked, file_errors = _check_files(files)
        errors.update(file_errors)
        counts = {}
        for e in Evidence.objects.filter(sheet=row).exclude(pk__in=removals).values_list("line_id", flat=True):
            counts[e] = counts.get(e, 0) + 1
        for key, uploads in checked.items():
            line_id = int(key[1:]) if key.startswith("l") and key[1:].isdigit() else None
            if line_id is not None and line_id not in lines:
                raise ValidationError(_("Phiếu đã thay đổi; hãy tải lại trang."))
            if counts.get(line_id, 0) + len(uploads) > MAX_FILES_PER_LINE:
                errors.setdefault(f"{key}-files", []).append(_("Mỗi dòng có tối đa %(n)s minh chứng.") % {"n": MAX_FILES_PER_LINE})
        if errors:
            raise ValidationError(errors)
        # Write.
        changed_lines = []
        for pk, posted in criteria.items():
            line = lines[pk]
            new = (posted.get("result", ""), posted.get("figure"), posted.get("points"))
            if (line.result_text, line.figure, line.claimed_points) != new:
                line.result_text, line.figure, line.claimed_points = new
                if not line.criterion.target:
                    line.figure = None
                line.save(update_fields=["result_text", "figure", "claimed_points"])
                changed_lines.append(pk)
        added, removed = [], []
        by_key = {}
        position = max([line.position for line in lines.values() if line.kind != LineKind.CRITERION] or [0]) + 1
        for extra in extras:
            if extra.get("id") is not None and extra.get("remove"):
                removed.append({"id": extra["id"], "kind": lines[extra["id"]].kind, "reason": lines[extra["id"]].reason,
                                "points": shown(lines[extra["id"]].claimed_points)})
                lines[extra["id"]].delete()
        for extra in kept_extras:
            if extra.get("id") is None:
                line = ScoreLine.objects.create(sheet=row, kind=extra["kind"], reason=extra["reason"],
                                                claimed_points=extra["points"], position=position)
                position += 1
                added.append(line.pk)
            else:
                line = lines[extra["id"]]
                if (line.reason, line.claimed_points) != (extra["reason"], extra["points"]):
                    line.reason, line.claimed_points = extra["reason"], extra["points"]
                    line.save(update_fields=["reason", "claimed_points"])
                    changed_lines.append(line.pk)
            by_key[extra["key"]] = line
        gone = [{"id": e.pk, "name": e.original_name, "sha256": e.sha256} for e in evidence.values()]
        for e in evidence.values():
            e.delete()  # the stored file stays (the audit entry names it by its hash)
        stored = []
        for key, uploads in checked.items():
            line = by_key.get(key) or (lines.get(int(key[1:])) if key[1:].isdigit() else None)
            if line is None or line.pk is None:
                continue
            for upload, result in uploads:
                e = _store_evidence(actor=actor, sheet=row, line=line, upload=upload, checked=result)
                stored.append({"id": e.pk, "line": line.pk, "name": e.original_name, "sha256": e.sha256})
        row.version = new_version()
        return {"lines": changed_lines, "added": added, "removed": removed, "evidence_added": stored, "evidence_removed": gone}

    sheet = SHEET_FLOW.run("save", obj=sheet, actor=actor, ip=ip, apply=apply)
    if action == "send":
        sheet = sheet_send(actor=actor, ip=ip, sheet=sheet)
    return sheet


def _require_complete(row):
    missing = [line for line in row.lines.filter(kind=LineKind.CRITERION, claimed_points__isnull=True).order_by("position")]
    if missing:
        raise ValidationError(
            _("Còn %(n)s tiêu chí chưa chấm điểm (%(first)s…): hãy nhập điểm tự chấm cho mọi tiêu chí.")
            % {"n": len(missing), "first": _line_label(missing[0])}
        )


def sheet_send(*, actor, ip=None, sheet: ScoreSheet) -> ScoreSheet:
    """The officer sends the sheet to the agency's leader (``SHEET_FLOW`` "send")."""

    def apply(row):
        _require_complete(row)
        row.sent_at = timezone.now()
        row.version = new_version()

    sheet = SHEET_FLOW.run("send", obj=sheet, actor=actor, ip=ip, apply=apply)
    notify(users=_agency_people(sheet.agency_id, [Role.LEADER]).exclude(pk=actor.pk),
           message=_("Phiếu tự chấm điểm của %(agency)s chờ đồng chí duyệt.") % {"agency": sheet.agency},
           url=sheet.get_absolute_url())
    return sheet


def sheet_approve(*, actor, ip=None, sheet: ScoreSheet) -> ScoreSheet:
    """The leader approves: the sheet is locked and submitted to the bloc."""

    def apply(row):
        _require_complete(row)
        row.submitted_at, row.submitted_by = timezone.now(), actor
        row.return_reason = ""
        row.version = new_version()
        t = totals(row.lines.all(), rules_of(row.round.rule_set))
        return {"total": shown(t["total"])}

    sheet = SHEET_FLOW.run("approve", obj=sheet, actor=actor, ip=ip, apply=apply)
    notify(users=_secretaries(sheet.round.bloc_year_id),
           message=_("%(agency)s đã gửi phiếu tự chấm điểm.") % {"agency": sheet.agency}, url=sheet.get_absolute_url())
    return sheet


def sheet_return(*, actor, ip=None, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The leader sends the sheet back to the officers with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại để cán bộ biết cần sửa gì.")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": _("Lý do quá dài (tối đa %(n)s ký tự).") % {"n": TEXT_MAX}})

    def apply(row):
        row.return_reason = reason
        row.version = new_version()
        return {"reason": reason}

    sheet = SHEET_FLOW.run("return", obj=sheet, actor=actor, ip=ip, apply=apply)
    notify(users=_agency_people(sheet.agency_id, [Role.OFFICER, Role.LEADER]).exclude(pk=actor.pk),
           message=_("Lãnh đạo đã trả lại phiếu tự chấm điểm của %(agency)s: %(reason)s") % {"agency": sheet.agency, "reason": reason[:200]},
           url=sheet.get_absolute_url())
    return sheet


def line_answer(actor, line: ScoreLine, answer: str, files=(), revision=None, ip=None) -> ScoreLine:
    """The agency answers a queried line (text and more evidence); it goes back to the checker."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Hãy ghi nội dung trả lời.")})
    if len(answer) > TEXT_MAX:
        raise ValidationError({"answer": _("Trả lời quá dài (tối đa %(n)s ký tự).") % {"n": TEXT_MAX}})
    files = list(files or ())
    if len(files) > MAX_FILES_PER_LINE:
        raise ValidationError({"files": _("Mỗi dòng có tối đa %(n)s minh chứng.") % {"n": MAX_FILES_PER_LINE}})
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_evidence(upload)))
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from None

    def apply(row):
        if revision is not None and int(revision) != row.revision:
            raise ValidationError(_("Dòng này vừa được người khác cập nhật; trang đã hiện nội dung mới nhất, hãy xem lại rồi gửi lại."),
                                  code="stale")
        row.answer = answer
        row.revision += 1
        stored = [_store_evidence(actor=actor, sheet=row.sheet, line=row, upload=u, checked=c) for u, c in checked]
        ScoreSheet.objects.filter(pk=row.sheet_id).update(version=new_version())
        return {"answer": answer, "evidence_added": [{"id": e.pk, "name": e.original_name, "sha256": e.sha256} for e in stored]}

    line = LINE_FLOW.run("answer", obj=line, actor=actor, ip=ip, apply=apply)
    notifications_done(key=answer_key(line))
    if line.checked_by_id:
        notify(users=[line.checked_by_id], message=_("%(agency)s đã trả lời yêu cầu bổ sung minh chứng.") % {"agency": line.sheet.agency},
               url=reverse("awards:sheet_check", args=[line.sheet_id]) + f"#line-{line.pk}")
    return line


def evidence_by_line(sheet) -> dict:
    found = {}
    for e in Evidence.objects.filter(sheet=sheet).only("pk", "line_id", "original_name", "size", "content_type", "uploaded_at").order_by("uploaded_at", "pk"):
        found.setdefault(e.line_id, []).append(e)
    return found
