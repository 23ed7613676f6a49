"""Timing helper shared by the bench modules."""

import statistics
import time


def timed(fn, runs=3):
    """(median seconds, fastest seconds, last result) of ``runs`` calls of ``fn``."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def in_throwaway_database(measure):
    """Run ``measure()`` in a new test database (created, then dropped); nothing leaves the process."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from emulation_portal.celery import app

    app.conf.task_always_eager = True
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
