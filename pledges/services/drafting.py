"""Drafting: creating the pledge, its text, its ordered criteria and its attached documents."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.models import BlocYear, User
from core.audit import audit_record
from core.services import model_update
from core.uploads import check_upload
from pledges.models import Attachment, Criterion, Pledge, PledgeVersion
from pledges.services.common import require_editable
from pledges.workflow import PLEDGE_FLOW


def default_title(year: int) -> str:
    return _("Giao ước thi đua năm %(year)s") % {"year": year}


def _previous_version(bloc_year: BlocYear) -> PledgeVersion | None:
    """The latest version (signed first) of the same bloc's pledge of the year before."""
    return (
        PledgeVersion.objects.filter(pledge__bloc_year__bloc_id=bloc_year.bloc_id, pledge__bloc_year__year=bloc_year.year - 1)
        .order_by("-number")
        .prefetch_related("criteria")
        .first()
    )


def copy_criteria(source: PledgeVersion, target: PledgeVersion) -> None:
    Criterion.objects.bulk_create(
        [
            Criterion(version=target, position=i, group=c.group, text=c.text, max_points=c.max_points, target=c.target)
            for i, c in enumerate(source.criteria.all(), start=1)
        ]
    )


@transaction.atomic
def pledge_create(
    *, actor: User, ip: str | None = None, bloc_year: BlocYear, title: str = "", doc_number: str = "", place: str = "",
    date: datetime.date | None = None, preamble: str = "", from_previous: bool = False,
    signing_deadline: datetime.date | None = None,
) -> PledgeVersion:
    """Start the bloc-year's pledge (version 1, draft), optionally from last year's criteria and preamble."""
    if Pledge.objects.filter(bloc_year=bloc_year).exists():
        raise ValidationError(_("Khối đã có giao ước năm %(year)s.") % {"year": bloc_year.year})
    source = _previous_version(bloc_year) if from_previous else None
    if from_previous and source is None:
        raise ValidationError(
            {"from_previous": _("Khối chưa có giao ước năm %(year)s để sao chép.") % {"year": bloc_year.year - 1}}
        )
    pledge = Pledge.objects.create(bloc_year=bloc_year)
    version = PledgeVersion(
        pledge=pledge,
        number=1,
        title=title or default_title(bloc_year.year),
        doc_number=doc_number,
        place=place or (source.place if source else ""),
        date=date,
        signing_deadline=signing_deadline,
        preamble=preamble or (source.preamble if source else ""),
        created_by=actor,
    )
    version.full_clean()
    version.save()
    if source is not None:
        copy_criteria(source, version)
    audit_record(
        actor=actor, ip=ip, action="pledge.create", obj=version,
        data={"bloc_year": bloc_year.pk, "from_version": source.pk if source else None},
    )
    return version


@transaction.atomic
def version_update(
    *, actor: User, ip: str | None = None, version: PledgeVersion, title: str, doc_number: str = "", place: str = "",
    date: datetime.date | None = None, preamble: str = "", criteria: list[dict] | None = None,
    signing_deadline: datetime.date | None = None,
) -> PledgeVersion:
    """Save the draft's heading and preamble and, when given, its criteria (see ``criteria_save``)."""
    version = PLEDGE_FLOW.lock(version)
    require_editable(version)
    model_update(
        instance=version, actor=actor, ip=ip, action="pledge.update",
        fields={"title": title, "doc_number": doc_number, "place": place, "date": date, "preamble": preamble,
                "signing_deadline": signing_deadline},
    )
    if criteria is not None:
        criteria_save(actor=actor, ip=ip, version=version, rows=criteria)
    return version


@transaction.atomic
def criteria_save(*, actor: User, ip: str | None = None, version: PledgeVersion, rows: list[dict]) -> list[Criterion]:
    """Replace the criteria by ``rows`` (dicts with id, group, text, max_points, target), in that order.

    Rows with an id update that criterion; rows without create one; criteria not listed are removed.
    """
    version = PLEDGE_FLOW.lock(version)
    require_editable(version)
    existing = {c.pk: c for c in version.criteria.all()}
    kept = []
    errors = []
    for position, row in enumerate(rows, start=1):
        criterion = existing.get(row.get("id")) if row.get("id") else Criterion(version=version)
        if criterion is None:
            raise ValidationError(_("Tiêu chí không thuộc giao ước này (có thể đã bị xóa); hãy tải lại trang."))
        criterion.position = position
        for name in ("group", "text", "max_points", "target"):
            setattr(criterion, name, row.get(name) if row.get(name) is not None else "")
        try:
            criterion.full_clean(exclude=["version"])
        except ValidationError as error:
            errors.extend(_("Tiêu chí %(n)s: %(msg)s") % {"n": position, "msg": m} for m in error.messages)
        kept.append(criterion)
    if errors:
        raise ValidationError(errors)
    kept_ids = {c.pk for c in kept if c.pk}
    removed = [pk for pk in existing if pk not in kept_ids]
    version.criteria.filter(pk__in=removed).delete()
    for criterion in kept:
        criterion.save()
    audit_record(
        actor=actor, ip=ip, action="pledge.criteria", obj=version, data={"count": len(kept), "removed": removed},
    )
    return kept


@transaction.atomic
def attachment_add(
    *, actor: User, ip: str | None = None, version: PledgeVersion, kind: str, title: str, uploaded: UploadedFile
) -> Attachment:
    version = PLEDGE_FLOW.lock(version)
    require_editable(version)
    file_type, size, sha256 = check_upload(uploaded)
    attachment = Attachment(
        version=version, kind=kind, title=title or uploaded.name, original_name=uploaded.name[:255],
        file_type=file_type, size=size, sha256=sha256, uploaded_by=actor,
    )
    attachment.file.save(f"{sha256[:16]}.{file_type}", uploaded, save=False)
    attachment.full_clean()
    attachment.save()
    audit_record(actor=actor, ip=ip, action="pledge.attachment_add", obj=version, data={"title": attachment.title, "sha256": sha256})
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, ip: str | None = None, attachment: Attachment) -> None:
    version = PLEDGE_FLOW.lock(attachment.version)
    require_editable(version)
    data = {"title": attachment.title, "sha256": attachment.sha256}
    # The stored file stays: an earlier signed version may refer to the same bytes.
    attachment.delete()
    audit_record(actor=actor, ip=ip, action="pledge.attachment_remove", obj=version, data=data)


def copy_attachments(source: PledgeVersion, target: PledgeVersion) -> None:
    for attachment in source.attachments.all():
        copy = Attachment(
            version=target, kind=attachment.kind, title=attachment.title, original_name=attachment.original_name,
            file_type=attachment.file_type, size=attachment.size, sha256=attachment.sha256, uploaded_by=attachment.uploaded_by,
        )
        with attachment.file.open("rb") as handle:
            copy.file.save(f"{attachment.sha256[:16]}.{attachment.file_type}", ContentFile(handle.read()), save=False)
        copy.save()

