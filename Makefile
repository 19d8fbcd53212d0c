# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve-prod run test test-sqlite test-postgres test-whoosh test-load test-fast test-fuzz test-browser install install-test browser content reindex vendor clean bench bench-http mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Load content/ into the database (idempotent)
content: install
	$(BIN)/flask --app portal load-content

## Serve the portal on http://127.0.0.1:5000 with the seeded content
run: content
	$(BIN)/flask --app portal run --host $(HOST) --port $(PORT)

## Serve with gunicorn: several worker processes (WEB_CONCURRENCY, default 2 per CPU) on PORTAL_BIND
## (default 127.0.0.1:8000), for running behind a proxy. Upgrades the database and loads content first.
serve-prod: content
	$(BIN)/gunicorn --config python:portal.gunicorn_conf "portal:create_app()"

## Install Debian's Chromium for the browser tests when it is missing
browser:
	@if [ ! -x "$(CHROMIUM)" ] && [ -z "$$PORTAL_BROWSER" ]; then \
	  echo "Installing Chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

## Run the suite on both databases at the same time: everything on SQLite with the tantivy index, and on a throwaway
## PostgreSQL server with PostgreSQL search everything but the fuzz and browser tests (POSTGRES_MARKS), which drive
## the same forms and pages through the same code and would double the run (Debian's server and chromium are
## installed when missing); then the search tests alone on the Whoosh index, so every backend is tested. Each run's
## output is printed when it ends; the command fails if any run fails.
test: install-test browser
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres test-whoosh POSTGRES_MARKS="not fuzz and not browser"

## The whole suite on SQLite with the tantivy index
test-sqlite: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The search tests on SQLite with the Whoosh index (the pure-Python backend; about two minutes)
test-whoosh: install-test
	TEST_SEARCH_BACKEND=whoosh $(BIN)/python -m pytest tests/unit/test_search_*.py tests/web/test_search_*.py \
	  tests/unit/test_index_backlog.py --ignore=tests/unit/test_search_tantivy.py $(PYTEST_ARGS)

## The whole suite on a throwaway PostgreSQL cluster (started on a free loopback port, removed afterwards);
## POSTGRES_MARKS, when given, selects tests by marker (`make test` leaves out fuzz and browser tests)
POSTGRES_MARKS ?=
test-postgres: install-test browser
	@dir=$$(mktemp -d /tmp/portal-postgres.XXXXXX); \
	url=$$(scripts/throwaway-postgres.sh start "$$dir") || exit 1; \
	echo "PostgreSQL run: $$url"; \
	TEST_DATABASE_URL="$$url" TEST_SEARCH_BACKEND=postgres $(BIN)/python -m pytest $(if $(POSTGRES_MARKS),-m "$(POSTGRES_MARKS)") $(PYTEST_ARGS); status=$$?; \
	scripts/throwaway-postgres.sh stop "$$dir"; exit $$status

## Unit and web tests only (no browser)
test-fast: install-test
	$(BIN)/python -m pytest -m "not browser and not load"

test-browser: install-test browser
	$(BIN)/python -m pytest -m browser

## Fuzz tests only: hostile values in every form and query string, as every role (about a minute per database)
test-fuzz: install-test
	$(BIN)/python -m pytest -m fuzz

## Load and fault tests: gunicorn with 4 workers, 8 clients for 30 seconds, workers and reindexing killed
test-load: install-test
	$(BIN)/python -m pytest -m load

## Mutation testing (README.md, "Mutation testing"): mutmut changes the modules that guard access, money, bookings,
## publication and uploads one small change at a time and runs the fast tests that reach each change; [tool.mutmut] in
## pyproject.toml lists both. Takes tens of minutes on 2 cores; not part of `make test`. Survivors: mutants/ and
## `$(BIN)/mutmut results`, then `$(BIN)/mutmut show NAME`.
mutation: install-test
	$(BIN)/mutmut run --max-children $${MUTATION_JOBS:-2}
	$(BIN)/mutmut results

## Benchmarks (bench/README.md): the search benchmark (tantivy, Whoosh at 10,000 only, and PostgreSQL search against
## SQLite FTS5 done well at 10,000 and 100,000 opportunities, figures in bench/results/latest.json), then the HTTP
## benchmark (wrk against gunicorn on loopback, SQLite + tantivy then PostgreSQL, figures in
## bench/results/http-latest.json).
## Quick run: make bench BENCH_ARGS="--sizes 2000 --queries 50" BENCH_HTTP_ARGS="--duration 3 --size 2000"
bench: install
	$(BIN)/python -u -m portal.search.evaluate
	$(BIN)/python -u -m bench.run $(BENCH_ARGS)
	$(BIN)/python -u -m bench.http $(BENCH_HTTP_ARGS)

## The HTTP benchmark alone. Quick run: make bench-http BENCH_HTTP_ARGS="--duration 3 --size 2000"
bench-http: install
	$(BIN)/python -u -m bench.http $(BENCH_HTTP_ARGS)

## Refresh static/vendor from the npm registry
vendor:
	scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) instance .pytest_cache mutants
