"""URLs of the year-end ballots (issue 11)."""

from django.urls import path

from awards import views_ballots as views

urlpatterns = [
    path("bloc-years/<int:pk>/ballots/new/", views.ballot_create, name="ballot_create"),
    path("ballots/<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("ballots/<int:pk>/vote/", views.ballot_vote, name="ballot_vote"),
    path("ballots/<int:pk>/paper/", views.ballot_paper, name="ballot_paper"),
    path("ballots/<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("ballots/<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("ballots/<int:pk>/next-round/", views.ballot_next_round, name="ballot_next_round"),
]
