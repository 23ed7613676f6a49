"""Pages of the year-end nominations: the bloc-year's nominations (frozen ranking, award types with
their nominations and eligibility checks, the propose form), one nomination (checks, ballot result,
the board's note, corrections, history, the board's slot), its edit and withdrawal, and an agency's
pending cases (the board)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.forms_nominations import CaseCloseForm, CaseForm, NominationEditForm, ProposeForm
from awards.models import Nomination, PendingCase
from awards.nominations import eligibility, selectors, services
from awards.scoring.rounds import members_of
from awards.workflow import NOMINATION_FLOW
from blocs.models import Agency, BlocYear
from core.access import can, get_object_for_user
from core.audit import client_ip
from core.cleaning import clean_query_int
from core.models import AuditEntry

ACTION_LABELS = {
    "nomination.propose": gettext_lazy("Đề xuất"),
    "nomination.edit": gettext_lazy("Sửa đề nghị"),
    "nomination.voted": gettext_lazy("Được khối bình xét, suy tôn"),
    "nomination.not_passed": gettext_lazy("Không đủ số phiếu"),
    "nomination.submit": gettext_lazy("Trình Ban Thi đua – Khen thưởng"),
    "nomination.report_upload": gettext_lazy("Tải lên báo cáo thành tích"),
}


def _action_label(action):
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    found = next((t.label for t in NOMINATION_FLOW.transitions.values() if t.action == action and t.label), None)
    return found or action


# --- the bloc-year's nominations ------------------------------------------------------------------------


def _bloc_year(request, pk, *, change=None):
    return get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc__province", "head", "deputy"), view="awards.view_nominations",
        change=change, also=("awards.propose",), pk=pk,
    )


def _initial(request, page):
    """The propose form's first values: from the ranking links (``?award_type=&agency=``), else rank 1."""
    initial = {}
    award_type = clean_query_int(request, "award_type", minimum=1, maximum=2**31 - 1)
    agency = clean_query_int(request, "agency", minimum=1, maximum=2**31 - 1)
    if award_type is not None:
        initial["award_type"] = award_type
    leader = next((e for e in page.ranking if e.rank == 1), None)
    if agency is not None:
        initial["agency"] = agency
    elif leader is not None:
        initial["agency"] = leader.agency_id
    return initial


def _candidate_checks(bloc_year, form, page):
    """The checks of the agency and award type chosen in the form (before it is sent, or refused)."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    if not form.is_bound:
        data = form.initial
    award_type, agency = data.get("award_type"), data.get("agency")
    award_ids = {a.pk for a in page.rules.award_types} if page.rules else set()
    member_ids = {int(v) for v, _label in form.fields["agency"].choices if v}
    if award_type not in award_ids or agency not in member_ids:
        return None
    return eligibility.checks_for_candidate(bloc_year, award_type, agency)


@login_required
@require_http_methods(["GET", "POST"])
def nominations(request, pk):
    bloc_year = _bloc_year(request, pk, change="awards.propose" if request.method == "POST" else None)
    page = selectors.nominations_page(bloc_year)
    can_propose = can(request.user, "awards.propose", bloc_year)
    members = members_of(bloc_year)
    award_types = page.rules.award_types if page.rules else ()
    form, status = None, 200
    if request.method == "POST":
        form = ProposeForm(request.POST, award_types=award_types, members=members)
        status = 400
        if form.is_valid() and "preview" in request.POST:
            status = 200
        elif form.is_valid():
            data = form.cleaned_data
            try:
                nomination = services.nomination_propose(
                    actor=request.user, ip=client_ip(request), bloc_year=bloc_year, award_type=data["award_type"],
                    agency=data["agency"], reason=data["reason"], justification=data["justification"],
                )
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("Đã đề nghị %(agency)s: %(award)s.") % {
                    "agency": nomination.agency.name, "award": nomination.award_type.name,
                })
                return redirect(reverse("awards:nominations", args=[bloc_year.pk]) + f"#award-{nomination.award_type.code}")
    elif can_propose and page.frozen and page.rules:
        form = ProposeForm(award_types=award_types, members=members, initial=_initial(request, page))
    candidate_checks = _candidate_checks(bloc_year, form, page) if form is not None else None
    return render(request, "awards/nominations/list.html", {
        "bloc_year": bloc_year, "page": page, "form": form, "can_propose": can_propose, "candidate_checks": candidate_checks,
        "scoring_url": reverse("awards:round_detail", args=[page.scoring["pk"]]) if page.scoring else "",
    }, status=status)


# --- one nomination ---------------------------------------------------------------------------------------


def _nomination(request, pk, *, change=None):
    queryset = Nomination.objects.select_related(
        "bloc_year__bloc__province", "award_type", "agency", "created_by", "decided_by", "decision",
    )
    return get_object_for_user(request.user, queryset, view="awards.view_nomination", change=change,
                               also=("awards.edit_nomination", "awards.decide"), pk=pk)


def _history(nomination):
    entries = selectors.nomination_history(nomination)
    for entry in entries:
        entry.label = _action_label(entry.action)
        data = entry.data or {}
        changed = [str(services.FIELD_LABELS.get(name, name)) for name in data.get("changed", ())]
        entry.detail = data.get("reason") if entry.action != "nomination.propose" else ""
        if changed:
            entry.detail = ", ".join(changed)
    return entries


def _detail(request, nomination, *, status=200):
    checks = selectors.nomination_checks(nomination)
    return render(request, "awards/nominations/detail.html", {
        "nomination": nomination, "bloc_year": nomination.bloc_year, "checks": checks,
        "blocking": eligibility.problems(nomination, checks) if nomination.state in selectors.OPEN_STATES else [],
        "actions": NOMINATION_FLOW.actions(nomination, request.user),
        "corrections": list(nomination.corrections.select_related("corrected_by").order_by("corrected_at", "pk")),
        "history": _history(nomination),
    }, status=status)


@login_required
@require_GET
def nomination_detail(request, pk):
    return _detail(request, _nomination(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = _nomination(request, pk, change="awards.edit_nomination")
    if request.method == "GET" and not NOMINATION_FLOW.actions(nomination, request.user).edit:
        messages.error(request, NOMINATION_FLOW["edit"].state_message)
        return redirect(nomination)
    initial = {"reason": nomination.reason, "justification": nomination.justification, "version": nomination.version}
    form = NominationEditForm(request.POST or None, initial=initial)
    status, stale = 200, False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.nomination_edit(
                    actor=request.user, ip=client_ip(request), nomination=nomination, reason=data["reason"],
                    justification=data["justification"], version=data.get("version") or "",
                )
            except services.StaleNomination as error:
                # Keep what was typed, with the new token: the page shows the saved text beside it.
                nomination.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = nomination.version
                form.add_error(None, error.messages)
                stale = True
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, _("Đã lưu đề nghị."))
                return redirect(nomination)
    return render(request, "awards/nominations/edit.html", {
        "nomination": nomination, "bloc_year": nomination.bloc_year, "form": form, "checks": selectors.nomination_checks(nomination),
        "stale": stale,
    }, status=status)


def _withdrawn(request, pk):
    """A second "Rút" on a nomination already withdrawn: say so, on the bloc-year's page."""
    entry = AuditEntry.objects.filter(object_type="awards.nomination", object_id=str(pk), action="nomination.withdraw").first()
    bloc_year_id = (entry.data or {}).get("bloc_year") if entry else None
    if bloc_year_id is None or not can(request.user, "awards.view_nominations", int(bloc_year_id)):
        raise Http404
    messages.info(request, _("Đề nghị này đã được rút."))
    return redirect("awards:nominations", bloc_year_id)


