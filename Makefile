# `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := venv
BIN := $(VENV)/bin
PORT ?= 8000

.DEFAULT_GOAL := help

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime  ## create ./venv and install the runtime requirements

install-dev: $(VENV)/.installed-dev  ## create ./venv and install the dev requirements

migrate: install  ## apply the database migrations
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --no-input

run: migrate  ## serve the API on http://127.0.0.1:$(PORT)/api/ (development settings)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev  ## check formatting and lint, without fixing
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

fmt: install-dev  ## format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# newman (for the Postman collection's run in the tests), where Node.js is installed.
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: lint $(if $(NPM),node_modules/.package-lock.json)  ## what CI runs: lint, then every test
	$(BIN)/pytest

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

.PHONY: install install-dev migrate run lint fmt test help

demo: migrate  ## fill the database with demo people and organizations
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py seed_demo
.PHONY: demo

bench-avatar: install-dev  ## time and measure the avatar pipeline (figures go in docs/benchmarks.md)
	$(BIN)/python -m bench.avatar
.PHONY: bench-avatar

schema: install-dev  ## regenerate docs/openapi.yaml from the code
	DJANGO_DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml
.PHONY: schema

bench: install-dev  ## each list endpoint beside its raw floor (figures go in docs/benchmarks.md)
	$(BIN)/python -m bench.directory
.PHONY: bench

serve: install  ## production-style: migrate, collect static files, gunicorn (needs DJANGO_SECRET_KEY)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/gunicorn -c gunicorn.conf.py

# The local PostgreSQL of a developer machine (trust authentication); pytest makes test_people.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/people

test-postgres: install-dev  ## the suite on PostgreSQL: DATABASE_URL, or the local server
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/pytest --ignore=tests/e2e
.PHONY: serve test-postgres
