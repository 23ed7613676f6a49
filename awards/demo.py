"""Demo rule sets (idempotent): Ninh Thuận's bloc regulation, copied from the national template
under Nghị định 91/2017/NĐ-CP, which governs the demo years 2020–2022."""

import importlib

from django.apps import apps
from django.db import transaction

from awards import services
from awards.models import RuleSet
from blocs import demo_data
from blocs.models import Province, User

NAME = "Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận"


def seed_templates():
    """The legal bases and templates of migration 0002 (idempotent): a database flushed after
    migrating (as tests that truncate tables leave it) has lost them."""
    importlib.import_module("awards.migrations.0002_seed_rule_sets").seed(apps, None)


@transaction.atomic
def load():
    seed_templates()
    province = Province.objects.get(code=demo_data.NINH_THUAN["code"])
    if RuleSet.objects.filter(province=province, name=NAME).exists():
        return
    template = RuleSet.objects.select_related("legal_basis").get(province__isnull=True, legal_basis__name="Nghị định 91/2017/NĐ-CP")
    board = User.objects.filter(username="bantdkt").first()
    services.rule_set_copy(
        actor=board, rule_set=template, province=province, name=NAME, valid_from=template.valid_from, valid_to=template.valid_to
    )
