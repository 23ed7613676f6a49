from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import selectors, services
from blocs.forms import BlocForm, BlocYearForm, CopyYearForm
from blocs.models import Bloc, BlocYear
from core.access import can, get_object_for_user, require
from core.audit import client_ip
from core.cleaning import clean_query, clean_query_int
from core.pagination import paginate

PAGE_SIZE = 50


def _year_param(request):
    return clean_query_int(request, "year", minimum=2000, maximum=2100)


@login_required
@require_GET
def bloc_list(request):
    require(request.user, "blocs.read_province")
    query = clean_query(request, "q")
    blocs = selectors.bloc_list(user=request.user, query=query)
    page = paginate(blocs, request.GET.get("page"), per_page=PAGE_SIZE, decorate=selectors.bloc_rows)
    return render(request, "blocs/bloc_list.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def bloc_create(request):
    require(request.user, "blocs.manage_province")
    form = BlocForm(request.POST or None, provinces=selectors.provinces_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            bloc = services.bloc_create(
                actor=request.user,
                ip=client_ip(request),
                province=form.chosen_province(),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã thêm khối %(name)s.") % {"name": bloc.name})
            return redirect(bloc)
    return render(request, "form.html", {"form": form, "title": _("Thêm khối thi đua"), "back_url": reverse("blocs:bloc_list")})


@login_required
@require_GET
def bloc_detail(request, pk):
    bloc = get_object_for_user(request.user, Bloc.objects.select_related("province"), view="blocs.view_bloc", pk=pk)
    bloc_years = selectors.bloc_years_of_bloc(bloc=bloc, user=request.user)
    return render(
        request,
        "blocs/bloc_detail.html",
        {"bloc": bloc, "bloc_years": bloc_years, "can_change": can(request.user, "blocs.change_bloc", bloc)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def bloc_edit(request, pk):
    bloc = get_object_for_user(
        request.user, Bloc.objects.select_related("province"), view="blocs.view_bloc", change="blocs.change_bloc", pk=pk
    )
    form = BlocForm(request.POST or None, provinces=[bloc.province], instance=bloc)
    if request.method == "POST" and form.is_valid():
        try:
            services.bloc_update(
                actor=request.user,
                ip=client_ip(request),
                bloc=bloc,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu khối %(name)s.") % {"name": bloc.name})
            return redirect(bloc)
    return render(request, "form.html", {"form": form, "title": _("Sửa khối thi đua"), "back_url": bloc.get_absolute_url()})


@login_required
@require_GET
def blocyear_list(request):
    require(request.user, "blocs.read_province")
    year = _year_param(request)
    query = clean_query(request, "q")
    bloc_years = selectors.bloc_year_list(user=request.user, year=year, query=query)
    page = paginate(bloc_years, request.GET.get("page"), per_page=PAGE_SIZE, decorate=selectors.bloc_year_rows)
    return render(
        request, "blocs/blocyear_list.html", {"page": page, "year": year, "query": query, "year_param": f"year={year}" if year else ""}
    )


def _bloc_year_fields(form):
    data = form.cleaned_data
    return {
        name: data[name] for name in ("year", "members", "head", "deputy", "notice_number", "notice_date", "secretaries")
    }


@login_required
@require_http_methods(["GET", "POST"])
def blocyear_create(request, bloc_pk):
    bloc = get_object_for_user(
        request.user, Bloc.objects.select_related("province"), view="blocs.view_bloc", change="blocs.change_bloc", pk=bloc_pk
    )
    form = BlocYearForm(request.POST or None, bloc=bloc, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            bloc_year = services.bloc_year_create(actor=request.user, ip=client_ip(request), bloc=bloc, **_bloc_year_fields(form))
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lập danh sách khối năm %(year)s.") % {"year": bloc_year.year})
            return redirect(bloc_year)
    return render(
        request,
        "blocs/blocyear_form.html",
        {"form": form, "title": _("%(bloc)s: thêm năm") % {"bloc": bloc.name}, "back_url": bloc.get_absolute_url()},
    )


@login_required
@require_GET
def blocyear_detail(request, pk):
    bloc_year = get_object_for_user(request.user, selectors.bloc_years_queryset(), view="blocs.view_blocyear", pk=pk)
    return render(
        request,
        "blocs/blocyear_detail.html",
        {
            "bloc_year": bloc_year,
            "can_change": can(request.user, "blocs.change_blocyear", bloc_year),
            "copy_form": CopyYearForm(initial={"year": bloc_year.year + 1}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def blocyear_edit(request, pk):
    bloc_year = get_object_for_user(
        request.user, selectors.bloc_years_queryset(), view="blocs.view_blocyear", change="blocs.change_blocyear", pk=pk
    )
    form = BlocYearForm(request.POST or None, bloc=bloc_year.bloc, instance=bloc_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.bloc_year_update(
                actor=request.user, ip=client_ip(request), bloc_year=bloc_year, **_bloc_year_fields(form)
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu danh sách khối năm %(year)s.") % {"year": bloc_year.year})
            return redirect(bloc_year)
    return render(
        request, "blocs/blocyear_form.html",
        {"form": form, "title": _("Sửa: %(name)s") % {"name": bloc_year}, "back_url": bloc_year.get_absolute_url()},
    )


@login_required
@require_POST
def blocyear_copy(request, pk):
    bloc_year = get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc"), view="blocs.view_blocyear", change="blocs.change_blocyear", pk=pk
    )
    form = CopyYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Năm không hợp lệ."))
        return redirect(bloc_year)
    try:
        new = services.bloc_year_copy(actor=request.user, ip=client_ip(request), source=bloc_year, year=form.cleaned_data["year"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(bloc_year)
    messages.success(request, _("Đã sao chép sang năm %(year)s; hãy rà soát lại danh sách.") % {"year": new.year})
    return redirect("blocs:blocyear_edit", pk=new.pk)


@login_required
@require_GET
def my_bloc(request):
    bloc_years = list(selectors.my_bloc_years(user=request.user))
    years = sorted({by.year for by in bloc_years}, reverse=True)
    year = _year_param(request) or (years[0] if years else timezone.localdate().year)
    current = [by for by in bloc_years if by.year == year]
    earlier = [by for by in bloc_years if by.year != year]
    return render(request, "blocs/my_bloc.html", {"current": current, "earlier": earlier, "years": years, "year": year})
