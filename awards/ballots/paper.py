"""Paper ballots: the counts from the meeting (ballots issued, returned, valid, invalid, "yes" per
candidate) entered by one person and entered again, or confirmed, by a second person (another
secretary, the head agency's leader, the board). The round can be closed only when both entries
agree; every difference is listed for both (``paper_mismatches``).

``PaperCount.counts``: ``{question id: {"issued", "returned", "valid", "invalid", "yes": {candidate id: n}}}``
(ids as text)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import BallotCandidate, PaperCount, QuestionKind
from awards.workflow import BALLOT_FLOW
from core.hashing import canonical_hash

FIELDS = ("issued", "returned", "valid", "invalid")
FIELD_LABELS = {
    "issued": gettext_lazy("số phiếu phát ra"),
    "returned": gettext_lazy("số phiếu thu về"),
    "valid": gettext_lazy("số phiếu hợp lệ"),
    "invalid": gettext_lazy("số phiếu không hợp lệ"),
}
LIMIT = 32767  # the columns' range; anything near it is refused by the sums long before
FORGED = gettext_lazy("Số liệu có câu hỏi hoặc đơn vị không thuộc vòng bỏ phiếu này.")


def round_questions(ballot, round_number=None):
    candidates = BallotCandidate.objects.select_related("agency").order_by("position", "pk")
    return list(ballot.questions.filter(round=round_number or ballot.round).prefetch_related(Prefetch("candidates", candidates)))


def _number(value, problems, where):
    if value is None or value == "":
        problems.append(_("%(where)s: chưa nhập.") % {"where": where})
        return None
    if isinstance(value, bool):
        problems.append(_("%(where)s: phải là số nguyên không âm.") % {"where": where})
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        problems.append(_("%(where)s: phải là số nguyên không âm.") % {"where": where})
        return None
    if number < 0:
        problems.append(_("%(where)s: phải là số nguyên không âm.") % {"where": where})
        return None
    if number > LIMIT:
        problems.append(_("%(where)s: số quá lớn.") % {"where": where})
        return None
    return number


def _check_sums(question, numbers, yes, names, members_count, problems):
    q = question.title
    if numbers["valid"] + numbers["invalid"] != numbers["returned"]:
        problems.append(_("“%(q)s”: số phiếu hợp lệ (%(v)s) + không hợp lệ (%(i)s) phải bằng số phiếu thu về (%(r)s).")
                        % {"q": q, "v": numbers["valid"], "i": numbers["invalid"], "r": numbers["returned"]})
    if numbers["returned"] > numbers["issued"]:
        problems.append(_("“%(q)s”: số phiếu thu về (%(r)s) không được lớn hơn số phiếu phát ra (%(s)s).")
                        % {"q": q, "r": numbers["returned"], "s": numbers["issued"]})
    if numbers["issued"] > members_count:
        problems.append(_("“%(q)s”: số phiếu phát ra (%(s)s) không được lớn hơn số thành viên của khối (%(m)s).")
                        % {"q": q, "s": numbers["issued"], "m": members_count})
    for key, count in yes.items():
        if count > numbers["valid"]:
            problems.append(_("“%(q)s”, %(name)s: số phiếu đồng ý (%(y)s) không được lớn hơn số phiếu hợp lệ (%(v)s).")
                            % {"q": q, "name": names[key], "y": count, "v": numbers["valid"]})
    total = sum(yes.values())
    if question.kind == QuestionKind.AWARD and question.max_choices > 0 and total > numbers["valid"] * question.max_choices:
        problems.append(_("“%(q)s”: tổng số phiếu chọn (%(t)s) vượt quá số phiếu hợp lệ × %(n)s (mỗi phiếu chọn tối đa %(n)s đơn vị).")
                        % {"q": q, "t": total, "n": question.max_choices})
    if question.kind != QuestionKind.AWARD and total > numbers["valid"]:
        problems.append(_("“%(q)s”: tổng số phiếu bầu (%(t)s) vượt quá số phiếu hợp lệ (%(v)s) (mỗi phiếu bầu một đơn vị).")
                        % {"q": q, "t": total, "v": numbers["valid"]})


def normalize_counts(questions, counts, members_count: int) -> dict:
    """Check one person's entry of the round's counts and return it in the stored form. Raises
    ValidationError listing every problem (Vietnamese, naming the question and the agency)."""
    if not isinstance(counts, dict):
        raise ValidationError(FORGED, code="forged")
    by_id = {str(q.pk): q for q in questions}
    if {str(key) for key in counts} - set(by_id):
        raise ValidationError(FORGED, code="forged")
    given = {str(key): value for key, value in counts.items()}
    problems, result = [], {}
    for question in questions:
        raw = given.get(str(question.pk))
        if not isinstance(raw, dict):
            problems.append(_("“%(q)s”: chưa nhập số liệu.") % {"q": question.title})
            continue
        numbers = {name: _number(raw.get(name), problems, f"“{question.title}”, {FIELD_LABELS[name]}") for name in FIELDS}
        raw_yes = raw.get("yes") or {}
        if not isinstance(raw_yes, dict):
            raise ValidationError(FORGED, code="forged")
        candidates = {str(c.pk): c for c in question.candidates.all()}
        raw_yes = {str(key): value for key, value in raw_yes.items()}
        if set(raw_yes) - set(candidates):
            raise ValidationError(FORGED, code="forged")
        yes = {key: _number(raw_yes.get(key), problems, f"“{question.title}”, {c.agency.name}") for key, c in candidates.items()}
        if None in numbers.values() or None in yes.values():
            continue
        _check_sums(question, numbers, yes, {key: c.agency.name for key, c in candidates.items()}, members_count, problems)
        result[str(question.pk)] = {**numbers, "yes": yes}
    if problems:
        raise ValidationError(problems, code="counts")
    return result


def entries(ballot, round_number=None) -> list[PaperCount]:
    """The entries of the round (at most two), entry 1 first, with who entered them."""
    return list(PaperCount.objects.filter(ballot=ballot, round=round_number or ballot.round).select_related("entered_by").order_by("entry"))


def fingerprint(entry: PaperCount | None) -> str:
    """What the confirming person read: the entry's counts, author and time (the stale-tab token)."""
    if entry is None:
        return ""
    return canonical_hash({"by": entry.entered_by_id, "at": entry.entered_at.isoformat(), "counts": entry.counts})


