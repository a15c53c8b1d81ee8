# ICC Marketplace. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/marketplace_test

.PHONY: help install run messages compile-messages test test-sqlite test-postgres lint format bench bench-relevance bench-load clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m marketplace.locale.build
	touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install the project

# axe-core from npm, for the accessibility checks of the browser tests (tests/browser/axe).
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
	touch $(AXE)

run: $(STAMP) ## migrate, seed demo data if empty, rebuild an empty or outdated search index, serve on http://127.0.0.1:8000
	$(BIN)/marketplace db upgrade
	$(BIN)/marketplace demo seed --if-empty
	$(BIN)/marketplace search reindex --if-needed
	$(BIN)/marketplace serve

messages: $(STAMP) ## extract the UI strings (messages.pot), update and compile the fr/de catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k N_ -k say -k say_n:1,2 --no-location \
		--sort-output --omit-header -o marketplace/locale/messages.pot .
	$(BIN)/python -m marketplace.locale.build

compile-messages: $(STAMP) ## compile the fr/de catalogues (.po -> .mo); fails on an untranslated message
	$(BIN)/python -m marketplace.locale.build

lint: $(STAMP) ## ruff, mypy --strict and the layers (import-linter contracts in pyproject.toml)
	$(BIN)/ruff check marketplace search bench tests migrations
	$(BIN)/ruff format --check marketplace search bench tests migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix marketplace search bench tests migrations
	$(BIN)/ruff format marketplace search bench tests migrations

test-sqlite: $(STAMP) $(AXE) ## the suite on SQLite (with the browser tests)
	MARKETPLACE_TEST_DATABASE=sqlite $(BIN)/pytest -q

test-postgres: $(STAMP) ## the suite on PostgreSQL (skipped with a reason when no server answers, outside CI)
	@if $(BIN)/python -m marketplace.testing.pg_ready "$(PG_TEST_URL)"; then \
		MARKETPLACE_TEST_DATABASE="$(PG_TEST_URL)" $(BIN)/pytest -q -m "not browser"; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is required in CI but did not answer at $(PG_TEST_URL)"; exit 1; \
	else echo "SKIPPED the PostgreSQL pass: no server answered at $(PG_TEST_URL)"; fi

test: lint test-sqlite test-postgres ## lint, type-check, then the suite on SQLite and on PostgreSQL

bench: $(STAMP) ## search and matching benchmark at 10k and 100k documents → docs/benchmarks.md (long)
	$(BIN)/python -m bench.run --sizes 10000,100000 --backends sqlite,postgres,meilisearch --output docs/benchmarks.md
	$(BIN)/python -m bench.relevance.run --output docs/relevance.md

bench-relevance: $(STAMP) ## matching quality (nDCG@10, P@1, recall@5) on the judged set → docs/relevance.md
	$(BIN)/python -m bench.relevance.run --output docs/relevance.md

bench-load: $(STAMP) ## 64 clients, 60 s of mixed use against `marketplace serve`: SQLite, PostgreSQL with 1 and 2 workers, and 2 workers + Redis + a separate event worker
	$(BIN)/python -m bench.load --clients 64 --seconds 60
	@if $(BIN)/python -m marketplace.testing.pg_ready "$(PG_TEST_URL)"; then \
		$(BIN)/python -m bench.load --clients 64 --seconds 60 --database "$(PG_TEST_URL)" --workers 1,2; \
		$(BIN)/python -m bench.load --clients 64 --seconds 60 --database "$(PG_TEST_URL)" --workers 2 \
			--redis redis://127.0.0.1:6379/3 --separate-worker; \
	else echo "SKIPPED PostgreSQL: no server answered at $(PG_TEST_URL)"; fi

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var/*.db var/*.db-*
