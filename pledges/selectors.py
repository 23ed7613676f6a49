"""Reads for pledges, with the joins that keep every page's query count flat."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from blocs.access import member_bloc_years_where, roles_of
from blocs.models import BlocYear, Membership, Role, RoleAssignment
from core.access import NOTHING, any_of, restrict
from core.audit import audit_for
from core.counts import SubqueryCount
from core.models import IssuedDocument
from pledges.models import Comment, Decline, Pledge, PledgeState, PledgeVersion, Signature
from pledges.services.review import unanswered_comments  # noqa: F401  (a read the signing service asks too)
from pledges.services.signing import DOCUMENT_KIND

_MEMBERS = Prefetch(
    "pledge__bloc_year__memberships", queryset=Membership.objects.select_related("agency").order_by("agency__name")
)


def versions_queryset():
    """One version with what every pledge page needs (bloc, province, members)."""
    return PledgeVersion.objects.select_related("pledge__bloc_year__bloc__province").prefetch_related(_MEMBERS)


def _signing_progress():
    """signed_count and member_count of each version, as correlated counts.

    Joining signatures and memberships and grouping multiplied every version by members x
    signatures (511,000 rows for 5,100 national pledges: seconds on PostgreSQL).
    """
    return {
        "signed_count": SubqueryCount(Signature.objects.filter(version=OuterRef("pk"), voided_at__isnull=True)),
        "member_count": SubqueryCount(Membership.objects.filter(bloc_year=OuterRef("pledge__bloc_year_id"))),
    }


def version_for_document(pk):
    return versions_queryset().prefetch_related("criteria", "attachments", "signatures").get(pk=pk)


def _board_prefetches():
    return [
        Prefetch("signatures", queryset=Signature.objects.select_related("agency", "voided_by").order_by("signed_at", "id")),
        Prefetch("declines", queryset=Decline.objects.select_related("agency", "user")),
    ]


def versions_for_status():
    """Versions with what the signing board (the polled part of the page) shows."""
    return versions_queryset().prefetch_related(*_board_prefetches())


def version_detail_queryset():
    """Everything the detail page shows, fetched in a fixed number of queries."""
    return (
        versions_queryset()
        .prefetch_related(
            "criteria",
            "attachments",
            *_board_prefetches(),
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author", "agency", "criterion").order_by("created_at", "id"),
            ),
            Prefetch(
                "pledge__bloc_year__role_assignments",
                queryset=RoleAssignment.objects.filter(role=Role.SECRETARY).select_related("user"),
                to_attr="secretary_assignments",
            ),
        )
    )


def signing_board(version):
    """Per member agency: its live signature, its live decline, and voided signatures (history)."""
    members = version.pledge.bloc_year.memberships.all()
    live = {}
    declined = {}
    voided = []
    for signature in version.signatures.all():
        if signature.voided_at is None:
            live[signature.agency_id] = signature
        else:
            voided.append(signature)
    for decline in version.declines.all():
        if decline.voided_at is None:
            declined[decline.agency_id] = decline
    rows = [{"agency": m.agency, "signature": live.get(m.agency_id), "decline": declined.get(m.agency_id)} for m in members]
    return {
        "rows": rows,
        "signed": sum(1 for r in rows if r["signature"]),
        "total": len(rows),
        "voided": voided,
        "declines_history": [d for d in version.declines.all() if d.voided_at is not None],
    }


def document_of(version):
    """The issued document of a signed version (None before the last signature)."""
    if version.state != PledgeState.SIGNED:
        return None
    return IssuedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(PledgeVersion), source_id=version.pk, kind=DOCUMENT_KIND
    ).first()


def other_versions(version):
    return list(version.pledge.versions.order_by("number").only("pk", "number", "state", "pledge_id"))


def comment_threads(version):
    """Top-level comments with their replies, grouped: whole text first, then per criterion."""
    comments = list(version.comments.all())
    replies = {}
    for comment in comments:
        if comment.reply_to_id:
            replies.setdefault(comment.reply_to_id, []).append(comment)
    return [{"comment": c, "replies": replies.get(c.pk, [])} for c in comments if not c.reply_to_id]


def pledge_list(*, user, year=None, state=""):
    """Latest version of each visible pledge, filtered and ordered (lean: page it with ``pledge_rows``)."""
    versions = restrict(PledgeVersion.objects.all(), user, "pledges.view").filter(
        ~Exists(PledgeVersion.objects.filter(pledge_id=OuterRef("pledge_id"), number__gt=OuterRef("number")))
    )
    if year:
        versions = versions.filter(pledge__bloc_year__year=year)
    if state:
        versions = versions.filter(state=state)
    return versions.order_by("-pledge__bloc_year__year", "pledge__bloc_year__bloc__name", "pk")


def pledge_rows(versions):
    """The page's versions with their bloc-year, bloc, province and signing progress."""
    return versions.select_related("pledge__bloc_year__bloc__province").annotate(**_signing_progress())


