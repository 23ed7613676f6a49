"""Next year's head and deputy, elected by the ballot, fill the bloc's next bloc-year (issue 11).

The bloc-year of ``year + 1`` is created when missing, with this year's members still active on
1 January and not already in another bloc that year. Its notice number stays empty: the page says
"chờ thông báo" until the board enters the UBND notice (the bloc-year edit form). A next bloc-year
whose notice is already entered is left as the notice says (the page warns).
Re-electing this year's head is allowed, with a warning on the results page (RULES.md, open question).
"""

import datetime

from django.utils.translation import gettext as _

from blocs import services as bloc_services
from blocs.models import Agency, BlocYear, Membership, Role, RoleAssignment


def next_bloc_year(bloc_year) -> BlocYear | None:
    return BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=bloc_year.year + 1).select_related("head", "deputy").first()


def _free_agency_ids(bloc, year, agency_ids) -> set[int]:
    """Of ``agency_ids``, those not members of another bloc in ``year`` and usable on 1 January."""
    start = datetime.date(year, 1, 1)
    taken = set(Membership.objects.filter(year=year, agency_id__in=sorted(agency_ids)).exclude(bloc_year__bloc=bloc)
                .values_list("agency_id", flat=True))
    return {a.pk for a in Agency.objects.filter(pk__in=sorted(agency_ids)) if a.is_usable_on(start) and a.pk not in taken}


def fill_next_year(*, actor, bloc_year, head_id: int | None = None, deputy_id: int | None = None, ip: str | None = None) -> BlocYear | None:
    """Write the elected head and / or deputy into next year's bloc-year (created if missing).
    Returns it, or None when there was nothing to write. Runs inside the closing transaction."""
    if head_id is None and deputy_id is None:
        return None
    year = bloc_year.year + 1
    bloc = bloc_year.bloc
    target = BlocYear.objects.select_for_update().filter(bloc=bloc, year=year).first()
    if target is None:
        this_year = list(Membership.objects.filter(bloc_year=bloc_year).values_list("agency_id", flat=True))
        free = _free_agency_ids(bloc, year, this_year)
        members = list(Agency.objects.filter(pk__in=sorted(free)).order_by("name"))
        head = next((a for a in members if a.pk == head_id), None)
        deputy = next((a for a in members if a.pk == deputy_id and a.pk != head_id), None)
        return bloc_services.bloc_year_create(actor=actor, ip=ip, bloc=bloc, year=year, members=members, head=head, deputy=deputy)
    if target.notice_number:
        return target  # the UBND notice already named them: the results page says so
    current = set(Membership.objects.filter(bloc_year=target).values_list("agency_id", flat=True))
    wanted = {pk for pk in (head_id, deputy_id) if pk is not None}
    joinable = _free_agency_ids(bloc, year, wanted - current)
    members = list(Agency.objects.filter(pk__in=sorted(current | joinable)))
    by_id = {a.pk: a for a in members}
    head = by_id.get(head_id) if head_id is not None else target.head
    deputy = by_id.get(deputy_id) if deputy_id is not None else target.deputy
    if head is not None and deputy is not None and head.pk == deputy.pk:
        # The one just elected keeps the role; the other role (from before) is emptied.
        if deputy_id is None:
            deputy = None
        else:
            head = None
    secretaries = [ra.user for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=target).select_related("user")]
    bloc_services.bloc_year_update(
        actor=actor, ip=ip, bloc_year=target, year=year, members=members, head=head, deputy=deputy,
        notice_number="", notice_date=None, secretaries=secretaries,
    )
    return target


def next_year_warnings(*, bloc_year, head_id: int | None, deputy_id: int | None, target: BlocYear | None) -> list[str]:
    """What the results page says about the elected head and deputy: re-election of this year's
    head (allowed), next year's bloc-year already named by a notice, or not written."""
    warnings = []
    if head_id is not None and head_id == bloc_year.head_id:
        warnings.append(_("Trưởng khối năm nay được bầu lại làm Trưởng khối năm sau: quy định hiện hành không cấm việc này "
                          "(chưa tìm thấy văn bản quy định), đề nghị Ban Thi đua – Khen thưởng lưu ý khi ra thông báo."))
    if target is None:
        return warnings
    if target.notice_number:
        warnings.append(_("Khối năm %(year)s đã có thông báo công nhận số %(n)s: Trưởng khối, Phó khối theo thông báo, "
                          "kết quả bầu không thay đổi danh sách.") % {"year": target.year, "n": target.notice_number})
        return warnings
    for role, wanted, actual in ((_("Trưởng khối"), head_id, target.head_id), (_("Phó khối"), deputy_id, target.deputy_id)):
        if wanted is not None and wanted != actual:
            warnings.append(_("%(role)s được bầu chưa ghi được vào khối năm %(year)s (đơn vị không còn hoạt động hoặc đã thuộc khối khác).")
                            % {"role": role, "year": target.year})
    return warnings
