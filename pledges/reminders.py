"""Reminder rules of the pledges app (core.reminders): a version in signing waits for the leaders
of the member agencies that have not signed it."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import Role
from blocs.reminders import member_people
from core.reminders import BEFORE_DEADLINE, end_of_day, reminder_rule
from pledges.models import PledgeState, PledgeVersion, Signature

SIGN = "pledges.sign"


def _label(version):
    bloc_year = version.pledge.bloc_year
    return _("%(title)s – %(bloc)s năm %(year)s") % {"title": version.title, "bloc": bloc_year.bloc.name, "year": bloc_year.year}


@reminder_rule(
    SIGN, model="pledges.PledgeVersion", title=_("Ký giao ước thi đua"),
    due=lambda now: PledgeVersion.objects.filter(state=PledgeState.SIGNING).select_related("pledge__bloc_year__bloc"),
    label=_label, url=lambda version: reverse("pledges:sign", args=[version.pk]),
    deadline=lambda version: end_of_day(version.signing_deadline), steps=BEFORE_DEADLINE,
    essential=True, escalate=True, bloc_year_id=lambda version: version.pledge.bloc_year_id,
    manage="pledges.edit", view="pledges.view", sweep_related=("pledge",),
    cycle=lambda version: version.signing_opened_at,
)
def leaders_not_signed(versions):
    signed = Signature.objects.filter(version_id=OuterRef("object_id"), agency_id=OuterRef("agency_id"), voided_at__isnull=True)
    return [member_people([Role.LEADER], bloc_year_path="pledge__versions", objects=versions).exclude(Exists(signed))]
