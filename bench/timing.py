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
