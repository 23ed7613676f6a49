"""The vote-count record (Biên bản kiểm phiếu), issued through the one document service when a
round closes (Decree 30 layout, code, QR, public verify page).

A document is one per (source, kind): the record of round 1 is kind ``awards.ballot_record`` and
the record of round N > 1 is ``awards.ballot_record.N``, all with the ballot as their source.
A closed round's rows never change afterwards, so the record reads them from the database."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.ballots import selectors
from awards.models import Ballot, BallotMode, QuestionKind
from core.documents import DocumentContent, document_builder, document_request, issuer_parent
from core.hashing import canonical_hash
from core.models import IssuedDocument

KIND = "awards.ballot_record"
MAX_ROUNDS = 10  # the catalogue's bound on ballot_max_rounds


def kind_for(round_number: int) -> str:
    return KIND if round_number <= 1 else f"{KIND}.{round_number}"


def round_of(kind: str) -> int:
    return 1 if kind == KIND else int(kind.rsplit(".", 1)[1])


def _title(ballot: Ballot, round_number: int) -> str:
    title = _("Biên bản kiểm phiếu – %(title)s") % {"title": ballot.title}
    return title + (_(" (vòng %(n)s)") % {"n": round_number} if round_number > 1 else "")


def issue(ballot: Ballot, round_number: int) -> IssuedDocument:
    """Ask for the record of the round (get-or-create; rendered after the commit)."""
    return document_request(source=ballot, kind=kind_for(round_number), title=_title(ballot, round_number))


def records_of(ballot: Ballot) -> list[IssuedDocument]:
    """The ballot's issued records, round 1 first (one query)."""
    found = IssuedDocument.objects.filter(source_type=ContentType.objects.get_for_model(Ballot), source_id=ballot.pk,
                                          kind__startswith=KIND)
    return sorted(found, key=lambda d: round_of(d.kind))


def record_data(ballot: Ballot, round_number: int) -> dict:
    """The round's results as plain data (what the PDF prints and its content hash covers)."""
    questions = [q for q in selectors.questions_of(ballot) if q.round == round_number and q.counted]
    info = selectors.closed_round_info(ballot, round_number)
    rules = selectors.rules_view(ballot) or {}
    voters = []
    if ballot.mode == BallotMode.ONLINE:
        turnout = selectors.turnout(ballot, round_number)
        voters = [a.name for a in turnout.members if a.pk in turnout.voted_ids]
    return {
        "ballot": ballot.pk,
        "title": ballot.title,
        "mode": ballot.mode,
        "mode_label": str(BallotMode(ballot.mode).label),
        "round": round_number,
        "members_count": ballot.members_count,
        "present": info.get("present"),
        "closed_at": info.get("closed_at", ""),
        "closed_by": info.get("closed_by", ""),
        "voters": voters,
        "rules": {key: rules.get(key, "") for key in ("rule_set", "quorum", "quorum_source", "threshold", "threshold_source",
                                                      "max_rounds", "tie_break", "tie_break_source")},
        "questions": [
            {
                "title": q.title, "kind": q.kind, "how": q.how, "issued": q.issued, "returned": q.returned, "valid": q.valid,
                "invalid": q.invalid, "resolved": q.resolved, "note": q.note, "base": q.base,
                "candidates": [{"agency": c.agency, "yes": c.yes, "no": c.no, "percent": str(c.percent) if c.percent is not None else None,
                                "passed": c.passed} for c in q.candidates],
            }
            for q in questions
        ],
        "elected": {kind: q.elected.agency for q in questions if (kind := q.kind) != QuestionKind.AWARD and q.elected},
    }


def _outcome_word(passed) -> str:
    if passed is None:
        return _("chưa có kết quả")
    return _("đạt") if passed else _("không đạt")


def _summary_line(question: dict) -> str:
    parts = []
    for c in question["candidates"]:
        share = f" ({c['percent'].replace('.', ',')} %)" if c["percent"] else ""
        parts.append(f"{c['agency']}: {c['yes']}{share} – {_outcome_word(c['passed'])}")
    return f"{question['title']}: " + "; ".join(parts)


def _build(ballot: Ballot, round_number: int) -> DocumentContent:
    ballot = Ballot.objects.select_related("bloc_year__bloc__province", "meeting").get(pk=ballot.pk)
    data = record_data(ballot, round_number)
    closed_at = datetime.datetime.fromisoformat(data["closed_at"]) if data["closed_at"] else ballot.closed_at or timezone.now()
    closed_at = timezone.localtime(closed_at)
    bloc_year = ballot.bloc_year
    province = bloc_year.bloc.province.name
    meeting = ballot.meeting
    return DocumentContent(
        template_name="awards/ballots/record_document.html",
        context={
            "r": data, "ballot": ballot, "bloc_year": bloc_year, "meeting": meeting,
            "issuer_parent": issuer_parent(province), "issuer_name": bloc_year.bloc.name, "place": province,
            "day": closed_at.date(), "closed_time": closed_at.strftime("%H:%M"),
        },
        summary={
            "title": _title(ballot, round_number),
            "bloc": bloc_year.bloc.name,
            "year": bloc_year.year,
            "province": province,
            "lines": [
                _("Vòng %(n)s, kết thúc lúc %(at)s; %(present)s/%(members)s thành viên có mặt.") % {
                    "n": round_number, "at": closed_at.strftime("%d/%m/%Y %H:%M"), "present": data["present"],
                    "members": data["members_count"]},
                *[_summary_line(q) for q in data["questions"]],
            ],
        },
        content_hash=canonical_hash(data),
    )


def _register(round_number: int):
    @document_builder(kind_for(round_number), view_rule="awards.view_ballot", manage_rule="awards.run_ballot")
    def build(ballot):
        return _build(ballot, round_number)

    return build


BUILDERS = {n: _register(n) for n in range(1, MAX_ROUNDS + 1)}
