# The two commands a newcomer needs: `make run` and `make test`.
# Everything the project needs is installed from here; nothing by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test test-postgres install assets browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

.stamp-python: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

static/css/app.css: node_modules/.package-lock.json assets/scss/app.scss assets/js/app.mjs build-assets.mjs
	node build-assets.mjs

install: .stamp-python static/css/app.css

assets: static/css/app.css

# Migrate the SQLite database in instance/, load the demo once, and serve.
run: install
	$(BIN)/flask db upgrade heads
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite (TEST_DATABASE_URL selects another database).
test: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The whole suite against the local PostgreSQL server.
test-postgres: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://root@127.0.0.1:5432/test} $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static/css static/js .stamp-python
