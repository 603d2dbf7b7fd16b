# The two commands a newcomer needs: `make run` and `make test`.
# Everything the project needs is installed from here; nothing by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Exported so core.config derives PUBLIC_BASE_URL (links in emails and feeds) from the port served.
export PORT
export FLASK_APP := wsgi

.PHONY: run lint typecheck test test-postgres db-roles install system assets browser bench soak audit lock clean prod-smoke
# The suite runs in parallel (pytest-xdist), one worker per core and at most 4: each worker migrates its own
# database (on PostgreSQL a database of its own, with its own connections) and starts its own Chromium for the
# journeys, so more workers than that cost more in set-up, connections and memory than they save.
# --dist loadgroup keeps the tests marked `serial` (tests/conftest.py) on one worker. TEST_WORKERS=0: no xdist.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q --screenshot only-on-failure --output test-results \
	-n $(TEST_WORKERS) --maxprocesses 4 --dist loadgroup
# Every install is held to requirements.lock: the exact version of every distribution, direct or not.
PIP_INSTALL := $(BIN)/pip install --quiet -c requirements.lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

.stamp-python: pyproject.toml requirements.lock | $(BIN)/python
	$(PIP_INSTALL) -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

static/css/app.css: node_modules/.package-lock.json assets/scss/app.scss assets/js/app.mjs assets/js/audit-verify.mjs build-assets.mjs
	node build-assets.mjs

install: system .stamp-python static/css/app.css

# WeasyPrint's system libraries for the PDFs (Pango, and HarfBuzz's subsetter, which WeasyPrint warns
# without), from Debian, like Chromium below.
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system:
	@dpkg -s $(WEASYPRINT_DEBS) >/dev/null 2>&1 || \
	  (command -v apt-get >/dev/null 2>&1 && (apt-get install -y -q $(WEASYPRINT_DEBS) >/dev/null || \
	    (apt-get update -q >/dev/null && apt-get install -y -q $(WEASYPRINT_DEBS) >/dev/null))) || \
	  echo "Install Pango and HarfBuzz (with its subset library) for WeasyPrint: PDFs need them."

assets: static/css/app.css

# Migrate the SQLite database in instance/, load the demo once, and serve, with the job worker beside the web
# server (its queue is a SQLite file in instance/: no other server needed). Ctrl-C stops both.
run: install
	$(BIN)/flask db upgrade heads
	$(BIN)/flask seed-demo
	$(BIN)/flask jobs worker --workers 2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the real-browser journeys (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || \
	  (command -v apt-get >/dev/null 2>&1 && (apt-get install -y -q chromium >/dev/null || \
	    (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null))) || \
	  echo "Chromium could not be installed here: the browser journeys will be skipped."

# The floors of the code (pyproject.toml, [tool.importlinter]): each package imports only those below it;
# the style (ruff); and the types (pyproject.toml, [tool.mypy]): strict for services and policy.
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy

# The types alone (also part of `lint`).
typecheck: install
	$(BIN)/mypy

# The whole suite on SQLite (TEST_DATABASE_URL selects another database), browser journeys included.
test: lint install browser
	$(PYTEST) $(PYTEST_ARGS)

# The whole suite against the local PostgreSQL server, browser journeys included (their live server gets a
# database of its own there). TEST_DATABASE_URL is a superuser's: the roles commons_owner (migrations) and
# commons_app (what the suite connects as) are made first, on a fresh machine too; each xdist worker then
# makes and migrates <database>_gw0, <database>_gw1, ... beside it and drops them when it ends.
test-postgres: install browser
	URL=$${TEST_DATABASE_URL:-postgresql+psycopg://root@127.0.0.1:5432/test}; \
	  $(BIN)/flask db-roles --admin-url "$$URL" && TEST_DATABASE_URL="$$URL" $(PYTEST) $(PYTEST_ARGS)

# The PostgreSQL roles and grants for a deployment (see README, "Running on PostgreSQL").
db-roles: install
	$(BIN)/flask db-roles --admin-url "$${DATABASE_ADMIN_URL:?set DATABASE_ADMIN_URL to a superuser URL}"

# Figures, not tests: writes bench/RESULTS.md (needs wrk from Debian and the local PostgreSQL).
# Default scale 0.02 (20,000 posts) finishes in minutes; the issue's 1M-post run: make bench BENCH_ARGS='--scale 1.0'
bench: install
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -q wrk >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Many simulated people on gunicorn + PostgreSQL, then `flask audit verify`: writes bench/SOAK.md (not part of `make test`).
# Default 100 users for 10 minutes on 4 workers; e.g. make soak SOAK_ARGS='--users 20 --minutes 1'
soak: install
	$(PIP_INSTALL) -e '.[test,bench]'
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# Known vulnerabilities in every locked dependency (pip-audit over requirements.lock). It asks PyPI's JSON API
# per version, so it needs a machine that reaches it: where it does not answer, --strict fails rather than pass on nothing.
audit: install
	$(PIP_INSTALL) -e '.[audit]'
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --no-deps -r requirements.lock

# The production process model on this machine, no containers: gunicorn (2 workers), the job worker and the
# scheduler on the local Redis, a scratch PostgreSQL database, an SMTP server on loopback; signs in, posts, seals a
# response, waits for the email, verifies the chain; always cleans up (deploy/smoke.py).
prod-smoke: install
	$(BIN)/python deploy/smoke.py

# Rewrite requirements.lock from a clean environment holding pyproject.toml's pins with every extra.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test,bench,audit]'
	{ sed -n '/^#/p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules static/css static/js .stamp-python
