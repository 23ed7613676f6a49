"""Counting related rows per row of a page without GROUP BY over the whole table."""

from django.db.models import Func, IntegerField, Subquery


def SubqueryCount(queryset):  # noqa: N802  (reads like the expression it builds)
    """``COUNT(*)`` of ``queryset`` (correlated with ``OuterRef``) as an integer expression; 0 when empty."""
    return Subquery(queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n"), output_field=IntegerField())
