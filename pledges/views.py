"""Pledge pages. Each view reads input, asks blocs.access, calls one service or selector, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs.access import can, get_object_for_user, roles_of
from blocs.models import BlocYear
from emulation_portal import documents
from emulation_portal.audit import client_ip
from pledges import selectors, services
from pledges.content import for_display, version_content
from pledges.forms import (
    AttachmentForm,
    CommentForm,
    CriterionFormSet,
    DeclineForm,
    PledgeCreateForm,
    PledgeForm,
    ReopenForm,
    SignForm,
)
from pledges.models import Attachment, PledgeState, PledgeVersion, SigningCapacity
from pledges.rules import signing_agency_id

PAGE_SIZE = 50


def _version(request, pk, change=None, queryset=None):
    return get_object_for_user(
        request.user, queryset if queryset is not None else selectors.versions_queryset(), view="pledges.view", change=change, pk=pk
    )


def _errors_to_messages(request, error):
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def pledge_list(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    state = request.GET.get("state", "")
    state = state if state in PledgeState.values else ""
    page = Paginator(selectors.pledge_list(user=request.user, year=year, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pledges/list.html",
        {"page": page, "year": year, "state": state, "states": PledgeState.choices,
         "creatable": selectors.creatable_bloc_years(user=request.user)},
    )


@login_required
@require_GET
def pledge_of_bloc_year(request, bloc_year_pk):
    """The bloc-year's pledge (its latest version), or the page to start it."""
    bloc_year = get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc"), view="blocs.view_blocyear", pk=bloc_year_pk
    )
    latest = PledgeVersion.objects.filter(pledge__bloc_year=bloc_year).order_by("-number").first()
    if latest is not None:
        return redirect(latest)
    if can(request.user, "pledges.create", bloc_year):
        return redirect("pledges:create", bloc_year_pk=bloc_year.pk)
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request, bloc_year_pk):
    bloc_year = get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc__province"), view="blocs.view_blocyear", change="pledges.create", pk=bloc_year_pk
    )
    has_previous = PledgeVersion.objects.filter(pledge__bloc_year__bloc=bloc_year.bloc, pledge__bloc_year__year=bloc_year.year - 1).exists()
    form = PledgeCreateForm(
        request.POST or None,
        has_previous=has_previous,
        initial={"title": services.drafting.default_title(bloc_year.year), "place": bloc_year.bloc.province.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.pledge_create(actor=request.user, ip=client_ip(request), bloc_year=bloc_year, **form.cleaned_data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã tạo dự thảo giao ước; hãy nhập các tiêu chí thi đua."))
            return redirect("pledges:edit", pk=version.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": _("Giao ước thi đua %(bloc)s năm %(year)s") % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
         "submit_label": _("Tạo dự thảo"), "back_url": bloc_year.get_absolute_url()},
    )


def _detail_context(request, version):
    user = request.user
    roles = roles_of(user)
    bloc_year = version.pledge.bloc_year
    may_edit = can(user, "pledges.edit", version)
    my_agency_id = signing_agency_id(roles, bloc_year)
    board = selectors.signing_board(version)
    criteria = list(version.criteria.all())
    return {
        "version": version,
        "bloc_year": bloc_year,
        "content": for_display(version.frozen_content or version_content(version, criteria=criteria)),
        "criteria": criteria,
        "board": board,
        "document": selectors.document_of(version),
        "versions": selectors.other_versions(version),
        "threads": selectors.comment_threads(version),
        "may_edit": may_edit,
        "may_comment": version.state == PledgeState.REVIEW and can(user, "pledges.comment", version),
        "may_sign": version.state == PledgeState.SIGNING
        and my_agency_id is not None
        and not any(r["signature"] and r["agency"].pk == my_agency_id for r in board["rows"]),
        "my_agency_id": my_agency_id,
        "comment_form": CommentForm(criteria=criteria),
        "reopen_form": ReopenForm(),
    }


@login_required
@require_GET
def pledge_detail(request, pk):
    version = _version(request, pk)
    version = selectors.version_detail(version=version)
    return render(request, "pledges/detail.html", _detail_context(request, version))


@login_required
@require_GET
def pledge_status(request, pk):
    """The live part of the detail page (signing board and PDF status), polled by htmx."""
    version = _version(request, pk, queryset=selectors.versions_for_status())
    context = {
        "version": version,
        "board": selectors.signing_board(version),
        "document": selectors.document_of(version),
        "may_edit": can(request.user, "pledges.edit", version),
        "my_agency_id": signing_agency_id(roles_of(request.user), version.pledge.bloc_year),
    }
    return render(request, "pledges/detail.html#status", context)


def _points(value):
    """40.00 → "40", 2.50 → "2.5": what a number input shows without cutting digits off."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _criteria_initial(version):
    return [
        {"id": c.pk, "group": c.group, "text": c.text, "max_points": _points(c.max_points), "target": c.target}
        for c in version.criteria.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def pledge_edit(request, pk):
    version = _version(request, pk, change="pledges.edit")
    if not version.is_editable:
        messages.warning(request, _("Giao ước ở trạng thái “%(state)s” không sửa được.") % {"state": version.get_state_display()})
        return redirect(version)
    form = PledgeForm(request.POST or None, version=version)
    formset = CriterionFormSet(request.POST or None, initial=_criteria_initial(version), prefix="criteria")
    if request.GET.get("extra") == "5":
        formset.extra = 5
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.version_update(
                actor=request.user, ip=client_ip(request), version=version, **form.cleaned_data,
                criteria=formset.rows(move=request.POST.get("move", "")),
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            if "move" in request.POST or "add" in request.POST:
                return redirect(reverse("pledges:edit", args=[version.pk]) + ("?extra=5" if "add" in request.POST else "") + "#criteria")
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect(version)
    return render(
        request,
        "pledges/edit.html",
        {"version": version, "form": form, "formset": formset, "attachment_form": AttachmentForm(),
         "attachments": version.attachments.all()},
    )


@login_required
@require_POST
def attachment_add(request, pk):
    version = _version(request, pk, change="pledges.edit")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, ip=client_ip(request), version=version, kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"], uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã đính kèm tài liệu."))
            return redirect(reverse("pledges:edit", args=[version.pk]) + "#attachments")
    return render(
        request,
        "pledges/edit.html",
        {"version": version, "form": PledgeForm(version=version),
         "formset": CriterionFormSet(initial=_criteria_initial(version), prefix="criteria"),
         "attachment_form": form, "attachments": version.attachments.all()},
        status=400,
    )


def _attachment(request, pk, change=None):
    return get_object_for_user(
        request.user, Attachment.objects.select_related("version__pledge__bloc_year__bloc"), view="pledges.view", change=change, pk=pk,
    )


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = _attachment(request, pk, change="pledges.edit")
    version = attachment.version
    try:
        services.attachment_remove(actor=request.user, ip=client_ip(request), attachment=attachment)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Đã gỡ tài liệu %(title)s.") % {"title": attachment.title})
    return redirect(reverse("pledges:edit", args=[version.pk]) + "#attachments")


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = _attachment(request, pk)
    name = attachment.original_name or f"{attachment.title}.{attachment.file_type}"
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)


def _transition(request, pk, service, done_message, **extra):
    version = _version(request, pk, change="pledges.edit")
    try:
        result = service(actor=request.user, ip=client_ip(request), version=version, **extra)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect(version)
    messages.success(request, done_message)
    return redirect(result)


@login_required
@require_POST
def review_open(request, pk):
    return _transition(request, pk, services.review_open, _("Đã gửi dự thảo lấy ý kiến các đơn vị thành viên."))


@login_required
@require_POST
def signing_open(request, pk):
    return _transition(request, pk, services.signing_open, _("Đã chốt văn bản và mở ký."))


@login_required
@require_POST
def signing_reopen(request, pk):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do mở lại."))
        return redirect(_version(request, pk, change="pledges.edit"))
    return _transition(
        request, pk, services.signing_reopen, _("Đã mở lại về dự thảo; các chữ ký đã bị hủy và đơn vị đã ký được thông báo."),
        reason=form.cleaned_data["reason"],
    )


@login_required
@require_POST
def pledge_amend(request, pk):
    return _transition(request, pk, services.pledge_amend, _("Đã lập phiên bản sửa đổi (dự thảo)."))


@login_required
@require_POST
def comment_add(request, pk):
    version = _version(request, pk, change="pledges.comment", queryset=selectors.versions_queryset().prefetch_related("criteria"))
    criteria = list(version.criteria.all())
    form = CommentForm(request.POST, criteria=criteria)
    if form.is_valid():
        data = form.cleaned_data
        by_id = {c.pk: c for c in criteria}
        reply_to = version.comments.filter(pk=data["reply_to"]).first() if data["reply_to"] else None
        try:
            services.comment_add(
                actor=request.user, ip=client_ip(request), version=version, body=data["body"],
                criterion=by_id.get(data["criterion"]), reply_to=reply_to,
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("Đã gửi góp ý."))
    else:
        messages.error(request, _("Hãy nhập nội dung góp ý."))
    return redirect(reverse("pledges:detail", args=[version.pk]) + "#comments")


@login_required
@require_http_methods(["GET", "POST"])
def pledge_sign(request, pk):
    version = _version(request, pk, change="pledges.sign", queryset=selectors.versions_queryset().prefetch_related("signatures"))
    user = request.user
    agency_id = signing_agency_id(roles_of(user), version.pledge.bloc_year)
    agency = next(m.agency for m in version.pledge.bloc_year.memberships.all() if m.agency_id == agency_id)
    own = next((s for s in version.signatures.all() if s.agency_id == agency_id and s.voided_at is None), None)
    is_head = not agency.leader_name or agency.leader_name == user.get_full_name()
    form = SignForm(
        request.POST or None,
        initial={
            "signer_name": user.get_full_name(), "signer_title": user.title or agency.leader_title,
            "capacity": SigningCapacity.SELF if is_head else SigningCapacity.DEPUTY,
            "original_name": "" if is_head else agency.leader_name, "original_title": "" if is_head else agency.leader_title,
            "content_hash": version.content_hash,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm")
        try:
            services.pledge_sign(actor=user, ip=client_ip(request), version=version, **data)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã ký giao ước thay mặt %(agency)s.") % {"agency": agency.name})
            return redirect(version)
    content = for_display(version.frozen_content) if version.frozen_content else None
    return render(
        request,
        "pledges/sign.html",
        {"version": version, "agency": agency, "own": own, "form": form, "decline_form": DeclineForm(), "content": content},
    )


@login_required
@require_POST
def pledge_decline(request, pk):
    version = _version(request, pk, change="pledges.sign")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do không ký."))
        return redirect("pledges:sign", pk=version.pk)
    try:
        services.pledge_decline(actor=request.user, ip=client_ip(request), version=version, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.info(request, _("Đã gửi ý kiến không ký tới thư ký khối."))
    return redirect(version)


@login_required
@require_GET
def pledge_preview(request, pk):
    """The document as HTML, from the template the PDF uses: the issued one once signed, else a preview."""
    version = _version(request, pk)
    document = selectors.document_of(version)
    if document is not None:
        return HttpResponse(documents.document_html(document))
    return HttpResponse(documents.preview_html(kind="pledge", source=version))


@login_required
@require_GET
def pledge_pdf(request, pk):
    version = _version(request, pk)
    document = selectors.document_of(version)
    if document is None or not document.is_ready:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{document.code}.pdf")
