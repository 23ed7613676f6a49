"""Year-end scoring pages (issue 10)."""
