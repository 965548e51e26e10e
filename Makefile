# The two commands: `make run` and `make test`. Everything else is what they are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python >= 3.12. pyenv shims on PATH answer "command not found" for versions
# that are installed but not selected, so each candidate is asked for its version first.
PYTHON ?= $(shell for c in python3.13 python3.12 $$(pyenv prefix 3.13 2>/dev/null)/bin/python3.13 $$(pyenv prefix 3.12 2>/dev/null)/bin/python3.12 $$(ls -d /root/.pyenv/versions/3.1[2-9]* 2>/dev/null | sed 's|$$|/bin/python3|'); do \
	if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$c; break; fi; done)

DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
	fonts-dejavu-core fonts-paratype fonts-liberation2 poppler-utils chromium postgresql-client redis-server \
	slapd ldap-utils libldap2-dev libsasl2-dev libreoffice-writer-nogui libreoffice-calc-nogui
# Single sign-on (docs/sso.md): python-ldap builds against libldap2-dev and libsasl2-dev; the LDAP tests
# start their own slapd. The OIDC tests run npm's oidc-provider on Node.js (20 or newer), installed
# only where the machine has no node of its own: Debian's nodejs would replace a newer one.
OIDC_PROVIDER := tests/sso/oidc/node_modules/.package-lock.json

.PHONY: help run test system-packages oidc-provider venv migrate bench-services bench loadtest backup restore lint guide-screenshots scan clean

help:
	@echo "make run   — установить, подготовить базу, загрузить демо-данные и запустить портал на http://127.0.0.1:8000"
	@echo "make test  — установить и прогнать все тесты"

system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		echo "Installing Debian packages: nodejs npm"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; \
	fi

# The OpenID provider of the SSO tests, into the project's own folder (tests/sso/oidc, node_modules ignored).
$(OIDC_PROVIDER): tests/sso/oidc/package.json tests/sso/oidc/package-lock.json
	npm ci --no-audit --no-fund --prefix tests/sso/oidc

oidc-provider: system-packages $(OIDC_PROVIDER)

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is required (Django 6). Install it, e.g. 'pyenv install 3.12'."; exit 1; fi
	@if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

run: system-packages venv migrate
	$(BIN)/python manage.py load_demo --if-empty
	@echo
	@echo "Портал: http://127.0.0.1:8000  (остановить: Ctrl+C)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: system-packages venv oidc-provider
	$(BIN)/python -m pytest

# Recovery (docs/security.md): `make backup` writes backups/<date-time>/ (pg_dump custom format of
# DATABASE_URL + media.tar.gz of MEDIA_ROOT, or of the bucket's objects when MEDIA_S3_* are set, +
# manifest.json); `make restore BACKUP=backups/<date-time>` loads it into an EMPTY database
# (RESTORE_DATABASE_URL, default DATABASE_URL) and puts the media back (into the bucket or MEDIA_ROOT).
backup:
	$(BIN)/python manage.py backup $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

restore:
	@if [ -z "$(BACKUP)" ]; then echo "Укажите копию: make restore BACKUP=backups/<дата-время> [RESTORE_DATABASE_URL=postgres://...]"; exit 2; fi
	$(BIN)/python manage.py restore "$(BACKUP)" $(if $(RESTORE_DATABASE_URL),--database-url "$(RESTORE_DATABASE_URL)")

lint: venv
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r . -lll  # every app, present and future (exclusions in pyproject.toml)

# PostgreSQL (and Redis, the cache) of this machine, started when they do not answer: the bench
# and the load test measure production's database, never SQLite.
bench-services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -1) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 >/dev/null

# One table (and bench-results/<time>.json, compared with the previous run); see README, "Speed".
bench: system-packages venv bench-services
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom_bench SECRET_KEY=bench-only-secret PORTAL_BASE_URL=http://127.0.0.1:8000 $(BIN)/python -m benchmarks

# gunicorn (4 workers) on the L bench data, locust headless on 127.0.0.1 for 2 minutes.
# `make loadtest FAULT=redis`: Redis (the run's own) stopped for 30 s in the middle (docs/operations.md).
# `make loadtest STEPS=1 [STEP_SECONDS=50]`: 20, 40, 80, 160 users in steps, the knee and CPU per request.
loadtest: system-packages venv bench-services
	$(BIN)/python loadtest/run.py $(if $(FAULT),--fault $(FAULT)) $(if $(STEPS),--steps $(if $(STEP_SECONDS),--step-seconds $(STEP_SECONDS)))

# The pictures of the user guides (iom_portal/guides.py): the browser journeys save them under
# screenshots/guide/, then they are downsized into static/help/ (commit those PNGs).
guide-screenshots: system-packages venv
	rm -rf screenshots/guide
	IOM_GUIDE_SHOTS=1 $(BIN)/python -m pytest tests/journeys/test_role_journeys.py -q -p no:randomly
	$(BIN)/python -m tests.journeys.guide_shots

# wapiti (own venv in /tmp, not in requirements) against demo copies served on 127.0.0.1, anonymous
# and logged in; fails on any high-severity finding. See README, "Security scan (wapiti)".
scan: venv
	scripts/wapiti_scan.sh

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
