"""Signing: open signing, sign, decline, reopen, amend."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from blocs.access import roles_of
from core.audit import client_ip
from pledges import selectors, services
from pledges.content import for_display
from pledges.forms import (
    DeclineForm,
    ReopenForm,
    SignForm,
    SigningDeadlineForm,
    SigningOpenForm,
)
from pledges.models import SigningCapacity
from pledges.rules import signing_agency_id
from pledges.services.signing import UNANSWERED
from pledges.views.common import errors_to_messages, field_errors_to_messages, transition, version_for
from pledges.workflow import PLEDGE_FLOW


@login_required
@require_POST
def signing_open(request, pk):
    """Freeze the text for signing; with members' comments unanswered, list them and ask to confirm first."""
    version = version_for(request, pk, change="pledges.edit")
    confirming = request.POST.get("step") == "confirm"
    form = SigningOpenForm(request.POST if confirming else None)
    try:
        version = services.signing_open(
            actor=request.user, ip=client_ip(request), version=version, unanswered_confirmed=confirming and form.is_valid()
        )
    except ValidationError as error:
        if getattr(error, "code", None) != UNANSWERED:
            errors_to_messages(request, error)
            return redirect(version)
        return render(
            request, "pledges/signing_open_confirm.html",
            {"version": version, "comments": selectors.unanswered_comments(version), "form": form},
        )
    messages.success(request, _("Đã chốt văn bản và mở ký."))
    return redirect(version)


@login_required
@require_POST
def signing_reopen(request, pk):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do mở lại."))
        return redirect(version_for(request, pk, change="pledges.edit"))
    return transition(
        request, pk, services.signing_reopen, _("Đã mở lại về dự thảo; các chữ ký đã bị hủy và đơn vị đã ký được thông báo."),
        reason=form.cleaned_data["reason"],
    )


@login_required
@require_POST
def signing_deadline(request, pk):
    version = version_for(request, pk, change="pledges.edit")
    form = SigningDeadlineForm(request.POST)
    if not form.is_valid():
        field_errors_to_messages(request, form, "signing_deadline", blank_message=_("Hãy nhập hạn ký (dd/mm/yyyy)."))
        return redirect(version)
    try:
        services.signing_deadline_set(actor=request.user, ip=client_ip(request), version=version,
                                      deadline=form.cleaned_data["signing_deadline"])
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Đã đặt hạn ký; các đơn vị chưa ký sẽ được nhắc theo hạn mới."))
    return redirect(version)


@login_required
@require_POST
def pledge_amend(request, pk):
    return transition(request, pk, services.pledge_amend, _("Đã lập phiên bản sửa đổi (dự thảo)."))


@login_required
@require_http_methods(["GET", "POST"])
def pledge_sign(request, pk):
    version = version_for(request, pk, change="pledges.sign", queryset=selectors.versions_queryset().prefetch_related("signatures"))
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
        {"version": version, "agency": agency, "own": own, "form": form, "decline_form": DeclineForm(), "content": content,
         "actions": PLEDGE_FLOW.actions(version, user)},
    )


@login_required
@require_POST
def pledge_decline(request, pk):
    version = version_for(request, pk, change="pledges.sign")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        field_errors_to_messages(request, form, "reason", blank_message=_("Hãy ghi lý do không ký."))
        return redirect("pledges:sign", pk=version.pk)
    try:
        services.pledge_decline(actor=request.user, ip=client_ip(request), version=version, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.info(request, _("Đã gửi ý kiến không ký tới thư ký khối."))
    return redirect(version)
