# Jangkau: `make run` serves the demo city, `make test` runs lint, types and every test.
# Both bootstrap .venv themselves on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
LINT_PATHS := src tests bench migrations

.PHONY: run test lint types pytest browser fuzz clean catalogs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Translations (ADR 0016): the .mo files are compiled from the .po files at build time (the runtime compiles in
# memory when one is missing or older than its .po). `make catalogs` is what a translator or a developer runs after
# marking new text: extract into locale/messages.pot, merge into id.po and en.po, fill en msgstr = msgid, compile.
LOCALE := src/jangkau/locale
MO_FILES := $(LOCALE)/id/LC_MESSAGES/messages.mo $(LOCALE)/en/LC_MESSAGES/messages.mo

$(LOCALE)/%/LC_MESSAGES/messages.mo: $(LOCALE)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D messages -l $*

catalogs: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m jangkau.i18n_tools catalogs

run: $(STAMP) $(MO_FILES)
	$(BIN)/jangkau db upgrade
	$(BIN)/jangkau regions load --if-empty
	$(BIN)/jangkau demo rules
	$(BIN)/jangkau demo seed --region 12.71 --scale small --seed 1 --if-empty
	$(BIN)/jangkau demo outreach --region 12.71 --seed 1 --if-empty
	$(BIN)/jangkau demo history --months 13 --if-empty
	$(BIN)/jangkau report estimates demo --region 12.71
	$(BIN)/jangkau report rebuild --months 13
	$(BIN)/jangkau demo users
	JANGKAU_DEMO_MODE=1 $(BIN)/jangkau serve --with-worker

# Debian's Chromium for the page tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: install Debian's chromium package (sudo apt-get install chromium)"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy

# Unit and integration tests in one process per core (-n auto): each process builds its own databases (PostgreSQL
# ones are named by process id). The e2e tests share one demo city and one live server per process, and many depend
# on the order in which the city changes, so they are not spread test by test. Two processes run side by side, each
# in a fixed order on its own city: the role days, the figures and phone-layout checks and the tests that bring
# their own servers (E2E_APART), and all the others.
E2E_APART = $(wildcard tests/e2e/test_day_*.py) tests/e2e/test_figures_agree.py tests/e2e/test_phone_layout.py \
	tests/e2e/test_link_spark.py tests/e2e/test_api_fuzz.py tests/e2e/test_task_worker.py \
	tests/e2e/test_worker_heartbeat.py
pytest: $(STAMP) $(MO_FILES) browser
	$(BIN)/pytest tests/unit tests/integration -n auto
	@mkdir -p var; $(BIN)/pytest $(E2E_APART) > var/e2e-apart.log 2>&1 & apart=$$!; \
	$(BIN)/pytest tests/e2e $(addprefix --ignore=,$(E2E_APART)); main=$$?; \
	wait $$apart; second=$$?; echo "--- e2e, the second process ($(words $(E2E_APART)) files) ---"; \
	cat var/e2e-apart.log; test $$main -eq 0 -a $$second -eq 0

test: lint types pytest

# Before a release: the Schemathesis run of `make test` with many more examples per operation (about 10-20 min).
fuzz: $(STAMP)
	JANGKAU_FUZZ_EXAMPLES=$${JANGKAU_FUZZ_EXAMPLES:-100} $(BIN)/pytest tests/e2e/test_api_fuzz.py -q

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache $(MO_FILES)
