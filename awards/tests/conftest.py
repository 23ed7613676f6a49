import pytest

from awards.tests.helpers import ensure_templates


@pytest.fixture
def templates(db):
    return ensure_templates()


@pytest.fixture
def ninh_thuan_rules(world, templates):
    """The world's province with its regulation copied from the NĐ 91/2017 template."""
    from awards import services

    template = templates["Nghị định 91/2017/NĐ-CP"]
    return services.rule_set_copy(
        actor=world.board, rule_set=template, province=world.province, name="Quy chế hoạt động Khối thi đua tỉnh Ninh Thuận",
        valid_from=template.valid_from, valid_to=template.valid_to,
    )
