"""The cover letter (Tờ trình đề nghị khen thưởng), issued through the one document service at each
submission of a dossier (Decree 30 layout, code, QR, verify page).

A document is unique per (source, kind), and its source here is the dossier (the access rules
of the dossier apply to it), so the n-th submission's letter is of kind ``awards.cover_letter``
(n = 1) or ``awards.cover_letter.<n>``: a resubmission issues a new letter and the earlier ones
stay as they were issued, verifiable by their codes. What a letter says is frozen at submission
in the audit entry of that submission (``data["cover_letter"]``, its hash in ``content_hash``),
so rendering it again (a retry) prints the same text.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from awards.models import Dossier
from core.documents import DocumentContent, document_builder, document_request, issuer_parent
from core.models import AuditEntry, IssuedDocument

KIND = "awards.cover_letter"
MAX_LETTERS = 30


def kind_of(letter: int) -> str:
    return KIND if letter == 1 else f"{KIND}.{letter}"


def letter_number(kind: str) -> int:
    return 1 if kind == KIND else int(kind.rsplit(".", 1)[1])


def _title(dossier: Dossier, letter: int) -> str:
    bloc_year = dossier.bloc_year
    title = _("Tờ trình đề nghị khen thưởng năm %(year)s – %(bloc)s") % {"year": bloc_year.year, "bloc": bloc_year.bloc.name}
    return title if letter == 1 else _("%(title)s (nộp lần %(n)s)") % {"title": title, "n": letter}


def issue(dossier: Dossier, letter: int) -> IssuedDocument:
    """Ask for the letter of the ``letter``-th submission (rendered after the commit)."""
    return document_request(source=dossier, kind=kind_of(letter), title=_title(dossier, letter))


def letters_of(dossier: Dossier) -> list[IssuedDocument]:
    """The dossier's cover letters, the latest first. One query."""
    rows = IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(Dossier), source_id=dossier.pk, kind__startswith=KIND
    )
    return sorted(rows, key=lambda d: letter_number(d.kind), reverse=True)


def _submission(dossier: Dossier, letter: int) -> AuditEntry:
    entries = AuditEntry.objects.filter(
        object_type="awards.dossier", object_id=str(dossier.pk), action="dossier.submit"
    ).order_by("id")
    for entry in entries:
        if entry.data.get("letter") == letter:
            return entry
    raise LookupError(f"no submission {letter} of dossier {dossier.pk}")


def _build(dossier: Dossier, letter: int) -> DocumentContent:
    dossier = Dossier.objects.select_related("bloc_year__bloc__province").get(pk=dossier.pk)
    entry = _submission(dossier, letter)
    s = entry.data["cover_letter"]
    day = datetime.date.fromisoformat(s["date"])
    return DocumentContent(
        template_name="awards/decisions/cover_letter_document.html",
        context={
            "s": s,
            "day": day,
            "issuer_parent": issuer_parent(s["province"]),
            "issuer_name": s["bloc"],
            "number": s["number"],
            "place": s["province"],
        },
        summary={
            "title": _title(dossier, letter),
            "number": s["number"],
            "bloc": s["bloc"],
            "year": s["year"],
            "province": s["province"],
            "lines": [
                _("Nộp lần %(n)s ngày %(day)s, người nộp: %(who)s.")
                % {"n": letter, "day": day.strftime("%d/%m/%Y"), "who": s["submitted_by"]},
                *[
                    f"{i}. {row['award']}: {row['agency']}"
                    + (
                        _(" – %(yes)s/%(members)s phiếu đồng ý") % {"yes": row["votes_yes"], "members": s["members"]}
                        if row["votes_yes"] is not None
                        else ""
                    )
                    for i, row in enumerate(s["nominations"], start=1)
                ],
            ],
        },
        content_hash=entry.data.get("content_hash", ""),
    )


def _register(letter: int):
    @document_builder(kind_of(letter), view_rule="awards.view_dossier", manage_rule="awards.submit_dossier")
    def build(dossier):
        return _build(dossier, letter)

    return build


BUILDERS = [_register(letter) for letter in range(1, MAX_LETTERS + 1)]