@login_required
@require_POST
def nomination_withdraw(request, pk):
    try:
        nomination = _nomination(request, pk, change="awards.edit_nomination")
    except Http404:
        return _withdrawn(request, pk)
    try:
        services.nomination_withdraw(actor=request.user, ip=client_ip(request), nomination=nomination)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _detail(request, nomination, status=400)
    messages.success(request, _("Đã rút đề nghị %(agency)s: %(award)s.") % {
        "agency": nomination.agency.name, "award": nomination.award_type.name,
    })
    return redirect("awards:nominations", nomination.bloc_year_id)


# --- pending cases (the board) -------------------------------------------------------------------------------


def _agency(request, pk):
    return get_object_for_user(request.user, Agency.objects.select_related("province", "successor"), view="blocs.view_agency",
                               change="awards.manage_cases", pk=pk)


def _cases_page(request, agency, *, form=None, close_forms=None, status=200):
    cases = selectors.agency_cases(agency)
    close_forms = close_forms or {}
    for case in cases:
        if case.closed_on is None:
            case.form = close_forms.get(case.pk) or CaseCloseForm(prefix=f"c{case.pk}")
    return render(request, "awards/nominations/cases.html", {
        "agency": agency, "cases": cases, "form": form or CaseForm(), "open_count": sum(1 for c in cases if c.closed_on is None),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agency_cases(request, pk):
    agency = _agency(request, pk)
    if request.method == "GET":
        return _cases_page(request, agency)
    form = CaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_open(actor=request.user, ip=client_ip(request), agency=agency, kind=data["kind"],
                               description=data["description"], opened_on=data["opened_on"])
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã ghi vụ việc; các đề nghị khen thưởng của đơn vị bị chặn khi quy định có hiệu lực."))
            return redirect("awards:agency_cases", agency.pk)
    return _cases_page(request, agency, form=form, status=400)


@login_required
@require_POST
def case_close(request, pk):
    case = get_object_or_404(PendingCase.objects.only("pk", "agency_id"), pk=pk)
    agency = _agency(request, case.agency_id)
    form = CaseCloseForm(request.POST, prefix=f"c{case.pk}")
    if form.is_valid():
        try:
            services.case_close(actor=request.user, ip=client_ip(request), case=case, closed_on=form.cleaned_data["closed_on"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.apply_errors(error)
            else:  # e.g. closed meanwhile: its form is no longer on the page
                for message in error.messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi ngày kết thúc vụ việc."))
            return redirect("awards:agency_cases", agency.pk)
    return _cases_page(request, agency, close_forms={case.pk: form}, status=400)

