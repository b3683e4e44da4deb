# The verbs. `make run` and `make test` do all their own set-up from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 5000

.PHONY: run test fuzz lint format translations compile-translations migrate migration demo bench schema clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or later is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP)

compile-translations: $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages

run: $(STAMP) compile-translations
	$(BIN)/learnloop migrate
	$(BIN)/learnloop demo
	PORT=$(PORT) $(BIN)/learnloop serve --with-worker

# One test process per CPU (PYTEST_WORKERS=0 runs them in this process), each file's tests kept together.
PYTEST_WORKERS ?= auto
test: $(TEST_STAMP) compile-translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Many more generated GraphQL operations than `make test` sends, with a fresh seed each run.
FUZZ_EXAMPLES ?= 2000
fuzz: $(TEST_STAMP) compile-translations
	LEARNLOOP_TEST_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check backend schema portal tasks tests bench
	$(BIN)/ruff format --check backend schema portal tasks tests bench
	$(BIN)/mypy
	$(BIN)/vulture

format: $(TEST_STAMP)
	$(BIN)/ruff format backend schema portal tasks tests bench

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_gettext --no-location --sort-output \
		--project=learnloop --copyright-holder="Learnloop contributors" --omit-header \
		-o locales/messages.pot .
	$(BIN)/pybabel update -N -i locales/messages.pot -d locales -D messages
	$(MAKE) compile-translations

migrate: $(STAMP)
	$(BIN)/learnloop migrate

# The next numbered migration, generated from what the models changed: make migration NAME="contact nation".
migration: $(STAMP)
	@test -n "$(NAME)" || { echo 'Say what it changes: make migration NAME="contact nation"'; exit 2; }
	$(BIN)/learnloop migrate --new "$(NAME)"

# Rewrite the published SDL under docs/schema/ after an API change; review the diff before committing.
schema: $(STAMP)
	$(BIN)/learnloop schema print --all

demo: $(STAMP)
	$(BIN)/learnloop demo

# BENCH_ARGS="--scale 0.01 --iterations 50" for a quick run; see docs/performance.md.
bench: $(STAMP)
	$(BIN)/learnloop bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
