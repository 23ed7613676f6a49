"""Who hears of an overdue reminder (core.reminders): the head agency's leaders, then the province's board.

Also the pairs the apps' rules build on: the leaders (or officers) of a bloc-year's member agencies.
"""

from django.db.models import F

from blocs.models import BlocYear, Role, RoleAssignment


def escalation_recipients(level: str, bloc_year_ids) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    if level == "head":
        rows = RoleAssignment.objects.filter(
            role=Role.LEADER, user__is_active=True, agency__isnull=False,
            agency_id__in=BlocYear.objects.filter(pk__in=bloc_year_ids).values("head_id"),
        ).values_list("agency_id", "user_id")
        heads = dict(BlocYear.objects.filter(pk__in=bloc_year_ids).values_list("head_id", "pk"))
        for agency_id, user_id in rows:
            found.setdefault(heads[agency_id], []).append(user_id)
        return found
    rows = RoleAssignment.objects.filter(
        role=Role.BOARD, user__is_active=True,
        province_id__in=BlocYear.objects.filter(pk__in=bloc_year_ids).values("bloc__province_id"),
    ).values_list("province_id", "user_id")
    by_province: dict[int, list[int]] = {}
    for province_id, user_id in rows:
        by_province.setdefault(province_id, []).append(user_id)
    for pk, province_id in BlocYear.objects.filter(pk__in=bloc_year_ids).values_list("pk", "bloc__province_id"):
        found[pk] = by_province.get(province_id, [])
    return found


def member_people(roles, *, bloc_year_path: str, objects, agency_field: str = "agency"):
    """(object_id, user_id) of the people with ``roles`` in the member agencies of each object's bloc-year.

    ``bloc_year_path`` leads from RoleAssignment's agency memberships to the objects' bloc-year, e.g.
    the objects are pledge versions: ``pledge__versions``.
    """
    return (
        RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
        .annotate(object_id=F(f"agency__memberships__bloc_year__{bloc_year_path}"))
        .filter(object_id__in=objects.values("pk"))
    )
