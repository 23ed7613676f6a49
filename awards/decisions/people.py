"""Who is told when a dossier or a nomination moves: the bloc-year's secretaries, the province's board."""

from blocs.models import Role, User


def secretaries_of(bloc_year_id):
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.SECRETARY, role_assignments__bloc_year_id=bloc_year_id
    ).distinct()


def board_of(province_id):
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.BOARD, role_assignments__province_id=province_id
    ).distinct()
