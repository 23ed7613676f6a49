"""Review: members read the draft and comment per criterion or on the whole; the secretary answers."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from blocs.access import roles_of
from blocs.models import Role, RoleAssignment, User
from core.access import can
from pledges.models import Comment, Criterion, PledgeVersion
from pledges.rules import commenting_agency_id
from pledges.workflow import PLEDGE_FLOW


def review_open(*, actor: User, ip: str | None = None, version: PledgeVersion) -> PledgeVersion:
    """draft → review: the members' leaders and officers may now comment."""

    def apply(row):
        if not row.criteria.exists():
            raise ValidationError(_("Dự thảo chưa có tiêu chí thi đua nào."))

    return PLEDGE_FLOW.run("review_open", obj=version, actor=actor, ip=ip, apply=apply)


def comment_add(
    *, actor: User, ip: str | None = None, version: PledgeVersion, body: str, criterion: Criterion | None = None,
    reply_to: Comment | None = None,
) -> Comment:
    """A comment during review, on one criterion or the whole text; a reply takes its comment's criterion."""
    made = {}

    def apply(row):
        nonlocal criterion
        text = (body or "").strip()
        if not text:
            raise ValidationError({"body": _("Hãy nhập nội dung góp ý.")})
        if criterion is not None and criterion.version_id != row.pk:
            raise ValidationError({"criterion": _("Tiêu chí không thuộc giao ước này.")})
        if reply_to is not None:
            if reply_to.version_id != row.pk:
                raise ValidationError(_("Góp ý được trả lời không thuộc giao ước này."))
            criterion = reply_to.criterion
        bloc_year = row.pledge.bloc_year
        agency_id = commenting_agency_id(roles_of(actor), bloc_year)
        if agency_id is None and can(actor, "blocs.run_blocyear", bloc_year):
            agency_id = actor.agency_id
        comment = Comment(
            version=row, criterion=criterion, criterion_text=(criterion.text[:300] if criterion else ""),
            reply_to=reply_to, author=actor, agency_id=agency_id, body=text,
        )
        comment.full_clean()
        comment.save()
        made["comment"] = comment
        return {"comment": comment.pk, "criterion": criterion.pk if criterion else None, "reply_to": reply_to.pk if reply_to else None}

    PLEDGE_FLOW.run("comment", obj=version, actor=actor, ip=ip, apply=apply)
    return made["comment"]


def unanswered_comments(version: PledgeVersion) -> QuerySet:
    """The members' comments on ``version`` nobody has replied to yet, oldest first.

    A comment written by someone who runs the bloc-year (its secretaries, the province's board)
    is a note of theirs, not a question waiting for them.
    """
    bloc_year = version.pledge.bloc_year
    runs = RoleAssignment.objects.filter(user_id=OuterRef("author_id")).filter(
        Q(role=Role.SECRETARY, bloc_year_id=bloc_year.pk) | Q(role=Role.BOARD, province_id=bloc_year.bloc.province_id)
    )
    return (
        Comment.objects.filter(version=version, reply_to__isnull=True)
        .exclude(Exists(Comment.objects.filter(reply_to_id=OuterRef("pk"))))
        .exclude(Exists(runs))
        .select_related("author", "agency")
        .order_by("created_at", "id")
    )
