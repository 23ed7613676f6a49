# Two commands: `make run` serves the demo portal on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test bench lint setup messages clean lock

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed
	bash scripts/system-deps.sh run
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --noinput -v 0

run: setup
	$(PY) manage.py load_demo
	@echo "Reminder: set SITE_URL (now $${SITE_URL:-http://127.0.0.1:8000, the default}) to the portal's public https address"
	@echo "before issuing PDFs for real: it is printed in the QR code of every document (manage.py check --deploy warns)."
	@echo "Serving on http://$(HOST)  (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST)

test: $(VENV)/.installed
	bash scripts/system-deps.sh test
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

# PostgreSQL when DATABASE_URL is set (a throwaway database is created on that server), else SQLite.
# The load test (bench/bench_load.py: gunicorn + wrk, 50 connections, BENCH_LOAD_SECONDS per page) needs PostgreSQL.
bench: $(VENV)/.installed
	bash scripts/system-deps.sh bench
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) bench/run.py

# Rebuild the lock (requirements.txt, pinned with hashes) from the ranges in requirements.in.
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=static/vendor -v 0
	$(PY) manage.py compilemessages --ignore=.venv -v 0

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
