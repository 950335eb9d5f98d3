# `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := venv
BIN := $(VENV)/bin
PORT ?= 8000

.DEFAULT_GOAL := help

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# requirements*.txt are compiled from requirements*.in (`make lock`), every package pinned and
# hashed; requirements-dev.txt holds the runtime packages too.
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime  ## create ./venv and install the runtime requirements

install-dev: $(VENV)/.installed-dev  ## create ./venv and install the dev requirements

migrate: install  ## apply the database migrations
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --no-input

run: migrate  ## serve the API on http://127.0.0.1:$(PORT)/api/ (development settings)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The checks of .pre-commit-config.yaml, without fixing anything.
lint: install-dev  ## check formatting, lint and django-upgrade, without fixing
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	git ls-files -z '*.py' | xargs -0r $(BIN)/django-upgrade --target-version 5.2 --check

typecheck: install-dev  ## mypy on the services and selectors ([tool.mypy] files in pyproject.toml)
	$(BIN)/mypy

fmt: install-dev  ## format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	git ls-files -z '*.py' | xargs -0r $(BIN)/django-upgrade --target-version 5.2 --exit-zero-even-if-changed

# newman (for the Postman collection's run in the tests), where Node.js is installed.
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: lint typecheck $(if $(NPM),node_modules/.package-lock.json)  ## what CI runs: lint, mypy, then every test
	$(BIN)/pytest

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

.PHONY: install install-dev migrate run lint typecheck fmt test help

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

# The same requests at 10k and 1M users on PostgreSQL (DATABASE_URL's server, or the local one):
# builds people_scale_10k and people_scale_1m once (about 10 minutes on 2 cores), reuses them
# after; `make bench-scale ARGS=--drop` drops them. Fails above 1.5x.
bench-scale: install-dev  ## the directory at 10k and 1M users on PostgreSQL (figures go in docs/benchmarks.md)
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/python -m bench.scale --docs $(ARGS)
.PHONY: bench-scale

serve: install  ## production-style: migrate, collect static files, gunicorn (needs DJANGO_SECRET_KEY)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/gunicorn -c gunicorn.conf.py

stack: install  ## the whole production setup on one machine: nginx, gunicorn and the mail worker (see README)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/python deploy/stack.py
.PHONY: stack

worker: install  ## the mail worker of `make serve` (needs REDIS_URL): sends queued mail, with retries
	$(BIN)/python manage.py rqworker mail --with-scheduler
.PHONY: worker

# pip-audit checks every pin of requirements-dev.txt (the runtime ones included) against PyPI's
# vulnerability data, or OSV's when PyPI's JSON API does not answer. --strict fails the audit on a
# package it could not look up, instead of skipping it; with no database reachable at all the
# target says so and fails: never a silent pass. Not part of `make test`: it needs the network.
PIP_AUDIT := $(BIN)/pip-audit --strict --require-hashes --disable-pip --progress-spinner off \
	-r requirements-dev.txt
# The per-release document that pip-audit reads (a mirror may serve only the per-project one).
PYPI_PROBE := https://pypi.org/pypi/pip/24.0/json
OSV_PROBE := https://api.osv.dev/v1/query
# A 200 from $(1) within 15 s (a POST of $(2) when given).
answers = $(BIN)/python -c 'import sys, urllib.request as r; \
	r.urlopen(sys.argv[1], sys.argv[2].encode() or None, timeout=15)' '$(1)' '$(2)' >/dev/null 2>&1
OSV_QUERY := {"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "1.0"}

audit: install-dev  ## check the pinned requirements for known vulnerabilities (needs the network)
	@if $(call answers,$(PYPI_PROBE),); then \
		echo "Vulnerability database: PyPI ($(PYPI_PROBE))"; $(PIP_AUDIT) -s pypi; \
	elif $(call answers,$(OSV_PROBE),$(OSV_QUERY)); then \
		echo "Vulnerability database: OSV ($(OSV_PROBE))"; $(PIP_AUDIT) -s osv; \
	else \
		echo "make audit: NOTHING WAS CHECKED. No vulnerability database answers from this" \
			"machine: neither PyPI's JSON API ($(PYPI_PROBE)) nor OSV ($(OSV_PROBE))." >&2; \
		exit 2; \
	fi
.PHONY: audit

# The local PostgreSQL of a developer machine (trust authentication); pytest makes test_people.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/people

test-postgres: install-dev  ## the suite on PostgreSQL: DATABASE_URL, or the local server
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/pytest --ignore=tests/e2e
.PHONY: serve test-postgres

# pip-compile writes requirements*.txt from requirements*.in and keeps every pin already there
# that still fits; --allow-unsafe pins pip and setuptools too, so that --require-hashes passes.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

lock: install-dev  ## recompile requirements*.txt after editing requirements*.in
	$(PIP_COMPILE) requirements.in -o requirements.txt
	$(PIP_COMPILE) requirements-dev.in -o requirements-dev.txt

# `make upgrade P=name` moves one package, direct or not, to its newest version that fits the
# other pins (`P=name==version` to a given one), and rewrites its pin in the .in files.
P_NAME = $(firstword $(subst ==, ,$(subst [, ,$(P))))
P_RE = $(subst -,[-_.],$(subst _,-,$(subst .,-,$(P_NAME))))
REQ_FILES := requirements.in requirements-dev.in requirements.txt requirements-dev.txt
upgrade: install-dev  ## move one package: make upgrade P=name (or P=name==version)
	@test -n "$(P)" || { echo 'usage: make upgrade P=name  (or P=name==version)' >&2; exit 2; }
	mkdir -p $(VENV)/req-backup && cp $(REQ_FILES) $(VENV)/req-backup/
	sed -i -E 's/^($(P_RE)(\[[^]]*\])?)==[^[:space:]#]*/\1/I' requirements.in requirements-dev.in
	{ $(PIP_COMPILE) -P '$(P)' requirements.in -o requirements.txt \
		&& $(PIP_COMPILE) -P '$(P)' requirements-dev.in -o requirements-dev.txt; } \
		|| { cp $(addprefix $(VENV)/req-backup/,$(REQ_FILES)) .; rm -r $(VENV)/req-backup; exit 1; }
	v=$$(sed -n -E 's/^$(P_RE)==([^[:space:]]+).*/\1/Ip' requirements-dev.txt) \
		&& sed -i -E "s/^($(P_RE)(\[[^]]*\])?)[[:space:]]*$$/\1==$$v/I" requirements.in requirements-dev.in
	rm -r $(VENV)/req-backup
	@git diff --stat -- $(REQ_FILES) 2>/dev/null || true
.PHONY: lock upgrade

# The Russian catalog: extract every marked string of the product's code into
# locale/ru/LC_MESSAGES/django.po (translate the new ones there), then compile it to django.mo,
# which is committed: running the product needs no gettext tools, this target does (Debian's
# gettext). tests/i18n checks that both are complete and agree.
messages: install-dev  ## update the Russian catalog from the code, and compile it
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages --locale ru --add-location file --no-obsolete
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --locale ru --ignore 'venv/*' --ignore 'node_modules/*'
.PHONY: messages
