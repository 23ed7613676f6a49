"""Import (upload → preview → confirm) and .xlsx exports of agencies and bloc-years.

Between preview and confirm the parsed rows wait in the session, keyed by the file's SHA-256;
confirm validates them again against the database before writing anything.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import export, selectors, transfer
from blocs.forms import ImportForm
from blocs.models import AgencyStatus
from blocs.views.blocs import _year_param
from core.access import require
from core.audit import client_ip
from core.cleaning import clean_query

SESSION_KEY = "blocs_import"


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
    return render(request, "blocs/import_preview.html", {"plan": plan, "province": province})


@login_required
@require_POST
def import_confirm(request):
    require(request.user, "blocs.manage_province")
    parsed, province = _pending(request)
    if parsed is None or request.POST.get("sha256") != parsed.sha256:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc đã được thay bằng tệp khác; hãy tải tệp lên lại."))
        return redirect("blocs:import_upload")
    try:
        summary = transfer.import_apply(actor=request.user, ip=client_ip(request), province=province, parsed=parsed)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("blocs:import_preview")
    del request.session[SESSION_KEY]
    parts = [
        template % {"n": summary[key]}
        for key, template in (
            ("agencies_created", _("thêm %(n)s đơn vị")),
            ("agencies_updated", _("cập nhật %(n)s đơn vị")),
            ("bloc_years_created", _("lập %(n)s danh sách khối theo năm")),
            ("bloc_years_updated", _("cập nhật %(n)s danh sách khối theo năm")),
        )
        if summary[key]
    ]
    if parts:
        messages.success(request, _("Đã nhập tệp %(file)s: %(changes)s.") % {"file": parsed.filename, "changes": ", ".join(parts)})
    else:
        messages.info(request, _("Tệp %(file)s không làm thay đổi dữ liệu nào.") % {"file": parsed.filename})
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


@login_required
@require_GET
def agency_export(request):
    require(request.user, "blocs.read_province")
    status = clean_query(request, "status")
    agencies = selectors.agencies_for_export(
        user=request.user, query=clean_query(request, "q"), status=status if status in AgencyStatus.values else ""
    )
    return _xlsx(export.agencies_xlsx(agencies), f"co-quan-don-vi-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def blocyear_export(request):
    require(request.user, "blocs.read_province")
    bloc_years = selectors.bloc_years_for_export(user=request.user, year=_year_param(request), query=clean_query(request, "q"))
    return _xlsx(export.bloc_years_xlsx(bloc_years), f"khoi-thi-dua-theo-nam-{timezone.localdate():%Y%m%d}.xlsx")
