"""Year-end scoring services (issue 10)."""