def creatable_bloc_years(*, user, limit=20):
    """Bloc-years the user runs (secretary, board) that have no pledge yet, newest first."""
    roles = roles_of(user)
    if not (roles.secretary_bloc_year_ids or roles.board_province_ids or roles.is_superuser):
        return []
    without_pledge = BlocYear.objects.filter(~Exists(Pledge.objects.filter(bloc_year=OuterRef("pk"))))
    bloc_years = restrict(without_pledge, user, "pledges.create")
    return list(bloc_years.select_related("bloc").order_by("-year", "bloc__name", "pk")[:limit])


def _of_year(versions, year):
    return versions if year is None else versions.filter(pledge__bloc_year__year=year)


def _not_signed_by(agency_ids):
    """Live signatures of ``agency_ids`` on the version of the enclosing query."""
    return Signature.objects.filter(version=OuterRef("pk"), voided_at__isnull=True, agency_id__in=sorted(agency_ids))


def to_sign(*, user, year=None):
    """Versions under signing whose bloc includes an agency the user leads and that agency has not signed."""
    roles = roles_of(user)
    if not roles.leader_agency_ids:
        return PledgeVersion.objects.none()
    versions = (
        PledgeVersion.objects.filter(member_bloc_years_where(roles.leader_agency_ids, at="pledge__bloc_year"), state=PledgeState.SIGNING)
        .exclude(Exists(_not_signed_by(roles.leader_agency_ids)))
    )
    return _of_year(versions, year).select_related("pledge__bloc_year__bloc").order_by("-pledge__bloc_year__year", "pk")


def to_review(*, user, year=None):
    """Drafts open for review in the blocs of the user's agency (as leader or officer)."""
    roles = roles_of(user)
    agency_ids = roles.leader_agency_ids | roles.officer_agency_ids
    if not agency_ids:
        return PledgeVersion.objects.none()
    versions = PledgeVersion.objects.filter(member_bloc_years_where(agency_ids, at="pledge__bloc_year"), state=PledgeState.REVIEW)
    return _of_year(versions, year).select_related("pledge__bloc_year__bloc")


def secretary_open(*, user, year=None):
    """Unfinished versions of the bloc-years the user is secretary of, with signing progress."""
    roles = roles_of(user)
    if not roles.secretary_bloc_year_ids:
        return PledgeVersion.objects.none()
    versions = PledgeVersion.objects.filter(pledge__bloc_year_id__in=roles.secretary_bloc_year_ids).exclude(state=PledgeState.SIGNED)
    return (
        _of_year(versions, year)
        .select_related("pledge__bloc_year__bloc")
        .annotate(
            **_signing_progress(),
            decline_count=SubqueryCount(Decline.objects.filter(version=OuterRef("pk"), voided_at__isnull=True)),
        )
        .order_by("-pledge__bloc_year__year")
    )


def pending_bloc_years(*, user) -> Q:
    """The bloc-years (a ``Q`` over BlocYear) where the home panel has pledge work for the user:
    to sign, to comment on, or (secretaries) a version not signed yet. The same three lists."""
    roles = roles_of(user)
    versions = PledgeVersion.objects.filter(pledge__bloc_year_id=OuterRef("pk"))
    to_review_ids = roles.leader_agency_ids | roles.officer_agency_ids
    return any_of(
        member_bloc_years_where(roles.leader_agency_ids, at="pk")
        & Q(Exists(versions.filter(state=PledgeState.SIGNING).exclude(Exists(_not_signed_by(roles.leader_agency_ids)))))
        if roles.leader_agency_ids else NOTHING,
        member_bloc_years_where(to_review_ids, at="pk") & Q(Exists(versions.filter(state=PledgeState.REVIEW))) if to_review_ids else NOTHING,
        Q(pk__in=sorted(roles.secretary_bloc_year_ids)) & Q(Exists(versions.exclude(state=PledgeState.SIGNED)))
        if roles.secretary_bloc_year_ids else NOTHING,
    )


ACTION_LABELS = {
    "pledge.create": _("Tạo dự thảo"),
    "pledge.update": _("Sửa dự thảo"),
    "pledge.criteria": _("Sửa tiêu chí"),
    "pledge.attachment_add": _("Đính kèm tài liệu"),
    "pledge.attachment_remove": _("Gỡ tài liệu"),
    "pledge.review_open": _("Gửi lấy ý kiến"),
    "pledge.comment": _("Góp ý"),
    "pledge.signing_open": _("Chốt văn bản, mở ký"),
    "pledge.sign": _("Ký"),
    "pledge.decline": _("Không ký"),
    "pledge.signing_reopen": _("Mở lại về dự thảo (hủy chữ ký)"),
    "pledge.signed": _("Đủ chữ ký – đã ký"),
    "pledge.amend": _("Lập phiên bản sửa đổi"),
}


def history(version, limit=100):
    """The version's audit entries (who, when, from where, what), newest first, with readable labels."""
    entries = list(audit_for(version).order_by("-id")[:limit])
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
    return entries
