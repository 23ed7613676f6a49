"""Reminder pages: the notification settings (logged in, or through the signed link of any mail),
and for secretaries the history of an object's reminders with the "Nhắc ngay" button."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import reminders
from core.access import get_object_for_user
from core.forms import PortalForm


class ReminderSettingsForm(PortalForm):
    submit_label = gettext_lazy("Lưu cài đặt")
    optional_off = forms.BooleanField(
        label=gettext_lazy("Tắt các thư nhắc việc không bắt buộc (hội nghị sắp diễn ra, biên bản, tự chấm điểm, minh chứng)"),
        required=False,
        help_text=gettext_lazy("Thư nhắc ký giao ước, bỏ phiếu và duyệt biên bản, hồ sơ luôn được gửi."),
    )


def _settings_page(request, user, *, token=None):
    preference = getattr(user, "reminder_preference", None)
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, initial={"optional_off": bool(preference and preference.optional_off)})
    if request.method == "POST" and form.is_valid():
        reminders.preference_set(user=user, optional_off=form.cleaned_data["optional_off"])
        messages.success(request, _("Đã lưu cài đặt thông báo."))
        return redirect(request.path)
    return render(request, "core/reminder_settings.html", {
        "form": form, "person": user, "token": token, "essential": [r.title for r in reminders.all_rules() if r.essential],
        "optional": [r.title for r in reminders.all_rules() if not r.essential],
    })


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    return _settings_page(request, request.user)


@require_http_methods(["GET", "POST"])
def reminder_settings_token(request, token):
    """The one-click link of every mail: works without logging in, for the person it was made for only."""
    user = reminders.user_from_token(token)
    if user is None:
        raise Http404
    return _settings_page(request, user, token=token)


def _rule_and_object(request, rule_name, object_id):
    try:
        rule = reminders.get_rule(rule_name)
    except LookupError:
        raise Http404 from None
    if not rule.manage or not rule.view:
        raise Http404
    obj = get_object_for_user(request.user, rule.model._default_manager.all(), view=rule.view, change=rule.manage, pk=object_id)
    return rule, obj


@login_required
@require_http_methods(["GET"])
def reminder_history(request, rule_name, object_id):
    rule, obj = _rule_and_object(request, rule_name, object_id)
    due = rule.is_due(obj)
    return render(request, "core/reminder_history.html", {
        "rule": rule, "obj": due or obj, "label": rule.label(due) if due else str(obj), "waiting": bool(due),
        "rows": reminders.history(rule=rule, obj=obj)[:500],
        "back_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
    })


@login_required
@require_POST
def reminder_now(request, rule_name, object_id):
    rule, obj = _rule_and_object(request, rule_name, object_id)
    if not rule.is_due(obj):
        messages.warning(request, _("Việc này không còn chờ ai; không có gì để nhắc."))
    else:
        sent = reminders.remind_now(rule=rule, obj=obj, actor=request.user)
        if sent:
            messages.success(request, _("Đã gửi nhắc việc tới %(n)s người.") % {"n": sent})
        else:
            messages.info(request, _("Hôm nay đã nhắc tất cả những người chưa thực hiện; mỗi người chỉ được nhắc ngay một lần mỗi ngày."))
    return redirect("reminder_history", rule_name=rule.name, object_id=obj.pk)
