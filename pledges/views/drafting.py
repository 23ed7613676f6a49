"""Drafting and review: create, edit text and criteria, attachments, open review, comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs.models import BlocYear
from core.access import get_object_for_user
from core.audit import client_ip
from pledges import selectors, services
from pledges.forms import (
    AttachmentForm,
    CommentForm,
    CriterionFormSet,
    PledgeCreateForm,
    PledgeForm,
)
from pledges.models import Attachment, PledgeVersion
from pledges.views.common import errors_to_messages, field_errors_to_messages, transition, version_for


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


def _points(value):
    """40.00 → "40", 2.50 → "2.5": what a number input shows without cutting digits off."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _criteria_initial(version):
    return [
        {"id": c.pk, "group": c.group, "text": c.text, "max_points": _points(c.max_points), "target": c.target}
        for c in version.criteria.all()
    ]


def _draft_forms(request, version):
    """The page's one form: heading, criteria and the file to attach, each with its prefix (unique ids)."""
    data = request.POST or None
    form = PledgeForm(data, version=version, prefix="pledge")
    formset = CriterionFormSet(data, initial=_criteria_initial(version), prefix="criteria")
    attaching = data is not None and "attach" in data
    attachment_form = AttachmentForm(data if attaching else None, request.FILES if attaching else None, prefix="attachment")
    return form, formset, attachment_form


def _render_edit(request, version, form, formset, attachment_form, status=200):
    return render(
        request, "pledges/edit.html",
        {"version": version, "form": form, "formset": formset, "attachment_form": attachment_form,
         "attachments": version.attachments.all()},
        status=status,
    )


def _attach(request, version, attachment_form):
    """After the draft is saved: add the chosen file, or say why not, the saved draft around it."""
    if attachment_form.is_valid():
        try:
            services.attachment_add(
                actor=request.user, ip=client_ip(request), version=version, kind=attachment_form.cleaned_data["kind"],
                title=attachment_form.cleaned_data["title"], uploaded=attachment_form.cleaned_data["file"],
            )
        except ValidationError as error:
            attachment_form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu dự thảo và đính kèm tài liệu."))
            return redirect(reverse("pledges:edit", args=[version.pk]) + "#attachments")
    messages.info(request, _("Đã lưu dự thảo; tài liệu chưa được đính kèm."))
    form, formset = PledgeForm(version=version, prefix="pledge"), CriterionFormSet(initial=_criteria_initial(version), prefix="criteria")
    return _render_edit(request, version, form, formset, attachment_form, status=400)


def _remove(request, version, value):
    attachment = version.attachments.filter(pk=value).first() if value.isdigit() and len(value) < 19 else None
    if attachment is None:
        messages.error(request, _("Tài liệu không còn trong dự thảo (có thể đã được gỡ)."))
    else:
        services.attachment_remove(actor=request.user, ip=client_ip(request), attachment=attachment)
        messages.success(request, _("Đã lưu dự thảo và gỡ tài liệu %(title)s.") % {"title": attachment.title})
    return redirect(reverse("pledges:edit", args=[version.pk]) + "#attachments")


@login_required
@require_http_methods(["GET", "POST"])
def pledge_edit(request, pk):
    """One form for the whole page: every button (save, add rows, move, attach or remove a file) saves
    the typed draft first, so nothing typed is lost; with errors the page comes back as typed."""
    version = version_for(request, pk, change="pledges.edit")
    if not version.is_editable:
        messages.warning(request, _("Giao ước ở trạng thái “%(state)s” không sửa được.") % {"state": version.get_state_display()})
        return redirect(version)
    form, formset, attachment_form = _draft_forms(request, version)
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
            if "attach" in request.POST:
                return _attach(request, version, attachment_form)
            if "remove" in request.POST:
                return _remove(request, version, request.POST["remove"])
            if "move" in request.POST or "add" in request.POST:
                return redirect(reverse("pledges:edit", args=[version.pk]) + ("?extra=5" if "add" in request.POST else "") + "#criteria")
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect(version)
    if request.method == "POST" and ("attach" in request.POST or "remove" in request.POST):
        messages.error(request, _("Dự thảo còn lỗi nên chưa được lưu; tài liệu chưa được đính kèm hay gỡ. Hãy sửa các ô báo lỗi rồi chọn lại tệp."))
    return _render_edit(request, version, form, formset, attachment_form)


def _attachment(request, pk):
    return get_object_for_user(
        request.user, Attachment.objects.select_related("version__pledge__bloc_year__bloc"), view="pledges.view", via="version", pk=pk,
    )


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = _attachment(request, pk)
    name = attachment.original_name or f"{attachment.title}.{attachment.file_type}"
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def review_open(request, pk):
    return transition(request, pk, services.review_open, _("Đã gửi dự thảo lấy ý kiến các đơn vị thành viên."))


@login_required
@require_POST
def comment_add(request, pk):
    version = version_for(request, pk, change="pledges.comment", queryset=selectors.versions_queryset().prefetch_related("criteria"))
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
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Đã gửi góp ý."))
    else:
        field_errors_to_messages(request, form, "body", blank_message=_("Hãy nhập nội dung góp ý."))
    return redirect(reverse("pledges:detail", args=[version.pk]) + "#comments")
