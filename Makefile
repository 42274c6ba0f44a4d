# What a person and CI run. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run migrate seed test lint i18n messages ci-db bench soak backup restore clean fuzz

help:
	@echo "make run    - install, migrate, load reference + demo data, serve http://127.0.0.1:8000 with a worker"
	@echo "make test   - install, ruff, makemigrations --check, Spanish check, the whole test suite"

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) -m config.translations compile
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_practices

# Reference + demo data (the demo password kept in .demo-password), then runserver AND a worker of the
# task queue (mail, reminders); Ctrl-C stops both. The sign-in details are printed last.
run: migrate
	$(PY) scripts/run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Collect the strings (when GNU xgettext is present) so new ones show up untranslated, then check.
messages: install
	@if command -v xgettext >/dev/null 2>&1; then \
	  $(PY) manage.py makemessages -l es --no-location --no-obsolete \
	    --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=docs >/dev/null; \
	else echo "xgettext not installed: checking the catalogues as committed"; fi

i18n: messages
	$(PY) -m config.translations check
	$(PY) -m config.translations compile

test: install
	./scripts/ensure-chromium
	./scripts/ensure-libreoffice
	$(MAKE) lint
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) i18n
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) staticfiles tests/artifacts

# Backups: pg_dump/pg_restore of the configured database (embedded or DATABASE_URL).
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/gcm-....dump"; exit 2; }
	$(PY) manage.py restore "$(FILE)" --yes

# Benchmark (README "Performance"): seeds gcm_bench_$(SCALE) on DATABASE_URL's server (or the embedded
# one), serves the app with gunicorn on 127.0.0.1 and drives it with wrk; results in bench/results/.
# ONLY="review_docx country_docx" runs those scenarios alone (the Word documents: seconds, peak RSS).
SCALE ?= regional
bench: install
	$(PY) -m config.translations compile
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }; }; } || true
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk: apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)"; exit 1; }
	$(PY) -m bench.run --scale $(SCALE) $(if $(ONLY),--only $(ONLY))

# 60 s of mixed load (reads + focal points' updates) on 127.0.0.1; fails on any error or lost update.
soak: install
	$(PY) -m config.translations compile
	$(PY) -m bench.soak

# Security alone (also part of `make test`): schemathesis against /api/v1/schema/ (bounded, derandomised:
# 100 examples per operation and caller, 300 linked scenarios per caller) and the authorisation sweep
# (every URL pattern × every role). The fuzzer's figures: tests/artifacts/fuzz-figures.json.
fuzz: install
	$(PY) -m config.translations compile
	FUZZ_EXAMPLES=100 FUZZ_SCENARIOS=300 FUZZ_REPORT=tests/artifacts/fuzz-figures.json \
	  $(VENV)/bin/pytest tests/security -q -p no:cacheprovider
	@$(PY) -c "import json; d = json.load(open('tests/artifacts/fuzz-figures.json')); \
	  [print(f'{k}: {d[k]}') for k in d if k not in ('by_operation', 'statuses')]"
