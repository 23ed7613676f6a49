"""Pages of the bloc's cross-check: the checker's queue, a sheet line by line, one line's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from awards.forms_checking import ACTIONS, CheckAllForm, LineCheckForm
from awards.models import LineState, ScoreLine, ScoreSheet
from awards.scoring import checking
from core.access import can, get_object_for_user
from core.audit import client_ip

DONE = {
    "accept": gettext_lazy("Đã chấp nhận dòng “%(line)s”."),
    "adjust": gettext_lazy("Đã điều chỉnh điểm dòng “%(line)s”."),
    "query": gettext_lazy("Đã gửi yêu cầu bổ sung minh chứng dòng “%(line)s” tới đơn vị."),
}


def _url_or_none(name, *args):
    """A URL of another part of the scoring (the round and sheet pages, evidence downloads), or
    None while that part is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _sheet(request, pk):
    """The sheet for its checkers (who act) and its round's secretaries and the board (who follow
    the check, read-only): 404 when invisible, 403 for the other readers."""
    sheet = get_object_for_user(
        request.user,
        ScoreSheet.objects.select_related("agency", "round__bloc_year__bloc", "round__rule_set__legal_basis", "submitted_by"),
        view="awards.view_sheet", also=("awards.check_sheet",), pk=pk,
    )
    may_check = can(request.user, "awards.check_sheet", sheet)
    if not may_check and not can(request.user, "awards.run_round", sheet.round):
        raise PermissionDenied
    return sheet, may_check


def _check_url(sheet_id, line_id=None):
    url = reverse("awards:sheet_check", args=[sheet_id])
    return f"{url}#line-{line_id}" if line_id else url


def _context(request, sheet, may_check, *, bound=None, errors=None, notice=None):
    """The check page: every line with its three forms (the posted one bound, keeping what was typed)."""
    bound, errors = bound or {}, errors or {}
    check = checking.sheet_check(sheet, may_check=may_check)
    for line in check.lines:
        line.forms = {
            action: bound.get(line.pk) if bound.get(line.pk) is not None and bound[line.pk].action == action
            else LineCheckForm(line=line, action=action)
            for action in ACTIONS
        }
        line.open_form = bound[line.pk].action if line.pk in bound else None
        line.kept = None
        if line.open_form and not line.allowed[line.open_form]:  # the line moved on: show what was typed
            posted = bound[line.pk].data
            line.kept = {"points": posted.get("points", ""), "note": posted.get("note", "")}
        line.errors = errors.get(line.pk, [])
        line.notice = notice if notice and notice[0] == line.pk else None
        for evidence in line.evidence.all():
            evidence.url = _url_or_none("awards:evidence_download", evidence.pk)
    pending = [line for line in check.lines if line.check_state == LineState.PENDING]
    return {
        "sheet": sheet, "scoring": sheet.round, "check": check, "may_check": may_check,
        "round_url": _url_or_none("awards:round_detail", sheet.round_id),
        "sheet_url": _url_or_none("awards:sheet_detail", sheet.pk),
        "all_form": CheckAllForm(lines=pending) if check.open_for_check and pending else None,
        "pending_count": len(pending),
    }


@login_required
@require_GET
def check_queue(request):
    page = checking.queue_page(request.user, request.GET.get("page"))
    for sheet in page.object_list:
        sheet.round_url = _url_or_none("awards:round_detail", sheet.round_id)
    return render(request, "awards/scoring/check_queue.html", {"page": page, "sheets": page.object_list})


@login_required
@require_GET
def sheet_check(request, pk):
    sheet, may_check = _sheet(request, pk)
    return render(request, "awards/scoring/check_sheet.html", _context(request, sheet, may_check))


def _htmx(request):
    return request.headers.get("HX-Request") == "true"


def _render_line(request, sheet, line_id, context):
    """The line's block (and the totals, out of band) for htmx to swap in place."""
    context["line"] = next(line for line in context["check"].lines if line.pk == line_id)
    return render(request, "awards/scoring/check_sheet.html#line_response", context)


@login_required
@require_POST
def line_check(request, pk):
    line = get_object_for_user(
        request.user, ScoreLine.objects.select_related("sheet__round", "criterion"),
        view="awards.view_line", change="awards.check_line", pk=pk,
    )
    sheet, may_check = _sheet(request, line.sheet_id)
    action = request.POST.get("action")
    if action not in ACTIONS:
        messages.error(request, _("Thao tác không hợp lệ; hãy tải lại trang."))
        return redirect(_check_url(sheet.pk, line.pk))
    form = LineCheckForm(request.POST, line=line, action=action)
    if form.is_valid():
        data = form.cleaned_data
        kwargs = {"actor": request.user, "ip": client_ip(request), "line": line, "revision": data["revision"]}
        try:
            if action == "accept":
                checking.line_accept(**kwargs)
            elif action == "adjust":
                checking.line_adjust(**kwargs, points=data["points"], reason=data["note"])
            else:
                checking.line_query(**kwargs, question=data["note"])
        except checking.StaleLine as error:
            # Keep what was typed, against the line as saved now: sending it again is a choice made knowingly.
            posted = request.POST.copy()
            posted["revision"] = str(error.line.revision)
            form = LineCheckForm(posted, line=error.line, action=action)
            form.is_valid()
            form.add_error(None, error.messages)
        except ValidationError as error:
            form.apply_errors(error)
        else:
            done = DONE[action] % {"line": checking.line_label(line)}
            if _htmx(request):
                context = _context(request, sheet, may_check, notice=(line.pk, done))
                return _render_line(request, sheet, line.pk, context)
            messages.success(request, done)
            return redirect(_check_url(sheet.pk, line.pk))
    errors = list(form.non_field_errors())
    if any(name in form.errors for name in ("action", "revision")):  # hidden fields: a forged or broken form
        errors.append(_("Biểu mẫu không hợp lệ; hãy tải lại trang."))
    context = _context(request, sheet, may_check, bound={line.pk: form}, errors={line.pk: errors})
    if _htmx(request):
        return _render_line(request, sheet, line.pk, context)
    return render(request, "awards/scoring/check_sheet.html", context)


@login_required
@require_POST
def sheet_check_all(request, pk):
    """"Chấp nhận tất cả dòng còn lại" of a sheet, as the page showed them."""
    sheet, may_check = _sheet(request, pk)
    if not may_check:
        raise PermissionDenied
    form = CheckAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Biểu mẫu không hợp lệ; hãy tải lại trang."))
        return redirect(_check_url(sheet.pk))
    try:
        accepted = checking.sheet_check_all_accept(actor=request.user, ip=client_ip(request), sheet=sheet, revisions=form.revisions())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_check_url(sheet.pk))
    messages.success(request, _("Đã chấp nhận %(count)s dòng còn lại.") % {"count": len(accepted)})
    return redirect(_check_url(sheet.pk))
