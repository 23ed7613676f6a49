"""URLs of the year-end nominations (issue 11)."""

from django.urls import path

from awards import views_nominations as views

urlpatterns = [
    path("bloc-years/<int:pk>/nominations/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("agencies/<int:pk>/cases/", views.agency_cases, name="agency_cases"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
]
