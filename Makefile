# ICC Marketplace. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/marketplace_test

.PHONY: help install run test test-sqlite test-postgres lint format bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install the project

run: $(STAMP) ## migrate, seed demo data if empty, serve on http://127.0.0.1:8000
	$(BIN)/marketplace db upgrade
	$(BIN)/marketplace demo seed --if-empty
	$(BIN)/marketplace serve

lint: $(STAMP) ## ruff and mypy --strict
	$(BIN)/ruff check marketplace search bench tests migrations
	$(BIN)/ruff format --check marketplace search bench tests migrations
	$(BIN)/mypy

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix marketplace search bench tests migrations
	$(BIN)/ruff format marketplace search bench tests migrations

test-sqlite: $(STAMP) ## the suite on SQLite
	MARKETPLACE_TEST_DATABASE=sqlite $(BIN)/pytest -q

test-postgres: $(STAMP) ## the suite on PostgreSQL (skipped with a reason when no server answers, outside CI)
	@if $(BIN)/python -m marketplace.testing.pg_ready "$(PG_TEST_URL)"; then \
		MARKETPLACE_TEST_DATABASE="$(PG_TEST_URL)" $(BIN)/pytest -q -m "not browser"; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is required in CI but did not answer at $(PG_TEST_URL)"; exit 1; \
	else echo "SKIPPED the PostgreSQL pass: no server answered at $(PG_TEST_URL)"; fi

test: lint test-sqlite test-postgres ## lint, type-check, then the suite on SQLite and on PostgreSQL

bench: $(STAMP) ## search and matching benchmark at 10k and 100k documents → docs/benchmarks.md (long)
	$(BIN)/python -m bench.run --sizes 10000,100000 --backends sqlite,postgres,meilisearch --output docs/benchmarks.md

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var/*.db var/*.db-*
