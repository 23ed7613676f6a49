"""Registered at start-up by ``AwardsConfig.ready`` (issue 11)."""
