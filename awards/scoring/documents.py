"""The score-table PDF (issue 10): issued through the one document service at each freeze, from
the ``RankingRecord`` the freeze wrote (Decree 30 layout, code, QR, verify page)."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from awards.models import RankingRecord
from blocs.access import bloc_years_where
from core.access import rule
from core.documents import DocumentContent, document_builder, document_request, issuer_parent
from core.models import IssuedDocument

KIND = "score_table"


@rule("awards.view_ranking_record", model="awards.RankingRecord")
def _view_record(roles):
    return bloc_years_where(roles, "view", at="round__bloc_year")


@rule("awards.run_ranking_record", model="awards.RankingRecord")
def _run_record(roles):
    return bloc_years_where(roles, "run", at="round__bloc_year")


def _title(record):
    return _("Bảng tổng hợp kết quả chấm điểm thi đua năm %(year)s – %(bloc)s") % {
        "year": record.snapshot.get("year", ""), "bloc": record.snapshot.get("bloc", "")}


def issue(record: RankingRecord):
    """Ask for the PDF of ``record`` (get-or-create; rendered after the commit)."""
    return document_request(source=record, kind=KIND, title=_title(record))


def document_of(record: RankingRecord):
    return IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(RankingRecord), source_id=record.pk, kind=KIND
    ).first()


@document_builder(KIND, view_rule="awards.view_ranking_record", manage_rule="awards.run_ranking_record")
def build(record):
    record = RankingRecord.objects.select_related("round__bloc_year__bloc__province", "frozen_by").get(pk=record.pk)
    s = record.snapshot
    frozen_at = timezone.localtime(record.frozen_at)
    return DocumentContent(
        template_name="awards/scoring/score_table_document.html",
        context={
            "s": s,
            "record": record,
            "issuer_parent": issuer_parent(s["province"]),
            "issuer_name": s["bloc"],
            "place": s["province"],
            "day": frozen_at.date(),
            "frozen_by": record.frozen_by.get_full_name() or record.frozen_by.get_username(),
            "tied": any(row["tied"] for row in s["rows"]),
        },
        summary={
            "title": _title(record),
            "bloc": s["bloc"],
            "year": s["year"],
            "province": s["province"],
            "lines": [
                _("Chốt lần %(n)s lúc %(at)s; %(count)s đơn vị.") % {"n": record.number, "at": frozen_at.strftime("%d/%m/%Y %H:%M"),
                                                                      "count": len(s["rows"])},
                *[f"{row['rank']}. {row['agency']}: {number_format(Decimal(row['total']), 2)}" + (f" ({row['band']})" if row["band"] else "")
                  for row in s["rows"]],
            ],
        },
        content_hash=record.content_hash,
    )
