"""URLs of the dossier to the board, the board's inbox and decisions, the award history (issue 11)."""

from django.urls import path

from awards import views_decisions as views

urlpatterns = [
    # The dossier (hồ sơ đề nghị).
    path("bloc-years/<int:pk>/dossier/", views.dossier_open, name="dossier_open"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/submit/", views.dossier_submit, name="dossier_submit"),
    path("dossiers/<int:pk>/receive/", views.dossier_receive, name="dossier_receive"),
    path("dossiers/<int:pk>/return/", views.dossier_return, name="dossier_return"),
    path("dossiers/<int:pk>/deadline/", views.dossier_deadline, name="dossier_deadline"),
    # Each nomination: the board's word, the secretary's resubmission, the achievement report.
    path("nominations/<int:pk>/approve/", views.nomination_approve, name="nomination_approve"),
    path("nominations/<int:pk>/return/", views.nomination_return, name="nomination_return"),
    path("nominations/<int:pk>/reject/", views.nomination_reject, name="nomination_reject"),
    path("nominations/<int:pk>/forward/", views.nomination_forward, name="nomination_forward"),
    path("nominations/<int:pk>/central-reject/", views.nomination_central_reject, name="nomination_central_reject"),
    path("nominations/<int:pk>/correct/", views.nomination_correct, name="nomination_correct"),
    path("nominations/<int:pk>/resubmit/", views.nomination_resubmit, name="nomination_resubmit"),
    path("nominations/<int:pk>/report/", views.report_upload, name="report_upload"),
    path("nominations/<int:pk>/report/download/", views.report_download, name="report_download"),
    # The board.
    path("board/dossiers/", views.board_inbox, name="board_inbox"),
    path("board/decisions/new/", views.decision_create, name="decision_create"),
    # Award history and the public page.
    path("agencies/<int:pk>/awards/", views.agency_awards, name="agency_awards"),
    path("agencies/<int:pk>/awards/add/", views.award_record_add, name="award_record_add"),
    path("awards/public/", views.public_awards, name="public_awards"),
]
