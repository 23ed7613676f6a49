from django.urls import path

from awards import views
from awards.views_scoring import checking as scoring_checking
from awards.views_scoring import ranking as ranking_views
from awards.views_scoring import rounds as scoring_rounds
from awards.views_scoring import sheets as scoring_sheets

app_name = "awards"

urlpatterns = [
    path("rule-sets/", views.rule_set_list, name="rule_set_list"),
    path("rule-sets/<int:pk>/", views.rule_set_detail, name="rule_set_detail"),
    path("rule-sets/<int:pk>/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("rule-sets/<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("bloc-years/<int:pk>/rules/", views.blocyear_rules, name="blocyear_rules"),
    path("bloc-years/<int:pk>/rules/choose/", views.blocyear_rule_set_choose, name="blocyear_rule_set_choose"),
    # Ranking and score table (issue 10, helper "ranking")
    path("scoring/<int:pk>/table/", ranking_views.score_table, name="score_table"),
    path("scoring/<int:pk>/table.xlsx", ranking_views.score_table_xlsx, name="score_table_xlsx"),
    path("scoring/<int:pk>/table.pdf", ranking_views.score_table_pdf, name="score_table_pdf"),
    path("scoring/<int:pk>/publish/", ranking_views.ranking_publish, name="ranking_publish"),
    path("scoring/<int:pk>/freeze/", ranking_views.ranking_freeze, name="ranking_freeze"),
    path("scoring/<int:pk>/reopen/", ranking_views.ranking_reopen, name="ranking_reopen"),
    path("scoring/<int:pk>/objections/", ranking_views.objection_add, name="objection_add"),
    path("objections/<int:pk>/answer/", ranking_views.objection_answer, name="objection_answer"),
]

# Year-end scoring: rounds and self-score sheets (helper "sheets").
urlpatterns += [
    path("bloc-years/<int:pk>/scoring/open/", scoring_rounds.round_open, name="round_open"),
    path("scoring/<int:pk>/", scoring_rounds.round_detail, name="round_detail"),
    path("scoring/<int:pk>/setup/", scoring_rounds.round_setup, name="round_setup"),
    path("scoring/sheets/<int:pk>/", scoring_sheets.sheet_detail, name="sheet_detail"),
    path("scoring/sheets/<int:pk>/edit/", scoring_sheets.sheet_edit, name="sheet_edit"),
    path("scoring/sheets/<int:pk>/send/", scoring_sheets.sheet_send, name="sheet_send"),
    path("scoring/sheets/<int:pk>/approve/", scoring_sheets.sheet_approve, name="sheet_approve"),
    path("scoring/sheets/<int:pk>/return/", scoring_sheets.sheet_return, name="sheet_return"),
    path("scoring/lines/<int:pk>/answer/", scoring_sheets.line_answer, name="line_answer"),
    path("scoring/evidence/<int:pk>/", scoring_sheets.evidence_download, name="evidence_download"),
]

# The bloc's cross-check of submitted sheets (helper "checking").
urlpatterns += [
    path("scoring/check/", scoring_checking.check_queue, name="check_queue"),
    path("scoring/sheets/<int:pk>/check/", scoring_checking.sheet_check, name="sheet_check"),
    path("scoring/sheets/<int:pk>/check/accept-rest/", scoring_checking.sheet_check_all, name="sheet_check_all"),
    path("scoring/lines/<int:pk>/check/", scoring_checking.line_check, name="line_check"),
]

# Nominations and eligibility, ballots, the dossier and the board's decisions (issue 11).
from awards import urls_ballots, urls_decisions, urls_nominations  # noqa: E402

urlpatterns += urls_nominations.urlpatterns + urls_ballots.urlpatterns + urls_decisions.urlpatterns
