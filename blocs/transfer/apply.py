"""Writing a validated file, through ``blocs.services``, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blocs import services
from blocs.models import Agency, Province, Role, RoleAssignment, User
from blocs.transfer.columns import norm
from blocs.transfer.parse import ParsedFile
from blocs.transfer.validate import ImportPlan, import_validate
from core.audit import audit_record


def import_apply(*, actor: User, province: Province, parsed: ParsedFile, ip: str | None = None) -> dict[str, int]:
    """Validate again (the database may have changed since the preview) and write what differs,
    all or nothing. Returns the counts of created and updated agencies and bloc-years (all zero:
    nothing changed)."""
    try:
        with transaction.atomic():
            plan = import_validate(province=province, parsed=parsed)
            if not plan.is_valid:
                raise ValidationError(_("Tệp còn lỗi; hãy xem lại bản xem trước."))
            summary = plan.summary()
            if plan.has_changes:
                _write(actor=actor, ip=ip, plan=plan)
                audit_record(
                    actor=actor,
                    ip=ip,
                    action="blocs.import",
                    obj=province,
                    data={"file": parsed.filename, "sha256": parsed.sha256, **summary},
                )
    except IntegrityError as error:
        # Validation passed, so the data changed under us (another user saving at the same time).
        raise ValidationError(
            _("Không lưu được tệp vì dữ liệu vừa bị thay đổi trong lúc nhập; chưa có gì được lưu. Hãy xem lại bản xem trước và xác nhận lại.")
        ) from error
    return summary


def _write(*, actor: User, ip: str | None, plan: ImportPlan) -> None:
    agencies = _write_agencies(actor=actor, ip=ip, plan=plan)
    changed = [p for p in plan.bloc_years.values() if p.changed]
    # Members leaving a bloc first, so an agency may move between two blocs of the file in one go.
    for by_plan in changed:
        if by_plan.bloc_year is not None and by_plan.removed:
            staying = {agencies[k].pk for k in by_plan.members}
            leaving = [m.agency for m in by_plan.bloc_year.memberships.select_related("agency") if m.agency_id not in staying]
            services.bloc_year_remove_members(actor=actor, ip=ip, bloc_year=by_plan.bloc_year, agencies=leaving)
    blocs = {}
    for by_plan in changed:
        key = norm(by_plan.bloc_name)
        bloc = by_plan.bloc or blocs.get(key)
        if bloc is None:
            bloc = services.bloc_create(actor=actor, ip=ip, province=plan.province, name=by_plan.bloc_name)
        blocs[key] = bloc
        people = {
            "members": [agencies[k] for k in by_plan.members],
            "head": agencies[by_plan.head] if by_plan.head else None,
            "deputy": agencies[by_plan.deputy] if by_plan.deputy else None,
            "notice_number": by_plan.notice_number,
            "notice_date": by_plan.notice_date,
        }
        if by_plan.bloc_year is None:
            services.bloc_year_create(
                actor=actor, ip=ip, bloc=bloc, year=by_plan.year, secretaries=by_plan.secretaries or [], **people
            )
        else:
            secretaries = by_plan.secretaries
            if secretaries is None:  # the file leaves them as they are
                secretaries = [
                    ra.user for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=by_plan.bloc_year).select_related("user")
                ]
            services.bloc_year_update(
                actor=actor, ip=ip, bloc_year=by_plan.bloc_year, year=by_plan.year, secretaries=secretaries, **people
            )


def _write_agencies(*, actor: User, ip: str | None, plan: ImportPlan) -> dict[str, Agency]:
    """Create or update the file's agencies; return every agency of the file by its key."""
    agencies = {}
    for key, agency_plan in plan.agencies.items():
        agency = agency_plan.agency
        if agency is None:
            agency = services.agency_create(actor=actor, ip=ip, province=plan.province, name=agency_plan.name, **agency_plan.fields)
        elif agency_plan.changes:
            services.agency_update(actor=actor, ip=ip, agency=agency, fields=agency_plan.changes)
        agencies[key] = agency
    return agencies



def summary_text(*, filename: str, summary: dict[str, int]) -> str:
    """The import's outcome in one sentence, for the message after an inline import and the job page."""
    parts = [
        template % {"n": summary[key]}
        for key, template in (
            ("agencies_created", _("thêm %(n)s đơn vị")),
            ("agencies_updated", _("cập nhật %(n)s đơn vị")),
            ("bloc_years_created", _("lập %(n)s danh sách khối theo năm")),
            ("bloc_years_updated", _("cập nhật %(n)s danh sách khối theo năm")),
        )
        if summary.get(key)
    ]
    if parts:
        return _("Đã nhập tệp %(file)s: %(changes)s.") % {"file": filename, "changes": ", ".join(parts)}
    return _("Tệp %(file)s không làm thay đổi dữ liệu nào.") % {"file": filename}
