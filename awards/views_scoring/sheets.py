"""Pages of a self-score sheet: read it, fill it (one form), send, approve or return it, answer a
checker's query on a line, download and remove evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.forms_scoring import AnswerForm, ReturnForm, SheetForm
from awards.models import Evidence, LineKind, LineState, ScoreLine, ScoreSheet
from awards.scoring import points
from awards.scoring import sheets as service
from awards.selectors import rules_of
from awards.workflow import LINE_FLOW, SHEET_FLOW
from core.access import get_object_for_user
from core.audit import client_ip

SHEET_RULES = ("awards.write_sheet", "awards.approve_sheet", "awards.check_sheet")


def _sheet(request, pk, *, change=None):
    return get_object_for_user(
        request.user,
        ScoreSheet.objects.select_related("round__bloc_year__bloc__province", "round__rule_set", "agency", "submitted_by"),
        view="awards.view_sheet", change=change, also=SHEET_RULES, pk=pk,
    )


def _context(request, sheet, lines, **extra):
    rules = rules_of(sheet.round.rule_set)
    evidence = service.evidence_by_line(sheet)
    for line in lines:
        line.files = evidence.get(line.pk, [])
        line.points_shown = points.shown(line.claimed_points)
        line.checked_shown = points.shown(line.checked_points)
        line.figure_shown = points.shown(line.figure)
        line.max_shown = points.shown(line.criterion.max_points) if line.criterion_id else ""
    totals = service.totals(lines, rules)
    context = {
        "sheet": sheet, "scoring": sheet.round, "bloc_year": sheet.round.bloc_year, "lines": lines,
        "criteria": [x for x in lines if x.kind == LineKind.CRITERION],
        "bonus_lines": [x for x in lines if x.kind == LineKind.BONUS],
        "penalty_lines": [x for x in lines if x.kind == LineKind.PENALTY],
        "totals": {k: points.shown(v) if k != "missing" else v for k, v in totals.items()}, "rules": rules,
        "actions": SHEET_FLOW.actions(sheet, request.user),
        "step": points.shown(points.step_of(rules)),
        "bonus_cap": points.shown(rules.bonus_cap) if rules.bonus_cap is not None else "",
        "penalty_cap": points.shown(rules.penalty_cap) if rules.penalty_cap is not None else "",
    }
    context.update(extra)
    return context


@login_required
@require_GET
def sheet_detail(request, pk):
    return _detail_page(request, _sheet(request, pk))


def _detail_page(request, sheet, *, refused=None, status=200):
    """The sheet page; ``refused``: a bound answer form that was refused, shown with what was typed."""
    lines = service.sheet_lines(sheet)
    queried = [x for x in lines if x.check_state == LineState.QUERIED]
    answer_forms = {}
    for line in queried:
        if refused is not None and refused.prefix == f"a{line.pk}":
            answer_forms[line.pk] = refused
        elif LINE_FLOW.actions(line, request.user).answer:
            answer_forms[line.pk] = AnswerForm(initial={"revision": line.revision}, prefix=f"a{line.pk}")
    for line in lines:
        line.answer_form = answer_forms.get(line.pk)
    return render(request, "awards/scoring/sheet_detail.html", _context(request, sheet, lines, return_form=ReturnForm()), status=status)


def _stale_data(form_data, error, lines):
    """The posted data with the new version, the new digests, and what is saved now in the lines
    this form did not edit."""
    data = form_data.copy()
    data["version"] = error.version
    by_pk = {line.pk: line for line in lines}
    for pk in error.changed:
        line = by_pk.get(pk)
        if line is None:
            continue
        data[f"l{pk}-seen"] = service.digest_of(line)
        if pk in error.untouched:
            if line.kind == LineKind.CRITERION:
                data[f"l{pk}-result"] = line.result_text
                data[f"l{pk}-figure"] = points.shown(line.figure)
            else:
                data[f"l{pk}-reason"] = line.reason
            data[f"l{pk}-points"] = points.shown(line.claimed_points)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request, pk):
    sheet = _sheet(request, pk, change="awards.write_sheet")
    actions = SHEET_FLOW.actions(sheet, request.user)
    if not actions.save:
        messages.error(request, _("Phiếu này không sửa được nữa (%(state)s).") % {"state": sheet.get_state_display()})
        return redirect(sheet)
    lines = service.sheet_lines(sheet)
    if request.method == "POST":
        new_rows = SheetForm.new_rows_from(request.POST)
        form = SheetForm(request.POST, lines=lines, new_rows=new_rows)
        action = "send" if request.POST.get("then") == "send" else "save"
        if form.is_valid():
            try:
                removals = [int(x) for x in request.POST.getlist("remove-evidence") if str(x).isdigit()][:200]
                service.sheet_save(actor=request.user, ip=client_ip(request), sheet=sheet,
                                   remove_evidence=removals, **form.service_input(request.FILES))
            except service.StaleSheet as error:
                lines = service.sheet_lines(sheet)
                form = SheetForm(_stale_data(request.POST, error, lines), lines=lines, new_rows=new_rows)
                form.is_valid()
                form.add_error(None, error.messages)
            except ValidationError as error:
                form.apply_errors(error)
            else:
                if action == "send":
                    try:
                        service.sheet_send(actor=request.user, ip=client_ip(request), sheet=sheet)
                    except ValidationError as error:
                        messages.error(request, _("Đã lưu nháp nhưng chưa trình được lãnh đạo: %(reason)s")
                                       % {"reason": " ".join(error.messages)})
                        return redirect("awards:sheet_edit", pk=sheet.pk)
                    messages.success(request, _("Đã lưu và trình lãnh đạo đơn vị duyệt phiếu."))
                    return redirect(sheet)
                messages.success(request, _("Đã lưu nháp phiếu tự chấm điểm."))
                return redirect("awards:sheet_edit", pk=sheet.pk)
        if request.FILES:
            form.add_error(None, _("Các tệp minh chứng vừa chọn chưa được lưu: hãy chọn lại tệp sau khi sửa."))
    else:
        form = SheetForm(initial={"version": sheet.version}, lines=lines)
    criteria_rows, bonus_rows, penalty_rows = form.rows()
    return render(request, "awards/scoring/sheet_edit.html", _context(
        request, sheet, lines, form=form, criteria_rows=criteria_rows, bonus_rows=bonus_rows, penalty_rows=penalty_rows,
        file_errors=form.file_errors, new_rows=form.new_rows,
    ))


def _transition(request, pk, name, run):
    sheet = _sheet(request, pk)
    try:
        run(sheet)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None, sheet
    return True, sheet


@login_required
@require_POST
def sheet_send(request, pk):
    ok, sheet = _transition(request, pk, "send", lambda s: service.sheet_send(actor=request.user, ip=client_ip(request), sheet=s))
    if ok:
        messages.success(request, _("Đã trình lãnh đạo đơn vị duyệt phiếu."))
    return redirect(sheet)


@login_required
@require_POST
def sheet_approve(request, pk):
    ok, sheet = _transition(request, pk, "approve", lambda s: service.sheet_approve(actor=request.user, ip=client_ip(request), sheet=s))
    if ok:
        messages.success(request, _("Đã duyệt và gửi phiếu tự chấm điểm về khối."))
    return redirect(sheet)


@login_required
@require_POST
def sheet_return(request, pk):
    sheet = _sheet(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            service.sheet_return(actor=request.user, ip=client_ip(request), sheet=sheet, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã trả lại phiếu cho cán bộ kèm lý do."))
            return redirect(sheet)
    lines = service.sheet_lines(sheet)
    for line in lines:
        line.answer_form = None
    return render(request, "awards/scoring/sheet_detail.html", _context(request, sheet, lines, return_form=form), status=400)


@login_required
@require_POST
def line_answer(request, pk):
    line = get_object_for_user(
        request.user, ScoreLine.objects.select_related("sheet__round__bloc_year__bloc__province", "sheet__agency", "criterion"),
        view="awards.view_line", change="awards.answer_line", pk=pk,
    )
    form = AnswerForm(request.POST, prefix=f"a{line.pk}")
    if form.is_valid():
        try:
            service.line_answer(request.user, line, form.cleaned_data["answer"], request.FILES.getlist(f"a{line.pk}-files"),
                                form.cleaned_data["revision"], ip=client_ip(request))
        except ValidationError as error:
            form.add_error(None, error.messages)  # the service may name "files", which the form has no field for
        else:
            messages.success(request, _("Đã gửi trả lời và minh chứng bổ sung cho người kiểm tra."))
            return redirect(f"{line.sheet.get_absolute_url()}#line-{line.pk}")
    # Refused: the sheet page again, with the answer as typed and the reason next to it (files must be chosen again).
    reasons = " ".join(form.non_field_errors() + [m for name, errors in form.errors.items() if name != "__all__" for m in errors])
    messages.error(request, _("Chưa gửi được trả lời: %(reasons)s") % {"reasons": reasons})
    return _detail_page(request, _sheet(request, line.sheet_id), refused=form, status=400)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_object_for_user(request.user, Evidence.objects.all(), view="awards.view_sheet", via="sheet", pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type)
