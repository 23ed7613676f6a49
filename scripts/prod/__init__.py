"""The production check: a throwaway gunicorn + Celery + PostgreSQL + Redis stack (``stack``),
driven by ``scripts/prod_smoke.py`` in CI and by ``bench/bench_load.py`` in ``make bench``."""
