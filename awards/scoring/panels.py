"""The round page's panels: the checking and the ranking parts add their context here (each at
most two queries); their templates are ``check_round_panel.html`` and ``ranking_round_panel.html``."""

from awards.scoring.checking import checking_panel
from awards.scoring.ranking import ranking_panel


def round_panels(scoring, user) -> dict:
    return {**checking_panel(scoring, user), **ranking_panel(scoring, user)}
