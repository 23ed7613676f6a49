"""URLs of the year-end ballots (issue 11)."""

urlpatterns = []
