"""Pages of the dossier to the board, the board's inbox and decisions, the award history and the
public page of awards (issue 11). Views read input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.decisions import board, history, selectors
from awards.decisions import dossier as dossiers
from awards.decisions.actions import actions_for
from awards.forms_decisions import (
    AwardRecordForm,
    CorrectionForm,
    DeadlineForm,
    DecisionForm,
    ReasonForm,
    ReportForm,
    SubmitForm,
)
from awards.models import AchievementReport, AwardLevel, Decision, Dossier, Nomination
from awards.workflow import DOSSIER_FLOW, NOMINATION_FLOW
from blocs.models import Agency, BlocYear, Province
from core.access import can, get_object_for_user, roles_for
from core.audit import client_ip
from core.cleaning import clean_query_int

NOMINATION_RULES = ("awards.decide", "awards.edit_nomination")
DOSSIER_RULES = ("awards.submit_dossier", "awards.review_dossier")
PUBLIC_PAGE_SIZE = 200


# --- the dossier -----------------------------------------------------------------------------------


def _dossier(request, pk, *, change=None):
    queryset = Dossier.objects.select_related("bloc_year__bloc__province", "bloc_year__head", "submitted_by", "received_by")
    return get_object_for_user(request.user, queryset, view="awards.view_dossier", change=change, also=DOSSIER_RULES, pk=pk)


def _dossier_page(request, dossier, *, status=200, submit_form=None, return_form=None, deadline_form=None):
    state = dossiers.dossier_status(dossier)
    nominations = [row.nomination for row in state.nominations]
    by_pk = actions_for(NOMINATION_FLOW, nominations, request.user, rules=("awards.edit_nomination",))
    secretary = dossiers.bloc_secretary(request.user, dossier.bloc_year_id)
    for row in state.nominations:
        row.actions = by_pk[row.nomination.pk]
        row.report_may_change = (
            secretary
            and row.actions.rules["awards.edit_nomination"]
            and dossiers.report_may_change(row.nomination, dossier.state)
        )
    context = {
        "dossier": dossier,
        "bloc_year": dossier.bloc_year,
        "status": state,
        "actions": DOSSIER_FLOW.actions(dossier, request.user),
        "may_review": can(request.user, "awards.review_dossier", dossier),
        "bloc_secretary": secretary,
        "submit_form": submit_form or SubmitForm(initial={"number": dossier.number}),
        "return_form": return_form or ReasonForm(label=_("Lý do trả lại hồ sơ"), submit_label=_("Trả lại để bổ sung")),
        "deadline_form": deadline_form or DeadlineForm(initial={"deadline": dossier.deadline, "version": dossier.version}),
        "reason_form": ReasonForm(initial={"back": "dossier"}),
        "report_form": ReportForm(initial={"back": "dossier"}),
    }
    return render(request, "awards/decisions/dossier_detail.html", context, status=status)


@login_required
@require_GET
def dossier_detail(request, pk):
    return _dossier_page(request, _dossier(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def dossier_open(request, pk):
    """The bloc-year's dossier: GET goes to it when it exists; POST (secretaries, board) creates it."""
    bloc_year = get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc__province"), view="blocs.view_blocyear", pk=pk
    )
    found = Dossier.objects.filter(bloc_year=bloc_year).first()
    if found is not None:
        return redirect(found)
    if request.method == "GET":
        raise Http404
    if not can(request.user, "awards.propose", bloc_year):
        raise PermissionDenied
    return redirect(dossiers.dossier_for(bloc_year))


