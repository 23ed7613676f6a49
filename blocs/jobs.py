"""The blocs' background jobs (``core.jobs``): exports and imports too large for one request.

An export job stores the page's cleaned filters and runs the very selector the direct download
uses, as the user who asked; an import job carries the parsed rows (the worker cannot see the
session) and writes them with ``transfer.import_apply``: validated again, all in one transaction.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs import export, selectors, transfer
from blocs.models import Province
from core.access import can
from core.jobs import JobError, JobOutput, job_kind

AGENCY_EXPORT = "blocs.agency_export"
BLOCYEAR_EXPORT = "blocs.blocyear_export"
IMPORT = "blocs.import"


def agency_export_filename(day=None) -> str:
    return f"co-quan-don-vi-{day or timezone.localdate():%Y%m%d}.xlsx"


def blocyear_export_filename(day=None) -> str:
    return f"khoi-thi-dua-theo-nam-{day or timezone.localdate():%Y%m%d}.xlsx"


def agency_filters_query(params: dict) -> str:
    """The export filters as the list page's query string (``q``, ``status``)."""
    return urlencode({k: v for k, v in (("q", params["query"]), ("status", params["status"])) if v})


def blocyear_filters_query(params: dict) -> str:
    return urlencode({k: v for k, v in (("q", params["query"]), ("year", params["year"])) if v})


@job_kind(
    AGENCY_EXPORT,
    rule="blocs.read_province",
    title=gettext_lazy("Xuất Excel danh sách cơ quan, đơn vị"),
    back=lambda job: (
        reverse("blocs:agency_list") + (f"?{q}" if (q := agency_filters_query(job.params)) else ""),
        _("Về danh sách cơ quan, đơn vị"),
    ),
)
def agency_export(job, report) -> JobOutput:
    agencies = selectors.agencies_for_export(user=job.requested_by, query=job.params["query"], status=job.params["status"])
    total = export.agency_row_count(agencies)
    report(0, total)
    content = export.agencies_xlsx(agencies, progress=report, total=total)
    return JobOutput(content=content, filename=agency_export_filename(timezone.localdate(job.created_at)))


@job_kind(
    BLOCYEAR_EXPORT,
    rule="blocs.read_province",
    title=gettext_lazy("Xuất Excel khối thi đua theo năm"),
    back=lambda job: (
        reverse("blocs:blocyear_list") + (f"?{q}" if (q := blocyear_filters_query(job.params)) else ""),
        _("Về danh sách khối thi đua theo năm"),
    ),
)
def blocyear_export(job, report) -> JobOutput:
    bloc_years = selectors.bloc_years_for_export(user=job.requested_by, year=job.params["year"], query=job.params["query"])
    total = export.bloc_year_row_count(bloc_years)
    report(0, total)
    content = export.bloc_years_xlsx(bloc_years, progress=report, total=total)
    return JobOutput(content=content, filename=blocyear_export_filename(timezone.localdate(job.created_at)))


def _import_lines(job) -> list[str]:
    return [transfer.summary_text(filename=job.params["file"]["filename"], summary=job.result)]


@job_kind(
    IMPORT,
    rule="blocs.manage_province",
    subject=lambda params: params.get("province_id"),
    title=gettext_lazy("Nhập danh sách từ tệp"),
    describe=_import_lines,
    back=lambda job: (reverse("blocs:blocyear_list"), _("Về danh sách khối thi đua theo năm")),
    atomic=True,
)
def import_file(job, report) -> JobOutput:
    """The confirm step of an import, in a worker: the same checks and the same single write."""
    province = Province.objects.filter(pk=job.params["province_id"]).first()
    if province is None or not can(job.requested_by, "blocs.manage_province", province):
        raise JobError(_("Bạn không còn quyền nhập dữ liệu cho tỉnh này; chưa có gì được lưu."))
    parsed = transfer.ParsedFile.from_dict(job.params["file"])
    report(0, len(parsed.rows))
    try:
        summary = transfer.import_apply(actor=job.requested_by, ip=job.params.get("ip"), province=province, parsed=parsed)
    except ValidationError as error:
        raise JobError(" ".join(error.messages)) from error
    report(len(parsed.rows), len(parsed.rows))
    return JobOutput(result=summary)
