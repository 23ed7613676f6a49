"""Writing a validated file, through ``blocs.services``, in one transaction."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from blocs import services
from blocs.models import Role, RoleAssignment
from blocs.transfer.columns import norm
from blocs.transfer.validate import import_validate
from core.audit import audit_record


def import_apply(*, actor, ip=None, province, parsed):
    """Validate again (the database may have changed since the preview) and write what differs.

    Returns the counts of created and updated agencies and bloc-years (all zero: nothing changed).
    """
    plan = import_validate(province=province, parsed=parsed)
    if not plan.is_valid:
        raise ValidationError(_("Tệp còn lỗi; hãy xem lại bản xem trước."))
    summary = plan.summary()
    if not plan.has_changes:
        return summary
    agencies = {}
    for key, agency_plan in plan.agencies.items():
        changes = agency_plan.changes
        if changes:
            agency_plan.agency = services.agency_save(
                actor=actor, ip=ip, agency=agency_plan.agency, province=province,
                **({"name": agency_plan.name} if agency_plan.agency is None else {}), **changes,
            )
        agencies[key] = agency_plan.agency
    changed = [p for p in plan.bloc_years.values() if p.changed]
    # Members leaving a bloc first, so an agency may move between two blocs of the file in one go.
    for by_plan in changed:
        if by_plan.bloc_year is not None and by_plan.removed:
            by_plan.bloc_year.memberships.exclude(agency__in=[agencies[k] for k in by_plan.members]).delete()
    for by_plan in changed:
        bloc = by_plan.bloc or services.bloc_save(actor=actor, ip=ip, province=province, name=by_plan.bloc_name)
        by_plan.bloc = bloc
        for other in plan.bloc_years.values():
            if other.bloc is None and norm(other.bloc_name) == norm(bloc.name):
                other.bloc = bloc
        secretaries = by_plan.secretaries
        if secretaries is None:
            secretaries = (
                [ra.user for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=by_plan.bloc_year).select_related("user")]
                if by_plan.bloc_year is not None
                else []
            )
        services.bloc_year_save(
            actor=actor,
            ip=ip,
            bloc_year=by_plan.bloc_year,
            bloc=bloc,
            year=by_plan.year,
            members=[agencies[k] for k in by_plan.members],
            head=agencies[by_plan.head] if by_plan.head else None,
            deputy=agencies[by_plan.deputy] if by_plan.deputy else None,
            notice_number=by_plan.notice_number,
            notice_date=by_plan.notice_date,
            secretaries=secretaries,
        )
    audit_record(
        actor=actor,
        ip=ip,
        action="blocs.import",
        obj=province,
        data={"file": parsed.filename, "sha256": parsed.sha256, **summary},
    )
    return summary
