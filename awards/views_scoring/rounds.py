"""Pages of a scoring round: the secretary opens it (and changes its setup while open); the round
page lists every member's sheet with the checking and ranking panels."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from awards.forms_scoring import RoundForm
from awards.models import CheckMode, ScoringRound
from awards.scoring import rounds
from awards.scoring.panels import round_panels
from awards.selectors import NoRuleSet, rule_set_for
from awards.workflow import ROUND_FLOW
from blocs.models import BlocYear
from core.access import can, get_object_for_user, restrict
from core.audit import client_ip


def _initial_pairs(members, existing=None):
    if existing:
        return {f"checker_{a.checked_agency_id}": str(a.checker_agency_id) for a in existing if a.checked_agency_id}
    return {f"checker_{checked.pk}": str(checker.pk) for checker, checked in rounds.rotation(members)}


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, pk):
    bloc_year = get_object_for_user(
        request.user, BlocYear.objects.select_related("bloc__province"), view="blocs.view_blocyear",
        change="awards.open_scoring", pk=pk,
    )
    existing = ScoringRound.objects.filter(bloc_year=bloc_year).first()
    if existing is not None:
        messages.info(request, _("Việc chấm điểm của %(bloc_year)s đã được mở.") % {"bloc_year": bloc_year})
        return redirect(existing)
    members = rounds.members_of(bloc_year)
    version = rounds.signed_version(bloc_year)
    refusal = ""
    try:
        rule_set = rule_set_for(bloc_year)
    except NoRuleSet as error:
        rule_set, refusal = None, str(error)
    if version is None:
        refusal = _("Chưa mở được chấm điểm: giao ước thi đua của %(bloc_year)s chưa có bản đã ký đủ. "
                    "Bảng điểm lấy từ các tiêu chí của bản giao ước đã ký.") % {"bloc_year": bloc_year}
    initial = {"deadline": rounds.default_deadline(bloc_year, rule_set), "check_mode": CheckMode.SECRETARY, **_initial_pairs(members)}
    form = RoundForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scoring = rounds.round_open(
                actor=request.user, ip=client_ip(request), bloc_year=bloc_year, deadline=data["deadline"],
                check_mode=data["check_mode"], panel=data["panel_agencies"], pairs=data["pairs"],
            )
        except ValidationError as error:
            if error.code == "exists" or ScoringRound.objects.filter(bloc_year=bloc_year).exists():
                messages.info(request, _("Việc chấm điểm của %(bloc_year)s đã được mở.") % {"bloc_year": bloc_year})
                return redirect(ScoringRound.objects.get(bloc_year=bloc_year))
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã mở chấm điểm %(bloc_year)s: %(n)s phiếu tự chấm điểm đã được tạo.")
                             % {"bloc_year": bloc_year, "n": scoring.sheets.count()})
            return redirect(scoring)
    criteria = list(version.criteria.order_by("position", "pk")) if version else []
    return render(request, "awards/scoring/round_open.html", {
        "bloc_year": bloc_year, "form": form, "version": version, "criteria": criteria, "refusal": refusal,
        "rule_set": rule_set, "members": members, "status": "open",
    })


def _round(request, pk, *, change=None):
    return get_object_for_user(
        request.user,
        ScoringRound.objects.select_related("bloc_year__bloc__province", "pledge_version", "rule_set__legal_basis", "opened_by"),
        view="awards.view_round", change=change, also=("awards.run_round",), pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_setup(request, pk):
    scoring = _round(request, pk, change="awards.run_round")
    if not ROUND_FLOW.actions(scoring, request.user).setup:
        messages.error(request, _("Chỉ sửa được khi đợt chấm điểm đang mở."))
        return redirect(scoring)
    members = rounds.members_of(scoring.bloc_year)
    checkers = rounds.checker_rows(scoring)
    initial = {
        "deadline": scoring.self_score_deadline, "check_mode": scoring.check_mode, "version": scoring.version,
        "panel": [str(a.checker_agency_id) for a in checkers if a.checked_agency_id is None],
        **_initial_pairs(members, [a for a in checkers if a.checked_agency_id] or None),
    }
    form = RoundForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rounds.round_setup(
                actor=request.user, ip=client_ip(request), scoring=scoring, version=data.get("version") or "",
                deadline=data["deadline"], check_mode=data["check_mode"], panel=data["panel_agencies"], pairs=data["pairs"],
            )
        except ValidationError as error:
            if error.code == "stale":
                scoring.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = scoring.version
            form.apply_errors(error)
        else:
            messages.success(request, _("Đã lưu hạn tự chấm điểm và phân công kiểm tra."))
            return redirect(scoring)
    return render(request, "awards/scoring/round_setup.html", {"scoring": scoring, "bloc_year": scoring.bloc_year, "form": form,
                                                                 "members": members})


@login_required
@require_GET
def round_detail(request, pk):
    scoring = _round(request, pk)
    rows = rounds.round_rows(scoring)
    checkers = rounds.checker_rows(scoring)
    context = {
        "scoring": scoring, "bloc_year": scoring.bloc_year, "rows": rows, "checkers": checkers,
        "panel": [a for a in checkers if a.checked_agency_id is None],
        "pairs": {a.checked_agency_id: a.checker_agency for a in checkers if a.checked_agency_id},
        "actions": ROUND_FLOW.actions(scoring, request.user),
        "can_run": can(request.user, "awards.run_round", scoring),
        "submitted": sum(1 for r in rows if r.state == "submitted"),
        "visible": set(restrict(scoring.sheets.all(), request.user, "awards.view_sheet").values_list("pk", flat=True)),
    }
    context.update(round_panels(scoring, request.user))
    return render(request, "awards/scoring/round_detail.html", context)