def _refused(request, error):
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def dossier_submit(request, pk):
    dossier = _dossier(request, pk, change="awards.submit_dossier")
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            dossiers.dossier_submit(
                actor=request.user, ip=client_ip(request), dossier=dossier, number=form.cleaned_data["number"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.apply_errors(error)
            else:
                _refused(request, error)
        else:
            messages.success(request, _("Đã nộp hồ sơ cho Ban Thi đua – Khen thưởng; Tờ trình đang được phát hành."))
            return redirect(dossier)
    return _dossier_page(request, _dossier(request, pk), status=400, submit_form=form)


@login_required
@require_POST
def dossier_receive(request, pk):
    dossier = _dossier(request, pk, change="awards.review_dossier")
    try:
        board.dossier_receive(actor=request.user, ip=client_ip(request), dossier=dossier)
    except ValidationError as error:
        _refused(request, error)
        return _dossier_page(request, _dossier(request, pk), status=400)
    messages.success(request, _("Đã tiếp nhận hồ sơ; Ban cho ý kiến từng đề nghị."))
    return redirect(dossier)


@login_required
@require_POST
def dossier_return(request, pk):
    dossier = _dossier(request, pk, change="awards.review_dossier")
    form = ReasonForm(request.POST, label=_("Lý do trả lại hồ sơ"), submit_label=_("Trả lại để bổ sung"))
    if form.is_valid():
        try:
            board.dossier_return(actor=request.user, ip=client_ip(request), dossier=dossier, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã trả lại hồ sơ cho khối kèm lý do."))
            return redirect(dossier)
    return _dossier_page(request, _dossier(request, pk), status=400, return_form=form)


@login_required
@require_POST
def dossier_deadline(request, pk):
    dossier = _dossier(request, pk, change="awards.review_dossier")
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            dossiers.dossier_deadline_set(
                actor=request.user,
                ip=client_ip(request),
                dossier=dossier,
                deadline=form.cleaned_data["deadline"],
                version=form.cleaned_data["version"] or None,
            )
        except ValidationError as error:
            if error.code == "stale":
                # The tab is told, shows the deadline as typed and may save again over what is saved now.
                data = form.data.copy()
                data["version"] = Dossier.objects.filter(pk=dossier.pk).values_list("version", flat=True).first()
                form = DeadlineForm(data)
                form.is_valid()
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu hạn nộp hồ sơ."))
            return redirect(dossier)
    return _dossier_page(request, _dossier(request, pk), status=400, deadline_form=form)


# --- each nomination ------------------------------------------------------------------------------


def _nomination(request, pk, *, change):
    queryset = Nomination.objects.select_related("bloc_year__bloc__province", "award_type", "agency", "decision")
    return get_object_for_user(request.user, queryset, view="awards.view_nomination", change=change, also=NOMINATION_RULES, pk=pk)


def _back(request, nomination):
    if request.POST.get("back") == "dossier":
        found = Dossier.objects.filter(bloc_year_id=nomination.bloc_year_id).only("pk").first()
        if found is not None:
            return found.get_absolute_url()
    return nomination.get_absolute_url()


def _action_page(request, nomination, *, title, form=None, action_url="", status=200, intro=""):
    dossier = Dossier.objects.filter(bloc_year_id=nomination.bloc_year_id).only("pk", "bloc_year_id").first()
    return render(
        request,
        "awards/decisions/nomination_action.html",
        {
            "nomination": nomination,
            "dossier": dossier,
            "title": title,
            "form": form,
            "action_url": action_url,
            "intro": intro,
        },
        status=status,
    )


def _button(request, pk, *, change, service, done, title):
    """A one-click action (approve, forward, resubmit): refused → the reasons, with status 400."""
    nomination = _nomination(request, pk, change=change)
    try:
        service(actor=request.user, ip=client_ip(request), nomination=nomination)
    except ValidationError as error:
        _refused(request, error)
        return _action_page(request, _nomination(request, pk, change=change), title=title, status=400)
    messages.success(request, done)
    return redirect(_back(request, nomination))


@login_required
@require_POST
def nomination_approve(request, pk):
    return _button(
        request,
        pk,
        change="awards.decide",
        service=board.nomination_approve,
        done=_("Đã đồng ý đề nghị; thư ký khối được thông báo."),
        title=_("Đồng ý đề nghị"),
    )


@login_required
@require_POST
def nomination_forward(request, pk):
    return _button(
        request,
        pk,
        change="awards.decide",
        service=board.nomination_forward,
        done=_("Đã đánh dấu trình Trung ương."),
        title=_("Trình Trung ương"),
    )


@login_required
@require_POST
def nomination_resubmit(request, pk):
    return _button(
        request,
        pk,
        change="awards.edit_nomination",
        service=board.nomination_resubmit,
        done=_("Đã gửi lại đề nghị cho Ban Thi đua – Khen thưởng."),
        title=_("Gửi lại Ban"),
    )


def _reason_action(request, pk, *, service, title, label, submit_label, done, url_name):
    nomination = _nomination(request, pk, change="awards.decide")
    form = ReasonForm(request.POST or None, label=label, submit_label=submit_label, initial={"back": "nomination"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service(actor=request.user, ip=client_ip(request), nomination=nomination, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, done)
                return redirect(_back(request, nomination))
        status = 400
    return _action_page(
        request, nomination, title=title, form=form, status=status, action_url=reverse(f"awards:{url_name}", args=[nomination.pk])
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_return(request, pk):
    return _reason_action(
        request,
        pk,
        service=board.nomination_return,
        title=_("Trả lại để hoàn thiện"),
        label=_("Lý do trả lại (khối sẽ hoàn thiện theo ý kiến này)"),
        submit_label=_("Trả lại để hoàn thiện"),
        done=_("Đã trả lại đề nghị; thư ký khối được thông báo."),
        url_name="nomination_return",
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_reject(request, pk):
    return _reason_action(
        request,
        pk,
        service=board.nomination_reject,
        title=_("Không đồng ý đề nghị"),
        label=_("Lý do không đồng ý"),
        submit_label=_("Không đồng ý"),
        done=_("Đã ghi ý kiến không đồng ý; thư ký khối được thông báo."),
        url_name="nomination_reject",
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_central_reject(request, pk):
    return _reason_action(
        request,
        pk,
        service=board.central_reject,
        title=_("Trung ương không khen thưởng"),
        label=_("Kết quả, lý do của Trung ương"),
        submit_label=_("Ghi kết quả"),
        done=_("Đã ghi kết quả của Trung ương."),
        url_name="nomination_central_reject",
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_correct(request, pk):
    nomination = _nomination(request, pk, change="awards.decide")
    decisions = Decision.objects.filter(
        province_id=nomination.bloc_year.bloc.province_id, level=nomination.award_type.level
    ).order_by("-date")
    form = CorrectionForm(
        request.POST or None,
        nomination=nomination,
        decisions=decisions[:200],
        initial={"version": nomination.version, "board_note": nomination.board_note, "back": "nomination"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                board.nomination_correct(
                    actor=request.user,
                    ip=client_ip(request),
                    nomination=nomination,
                    field=data["field"],
                    new_value=data["new_value"],
                    reason=data["reason"],
                    version=data["version"] or None,
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("Đã ghi đính chính; lịch sử đính chính được lưu cùng đề nghị."))
                return redirect(_back(request, nomination))
        status = 400
    return _action_page(
        request,
        nomination,
        title=_("Đính chính đề nghị đã có kết quả"),
        form=form,
        status=status,
        action_url=reverse("awards:nomination_correct", args=[nomination.pk]),
        intro=_("Đề nghị đã có kết quả không bị sửa âm thầm: mỗi đính chính được ghi lại với lý do, người sửa và thời điểm."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_upload(request, pk):
    nomination = _nomination(request, pk, change="awards.edit_nomination")
    if not dossiers.bloc_secretary(request.user, nomination.bloc_year_id):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, initial={"back": "nomination"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dossiers.report_upload(
                    actor=request.user, ip=client_ip(request), nomination=nomination, uploaded=form.cleaned_data["file"]
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("Đã lưu báo cáo thành tích của %(agency)s.") % {"agency": nomination.agency.name})
                return redirect(_back(request, nomination))
        status = 400
    return _action_page(
        request,
        nomination,
        title=_("Báo cáo thành tích"),
        form=form,
        status=status,
        action_url=reverse("awards:report_upload", args=[nomination.pk]),
    )


@login_required
@require_GET
def report_download(request, pk):
    report = get_object_for_user(
        request.user, AchievementReport.objects.all(), view="awards.view_nomination", via="nomination", nomination_id=pk
    )
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.original_name, content_type=report.content_type)


# --- the board's inbox and decisions ------------------------------------------------------------------


def _province(request, *, change=None):
    """The province of a board page: ``?province=`` (404 when not readable), else the user's own."""
    pk = clean_query_int(request, "province", minimum=1, maximum=2**31 - 1)
    if pk is None:
        roles = roles_for(request.user)
        if roles.board_province_ids:
            pk = min(roles.board_province_ids)
        elif roles.reads_everything:
            first = Province.objects.order_by("name").only("pk").first()
            if first is None:
                raise Http404
            pk = first.pk
        else:
            raise PermissionDenied
    return get_object_for_user(
        request.user, Province.objects.all(), view="blocs.read_province", change=change, also=("awards.record_decision",), pk=pk
    )


def _year(request, years):
    year = clean_query_int(request, "year", minimum=2000, maximum=2100)
    if year is None:
        year = years[0] if years else timezone.localdate().year
    return year


@login_required
@require_GET
def board_inbox(request):
    province = _province(request)
    years = selectors.inbox_years(province.pk)
    year = _year(request, years)
    inbox = selectors.board_inbox(province_id=province.pk, year=year)
    shown_state = request.GET.get("state", "")
    rows = [row for row in inbox if row.state == shown_state] if shown_state in dict(selectors.INBOX_STATES) else inbox
    from awards.nominations.selectors import province_quotas

    return render(
        request,
        "awards/decisions/board_inbox.html",
        {
            "province": province,
            "year": year,
            "years": years,
            "rows": rows,
            "counts": selectors.state_counts(inbox),
            "shown_state": shown_state if shown_state in dict(selectors.INBOX_STATES) else "",
            "quotas": province_quotas(province.pk, year),
            "decisions": list(selectors.recent_decisions(province_id=province.pk, year=year)),
            "may_record": can(request.user, "awards.record_decision", province),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    province = _province(request, change="awards.record_decision")
    years = selectors.inbox_years(province.pk)
    year = _year(request, years)
    level = request.POST.get("level") or request.GET.get("level") or AwardLevel.PROVINCE
    level = level if level in AwardLevel.values else AwardLevel.PROVINCE
    choices = list(selectors.awardable_nominations(province_id=province.pk, year=year, level=level))
    form = DecisionForm(request.POST or None, choices=choices, initial={"level": level, "signer_title": _default_signer(level)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = board.decision_record(
                    actor=request.user,
                    ip=client_ip(request),
                    province=province,
                    number=data["number"],
                    date=data["date"],
                    signer_title=data["signer_title"],
                    signer_name=data["signer_name"],
                    level=data["level"],
                    nominations=[int(pk) for pk in data["nominations"]],
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(
                    request,
                    _("Đã ghi %(decision)s; lịch sử khen thưởng của các đơn vị đã được cập nhật.") % {"decision": decision},
                )
                return redirect(f"{reverse('awards:board_inbox')}?province={province.pk}&year={year}")
        status = 400
    return render(
        request,
        "awards/decisions/decision_form.html",
        {
            "province": province,
            "year": year,
            "years": years,
            "level": level,
            "levels": list(reversed(AwardLevel.choices)),
            "form": form,
            "choices": choices,
        },
        status=status,
    )


def _default_signer(level):
    return _("Chủ tịch UBND tỉnh") if level == AwardLevel.PROVINCE else _("Thủ tướng Chính phủ")


# --- award history -----------------------------------------------------------------------------------------


def _agency(request, pk, *, change=None):
    return get_object_for_user(
        request.user,
        Agency.objects.select_related("province"),
        view="awards.view_award_history",
        change=change,
        also=("awards.manage_cases",),
        pk=pk,
    )


@login_required
@require_GET
def agency_awards(request, pk):
    agency = _agency(request, pk)
    return render(
        request,
        "awards/decisions/agency_awards.html",
        {
            "agency": agency,
            "years": history.agency_history(agency),
            "may_manage": can(request.user, "awards.manage_cases", agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_record_add(request, pk):
    agency = _agency(request, pk, change="awards.manage_cases")
    form = AwardRecordForm(request.POST or None, choices=history.award_choices(agency.province_id))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                history.award_record_add(
                    actor=request.user,
                    ip=client_ip(request),
                    agency=agency,
                    year=data["year"],
                    award_code=data["award_code"],
                    decision_text=data["decision_text"],
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("Đã thêm vào lịch sử khen thưởng của %(agency)s.") % {"agency": agency.name})
                return redirect("awards:agency_awards", agency.pk)
        status = 400
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Thêm khen thưởng các năm trước – %(agency)s") % {"agency": agency.name},
            "intro": _("Dành cho những năm trước khi có Cổng: ghi đúng quyết định khen thưởng như đã ban hành."),
            "back_url": reverse("awards:agency_awards", args=[agency.pk]),
        },
        status=status,
    )


@require_GET
def public_awards(request):
    """The awards decided, by year (công bố), for anyone."""
    years = history.public_years()
    year = _year(request, years)
    province_id = clean_query_int(request, "province", minimum=1, maximum=2**31 - 1)
    page = Paginator(history.public_awards(year=year, province_id=province_id), PUBLIC_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    groups = []
    for record in page:
        record.decision_shown = history.decision_text(record)
        if not groups or groups[-1][0] != record.agency.province:
            groups.append((record.agency.province, []))
        groups[-1][1].append(record)
    extra = f"year={year}" + (f"&province={province_id}" if province_id else "")
    return render(
        request,
        "awards/decisions/public_awards.html",
        {
            "year": year,
            "years": years,
            "page": page,
            "groups": groups,
            "province_id": province_id,
            "extra_params": extra,
        },
    )
