from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from blocs import selectors, services
from blocs.forms import AgencyForm
from blocs.models import Agency, AgencyStatus
from core.access import get_object_for_user, require
from core.audit import client_ip
from core.cleaning import clean_query
from core.pagination import paginate

PAGE_SIZE = 50


@login_required
@require_GET
def agency_list(request):
    require(request.user, "blocs.read_province")
    query = clean_query(request, "q")
    status = clean_query(request, "status")
    if status not in AgencyStatus.values:
        status = ""
    agencies = selectors.agency_list(user=request.user, query=query, status=status)
    page = paginate(agencies, request.GET.get("page"), per_page=PAGE_SIZE, decorate=selectors.agency_rows)
    return render(
        request,
        "blocs/agency_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "status_param": f"status={status}" if status else "",
            "statuses": AgencyStatus.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request):
    require(request.user, "blocs.manage_province")
    form = AgencyForm(request.POST or None, provinces=selectors.provinces_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                actor=request.user, ip=client_ip(request), province=form.chosen_province(), **form.service_fields()
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": agency.name})
            return redirect("blocs:agency_list")
    return render(request, "form.html", {"form": form, "title": _("Thêm cơ quan, đơn vị"), "back_url": reverse("blocs:agency_list")})


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk):
    agency = get_object_for_user(
        request.user, Agency.objects.select_related("province"), view="blocs.view_agency", change="blocs.change_agency", pk=pk
    )
    form = AgencyForm(request.POST or None, provinces=[agency.province], instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, ip=client_ip(request), agency=agency, fields=form.service_fields())
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu %(name)s.") % {"name": agency.name})
            return redirect("blocs:agency_list")
    return render(
        request, "form.html", {"form": form, "title": _("Sửa: %(name)s") % {"name": agency.name}, "back_url": reverse("blocs:agency_list")}
    )
