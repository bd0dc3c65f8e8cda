# Dongne developer entry points (GNU make).
#
#   make run     set everything up, then serve on http://127.0.0.1:$(PORT) with gunicorn,
#                and the worker (emails, scheduled jobs) beside it (Procfile, honcho)
#   make dev     the same with Django's autoreloading server instead of gunicorn
#   make test    set up what the tests need, then ruff + pytest
#   make setup   system packages, .venv, database, translations, migrations, data
#   make stop    stop the project-local PostgreSQL (when DATABASE_URL is unset)
#
# Variables (environment or command line):
#   PORT=8000          the web server's port
#   SITE_URL=...       absolute links in emails; default http://127.0.0.1:$(PORT)
#   DEMO=0             skip `load_demo` and `load_demo_topics` in setup/run
#   BOUNDARIES=...     source(s) for import_boundaries: folder, file(s) or URL(s)
#   DATABASE_URL=...   use this database instead of the local cluster
#                      (scripts/pg_local.sh, URL in .local/database_url)
#   PGPORT_LOCAL=5433  force the local cluster's port (see scripts/pg_local.sh)

SHELL := /bin/bash
.DEFAULT_GOAL := help
.NOTPARALLEL:

PY   := .venv/bin/python
PORT ?= 8000
DEMO ?= 1

KOSTAT_DIR := ../shared/data/kostat-2018
KOSTAT_URL := https://raw.githubusercontent.com/southkorea/southkorea-maps/master/kostat/2018/json
ifneq ($(wildcard $(KOSTAT_DIR)/.),)
BOUNDARIES ?= $(KOSTAT_DIR)
else
BOUNDARIES ?= $(KOSTAT_URL)/skorea-provinces-2018-topo.json \
              $(KOSTAT_URL)/skorea-municipalities-2018-topo.json \
              $(KOSTAT_URL)/skorea-submunicipalities-2018-topo.json
endif

.PHONY: help system venv db messages prepare setup run dev test stop lint bench-routing bench-layers bench-writes bench-abuse bench-fuzz bench-opinion

help:
	@echo "make run | dev | test | setup | stop | lint | bench-routing | bench-layers | bench-writes | bench-abuse | bench-fuzz | bench-opinion | venv | system | db"

# --- pieces -------------------------------------------------------------------

system:
	@bash scripts/system_packages.sh

$(PY):
	python3 -m venv .venv

# Re-install only when a requirements file changed.
.venv/.installed: requirements.txt requirements-dev.txt | $(PY)
	@$(PY) -c '' 2>/dev/null || python3 -m venv --clear .venv
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

venv: .venv/.installed

db:
	@if [ -z "$${DATABASE_URL:-}" ]; then bash scripts/pg_local.sh start; fi

# Compile translations when some .po file is newer than its .mo (or has none).
messages: venv
	@if find . \( -path ./.venv -o -path ./.local -o -path ./.git -o -path ./node_modules \) -prune \
	      -o -name '*.po' -print 2>/dev/null \
	    | while read -r po; do if [ "$$po" -nt "$${po%.po}.mo" ]; then echo "$$po"; fi; done \
	    | grep -q .; then \
	  echo "$(PY) manage.py compilemessages"; \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.local; \
	fi

# What both the app and the tests need.
prepare: system venv db messages

# --- entry points ---------------------------------------------------------------

setup: prepare
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_boundaries --if-missing $(BOUNDARIES)
	$(PY) manage.py load_categories
	@if [ "$(DEMO)" != 0 ]; then for demo in load_demo load_demo_campaign load_demo_model load_demo_poll load_demo_proposals load_demo_topics; do \
	  echo "$(PY) manage.py $$demo"; $(PY) manage.py $$demo || exit 1; done; fi

# Emails link to the port we serve on unless SITE_URL says otherwise.
SITE_URL ?= http://127.0.0.1:$(PORT)
run dev: export SITE_URL := $(SITE_URL)

# honcho runs the Procfile's processes; when one dies it stops the others, and Ctrl-C stops all.
# (make itself still reports the interrupt; that is expected.)
define serve
	@echo "Dongne is serving on http://127.0.0.1:$(PORT) (emails link to $(SITE_URL)); Ctrl-C stops everything"
	@WEB_PORT=$(PORT) .venv/bin/honcho -f Procfile start $(1) worker; rc=$$?; \
	  echo "make: '$(1)' and 'worker' are stopped (exit $$rc): the first 'stopped' line above names the process that ended first." >&2; \
	  exit $$rc
endef

run: setup
	@$(PY) manage.py collectstatic --noinput -v0
	$(call serve,web)

dev: setup
	$(call serve,dev)

# The tests build their own database (pytest-django), so no migrate/data load
# of the dev database here: only packages, venv, a running server, translations.
test: prepare
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/pytest -n 2 --dist loadfile

lint: venv
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache

stop:
	@if [ -z "$${DATABASE_URL:-}" ]; then bash scripts/pg_local.sh stop; fi

bench-routing: setup
	$(PY) bench/routing.py

bench-layers: setup
	$(PY) bench/layers.py

bench-writes: setup
	$(PY) bench/writes.py

bench-abuse: setup
	$(PY) bench/abuse.py

bench-fuzz: setup
	$(PY) bench/fuzz.py

# Pure math, no database: the opinion map of 10,000 participants × 1,000 statements.
bench-opinion: venv
	$(PY) bench/opinion.py
