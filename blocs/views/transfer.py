"""Import (upload → preview → confirm) and .xlsx exports of agencies and bloc-years.

Between preview and confirm the parsed rows wait in the session, keyed by the file's SHA-256;
confirm validates them again against the database before writing anything. A file of more than
``IMPORT_INLINE_MAX_ROWS`` rows is confirmed as a job (``blocs.jobs``), an export of more than
``EXPORT_INLINE_MAX_ROWS`` rows is made by one: the GET answers a page whose button (a POST, since
it writes) starts the job, then the job's page shows the progress and the download.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import export, jobs, selectors, transfer
from blocs.forms import ImportForm
from blocs.models import AgencyStatus
from blocs.views.blocs import _year_param
from core.access import require
from core.audit import client_ip
from core.cleaning import clean_query
from core.jobs import job_start

SESSION_KEY = "blocs_import"
JOB_SESSION_KEY = "blocs_import_job"  # the file last confirmed as a job: a repeated confirm goes to it


def _xlsx(content, name):
    response = HttpResponse(content, content_type=export.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _pending(request):
    """The parsed file waiting for confirmation and its province, or (None, None)."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None, None
    province = selectors.provinces_managed_by(request.user).filter(pk=data["province_id"]).first()
    if province is None:
        return None, None
    return transfer.ParsedFile.from_dict(data["file"]), province


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, "blocs.manage_province")
    form = ImportForm(request.POST or None, request.FILES or None, provinces=selectors.provinces_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = transfer.import_parse(filename=upload.name, content=upload.read(transfer.MAX_BYTES + 1))
        request.session[SESSION_KEY] = {"province_id": form.chosen_province().pk, "file": parsed.as_dict()}
        return redirect("blocs:import_preview")
    return render(request, "blocs/import_upload.html", {"form": form, "columns": transfer.COLUMNS})


@login_required
@require_GET
def import_preview(request):
    require(request.user, "blocs.manage_province")
    parsed, province = _pending(request)
    if parsed is None:
        return redirect("blocs:import_upload")
    plan = transfer.import_validate(province=province, parsed=parsed)
    runs_as_job = len(parsed.rows) > settings.IMPORT_INLINE_MAX_ROWS
    return render(request, "blocs/import_preview.html", {"plan": plan, "province": province, "runs_as_job": runs_as_job})


@login_required
@require_POST
def import_confirm(request):
    require(request.user, "blocs.manage_province")
    parsed, province = _pending(request)
    started = request.session.get(JOB_SESSION_KEY)
    if parsed is None and started and started["sha256"] == request.POST.get("sha256"):
        return redirect("job_detail", started["job"])  # the same confirm again, after its job started
    if parsed is None or request.POST.get("sha256") != parsed.sha256:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc đã được thay bằng tệp khác; hãy tải tệp lên lại."))
        return redirect("blocs:import_upload")
    if len(parsed.rows) > settings.IMPORT_INLINE_MAX_ROWS:
        # Keyed on the file: the same confirm posted twice gives the one job still running.
        job = job_start(
            kind=jobs.IMPORT,
            user=request.user,
            params={"province_id": province.pk, "file": parsed.as_dict(), "ip": client_ip(request)},
            key=parsed.sha256,
        )
        del request.session[SESSION_KEY]
        request.session[JOB_SESSION_KEY] = {"sha256": parsed.sha256, "job": job.pk}
        return redirect(job)
    try:
        summary = transfer.import_apply(actor=request.user, ip=client_ip(request), province=province, parsed=parsed)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("blocs:import_preview")
    del request.session[SESSION_KEY]
    text = transfer.summary_text(filename=parsed.filename, summary=summary)
    (messages.success if any(summary.values()) else messages.info)(request, text)
    return redirect("blocs:blocyear_list")


@login_required
@require_POST
def import_cancel(request):
    require(request.user, "blocs.manage_province")
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("Đã hủy nhập tệp; không có gì được lưu."))
    return redirect("blocs:import_upload")


@login_required
@require_GET
def import_template(request):
    require(request.user, "blocs.manage_province")
    province = selectors.provinces_managed_by(request.user).first()
    content = export.import_template_xlsx(province_name=province.name if province else "")
    return _xlsx(content, "mau-nhap-khoi-thi-dua.xlsx")


def _offer_job(request, *, title, rows, action, back):
    """Too many rows for the request: a page whose button starts the job (a GET never writes)."""
    return render(
        request,
        "core/job_start.html",
        {"title": title, "rows": rows, "limit": settings.EXPORT_INLINE_MAX_ROWS, "action": action, "back": back},
    )


def _agency_filters(request):
    status = clean_query(request, "status")
    return {"query": clean_query(request, "q"), "status": status if status in AgencyStatus.values else ""}


def _blocyear_filters(request):
    return {"year": _year_param(request), "query": clean_query(request, "q")}


def _with_query(url, query):
    return f"{url}?{query}" if query else url


@login_required
@require_GET
def agency_export(request):
    require(request.user, "blocs.read_province")
    filters = _agency_filters(request)
    agencies = selectors.agencies_for_export(user=request.user, **filters)
    rows = export.agency_row_count(agencies)
    if rows > settings.EXPORT_INLINE_MAX_ROWS:
        query = jobs.agency_filters_query(filters)
        return _offer_job(
            request,
            title=_("Xuất Excel danh sách cơ quan, đơn vị"),
            rows=rows,
            action=_with_query(reverse("blocs:agency_export_job"), query),
            back=(_with_query(reverse("blocs:agency_list"), query), _("Quay lại danh sách")),
        )
    return _xlsx(export.agencies_xlsx(agencies), jobs.agency_export_filename())


@login_required
@require_POST
def agency_export_job(request):
    require(request.user, "blocs.read_province")
    return redirect(job_start(kind=jobs.AGENCY_EXPORT, user=request.user, params=_agency_filters(request)))


@login_required
@require_GET
def blocyear_export(request):
    require(request.user, "blocs.read_province")
    filters = _blocyear_filters(request)
    bloc_years = selectors.bloc_years_for_export(user=request.user, **filters)
    rows = export.bloc_year_row_count(bloc_years)
    if rows > settings.EXPORT_INLINE_MAX_ROWS:
        query = jobs.blocyear_filters_query(filters)
        return _offer_job(
            request,
            title=_("Xuất Excel khối thi đua theo năm"),
            rows=rows,
            action=_with_query(reverse("blocs:blocyear_export_job"), query),
            back=(_with_query(reverse("blocs:blocyear_list"), query), _("Quay lại danh sách")),
        )
    return _xlsx(export.bloc_years_xlsx(bloc_years), jobs.blocyear_export_filename())


@login_required
@require_POST
def blocyear_export_job(request):
    require(request.user, "blocs.read_province")
    return redirect(job_start(kind=jobs.BLOCYEAR_EXPORT, user=request.user, params=_blocyear_filters(request)))
