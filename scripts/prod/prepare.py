"""Pledges for the smoke test, made through the services (run inside ``manage.py shell``).

``PROD_SMOKE_PREPARE`` holds JSON: ``{"count": n, "signed_but": [k, ...]}``. For each of ``n``
bloc-years of the demo's first province that have no pledge yet, a pledge with two criteria is
drafted and opened for review; where ``signed_but`` gives a number, signing is opened too and
every member but the last ``k`` signs. Prints one JSON line per pledge: the version's id, the
secretary's and the unsigned leaders' usernames.
"""

import datetime
import json
import os
from decimal import Decimal

from blocs import demo_data
from blocs.models import BlocYear, Role, RoleAssignment
from pledges import services

CRITERIA = [
    {"group": "Thực hiện nhiệm vụ chính trị", "text": "Hoàn thành các chỉ tiêu được giao trong năm.", "max_points": Decimal(60),
     "target": ""},
    {"group": "Phong trào thi đua", "text": "Tổ chức phát động phong trào thi đua của đơn vị.", "max_points": Decimal(40),
     "target": ""},
]


def _leader(agency):
    assignment = RoleAssignment.objects.filter(role=Role.LEADER, agency=agency).select_related("user").order_by("user__username").first()
    return assignment.user


def _pledge(bloc_year, signed_but):
    secretary = RoleAssignment.objects.filter(role=Role.SECRETARY, bloc_year=bloc_year).select_related("user").order_by("id").first().user
    version = services.pledge_create(
        actor=secretary, bloc_year=bloc_year, doc_number=f"{bloc_year.pk}/GƯ-KIEMTRA", place="Ninh Thuận",
        date=datetime.date(bloc_year.year, 3, 1), preamble="Giao ước kiểm tra vận hành.",
    )
    services.criteria_save(actor=secretary, version=version, rows=CRITERIA)
    services.review_open(actor=secretary, version=version)
    leaders = [_leader(m.agency) for m in bloc_year.memberships.select_related("agency").order_by("agency__name")]
    if signed_but is not None:
        version = services.signing_open(actor=secretary, version=version)
        for leader in leaders[: len(leaders) - signed_but]:
            version.refresh_from_db()
            services.pledge_sign(actor=leader, version=version, signer_name=leader.get_full_name(),
                                 signer_title=leader.title or "Giám đốc", content_hash=version.content_hash)
        leaders = leaders[len(leaders) - signed_but:]
    return {"version": version.pk, "secretary": secretary.username, "leaders": [u.username for u in leaders]}


def main():
    request = json.loads(os.environ["PROD_SMOKE_PREPARE"])
    free = BlocYear.objects.filter(pledge__isnull=True, bloc__province__code=demo_data.NINH_THUAN["code"]).order_by("year", "pk")
    bloc_years = list(free[: request["count"]])
    if len(bloc_years) < request["count"]:
        raise SystemExit(f"the demo has {len(bloc_years)} bloc-years without a pledge, {request['count']} needed")
    signed_but = request.get("signed_but", [])
    for n, bloc_year in enumerate(bloc_years):
        print(json.dumps(_pledge(bloc_year, signed_but[n] if n < len(signed_but) else None)))
