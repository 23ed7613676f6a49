"""URLs of the year-end decisions (issue 11)."""

urlpatterns = []
