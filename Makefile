# The two commands a newcomer needs: `make run` and `make test`.
# Everything the project needs is installed from here; nothing by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test test-postgres install assets browser bench soak audit clean
PYTEST := $(BIN)/python -m pytest -q --screenshot only-on-failure --output test-results

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

.stamp-python: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

static/css/app.css: node_modules/.package-lock.json assets/scss/app.scss assets/js/app.mjs assets/js/audit-verify.mjs build-assets.mjs
	node build-assets.mjs

install: .stamp-python static/css/app.css

assets: static/css/app.css

# Migrate the SQLite database in instance/, load the demo once, and serve.
run: install
	$(BIN)/flask db upgrade heads
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the real-browser journeys (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || \
	  (command -v apt-get >/dev/null 2>&1 && (apt-get install -y -q chromium >/dev/null || \
	    (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null))) || \
	  echo "Chromium could not be installed here: the browser journeys will be skipped."

# The whole suite on SQLite (TEST_DATABASE_URL selects another database).
test: install browser
	$(PYTEST) $(PYTEST_ARGS)

# The whole suite against the local PostgreSQL server.
test-postgres: install browser
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://root@127.0.0.1:5432/test} $(PYTEST) $(PYTEST_ARGS)

# Figures, not tests: writes bench/RESULTS.md (needs wrk from Debian and the local PostgreSQL).
# Default scale 0.02 (20,000 posts) finishes in minutes; the issue's 1M-post run: make bench BENCH_ARGS='--scale 1.0'
bench: install
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -q wrk >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Many simulated people on gunicorn + PostgreSQL, then `flask audit verify`: writes bench/SOAK.md (not part of `make test`).
# Default 100 users for 10 minutes on 4 workers; e.g. make soak SOAK_ARGS='--users 20 --minutes 1'
soak: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# Known vulnerabilities in every installed dependency (pip-audit). It asks PyPI's JSON API and OSV, so it needs
# a machine that reaches them: where neither answers, --strict makes it fail rather than pass on nothing.
audit: install
	$(BIN)/pip install --quiet -e '.[audit]'
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) node_modules static/css static/js .stamp-python