def _save_entry(row, actor, counts) -> tuple[PaperCount, int]:
    mine = PaperCount.objects.filter(ballot=row, round=row.round, entered_by=actor).first()
    if mine is not None:
        mine.counts = counts
        mine.save(update_fields=["counts", "entered_at"])
        return mine, mine.entry
    taken = set(PaperCount.objects.filter(ballot=row, round=row.round).values_list("entry", flat=True))
    free = [n for n in (1, 2) if n not in taken]
    if not free:
        raise ValidationError(_("Đã có hai người nhập kết quả kiểm phiếu của vòng này; người nhập sửa lại phần của mình nếu có sai khác."),
                              code="full")
    try:
        with transaction.atomic():
            entry = PaperCount.objects.create(ballot=row, round=row.round, entry=free[0], entered_by=actor, counts=counts)
    except IntegrityError:
        raise ValidationError(_("Kết quả kiểm phiếu vừa được người khác nhập; hãy tải lại trang."), code="stale") from None
    return entry, entry.entry


def paper_count_enter(*, actor, ballot, counts: dict, ip: str | None = None) -> PaperCount:
    """Enter (or correct one's own) counts of the round: the first person writes entry 1, a second
    person entry 2; a third is refused."""
    saved = {}

    def apply(row):
        normalized = normalize_counts(round_questions(row), counts, row.members_count)
        saved["entry"], number = _save_entry(row, actor, normalized)
        return {"round": row.round, "entry": number}

    BALLOT_FLOW.run("count", obj=ballot, actor=actor, ip=ip, apply=apply)
    return saved["entry"]


def paper_count_confirm(*, actor, ballot, seen: str | None = None, ip: str | None = None) -> PaperCount:
    """The second person confirms entry 1 as read (``seen``: its ``fingerprint`` when the page
    was shown; a changed entry is refused as stale): entry 2 becomes a copy of entry 1."""
    saved = {}

    def apply(row):
        found = entries(row)
        first = next((e for e in found if e.entry == 1), None)
        if first is None:
            raise ValidationError(_("Chưa có lần nhập thứ nhất để xác nhận."), code="missing")
        if first.entered_by_id == actor.pk:
            raise ValidationError(_("Người xác nhận phải là người khác với người nhập lần thứ nhất."), code="same_person")
        if seen is not None and seen != fingerprint(first):
            raise ValidationError(_("Lần nhập thứ nhất vừa được sửa sau khi đồng chí mở trang: hãy đọc lại số liệu rồi xác nhận."),
                                  code="stale")
        normalize_counts(round_questions(row), first.counts, row.members_count)
        saved["entry"], number = _save_entry(row, actor, first.counts)
        return {"round": row.round, "entry": number, "confirmed": True}

    BALLOT_FLOW.run("count", obj=ballot, actor=actor, ip=ip, apply=apply)
    return saved["entry"]


def paper_mismatches(ballot, round_number=None) -> list[str]:
    """Every difference between the two entries of the round, in words (empty: they agree, or
    fewer than two entries)."""
    found = entries(ballot, round_number)
    if len(found) < 2:
        return []
    first, second = found[0].counts, found[1].counts
    lines = []
    for question in round_questions(ballot, round_number):
        a, b = first.get(str(question.pk), {}), second.get(str(question.pk), {})
        for name in FIELDS:
            if a.get(name) != b.get(name):
                lines.append(_("“%(q)s”, %(field)s: lần 1 nhập %(a)s, lần 2 nhập %(b)s.")
                             % {"q": question.title, "field": FIELD_LABELS[name], "a": a.get(name, "—"), "b": b.get(name, "—")})
        for candidate in question.candidates.all():
            x, y = (a.get("yes") or {}).get(str(candidate.pk)), (b.get("yes") or {}).get(str(candidate.pk))
            if x != y:
                lines.append(_("“%(q)s”, %(name)s: lần 1 nhập %(a)s, lần 2 nhập %(b)s.")
                             % {"q": question.title, "name": candidate.agency.name, "a": "—" if x is None else x,
                                "b": "—" if y is None else y})
    return lines


def agreed_counts(ballot) -> dict:
    """The round's counts when two people entered them and they agree; else ValidationError."""
    found = entries(ballot)
    if len(found) < 2:
        raise ValidationError(_("Kết quả kiểm phiếu giấy cần hai người nhập (hoặc người thứ hai xác nhận) trước khi kết thúc."),
                              code="paper_missing")
    mismatches = paper_mismatches(ballot)
    if mismatches:
        raise ValidationError([_("Hai lần nhập kết quả kiểm phiếu chưa khớp:"), *mismatches], code="paper_mismatch")
    questions = round_questions(ballot)
    if {str(q.pk) for q in questions} != set(found[0].counts):
        raise ValidationError(_("Số liệu kiểm phiếu không khớp với các câu hỏi của vòng này; hãy nhập lại."), code="paper_missing")
    return found[0].counts
