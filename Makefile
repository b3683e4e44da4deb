# The verbs. `make run` and `make test` do all their own set-up from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 5000
# Every package, pip and the build backend included, pinned with its hashes (see docs/dependencies.md).
RUNTIME_LOCK := requirements/runtime.lock
TEST_LOCK := requirements/test.lock
# The machine's own pip settings (extra indexes, local wheels) are not written into the locks.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host

.PHONY: run test fuzz lint format translations compile-translations migrate migration demo bench schema lock audit clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or later is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# The locked packages, each checked against its hash (pip among them: the virtualenv's own upgrades itself to the
# locked one), then Learnloop itself, resolving nothing and built with the locked setuptools, not one fetched for it.
$(STAMP): $(RUNTIME_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(RUNTIME_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(TEST_STAMP): $(TEST_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@ $(STAMP)

# Write the locks again from pyproject.toml and requirements/build.in, keeping every pin that still fits; set
# UPGRADE=1 to take the newest versions, or UPGRADE_PACKAGE=name to move one. Review the diff, then `make test`.
lock: $(TEST_STAMP)
	$(PIP_COMPILE) $(if $(UPGRADE),--upgrade) $(addprefix --upgrade-package ,$(UPGRADE_PACKAGE)) \
		--output-file $(RUNTIME_LOCK) pyproject.toml requirements/build.in
	$(PIP_COMPILE) $(if $(UPGRADE),--upgrade) $(addprefix --upgrade-package ,$(UPGRADE_PACKAGE)) --extra test \
		--constraint $(RUNTIME_LOCK) --output-file $(TEST_LOCK) pyproject.toml requirements/build.in

# Known vulnerabilities in any locked package (the test lock holds the runtime one's pins too).
audit: $(TEST_STAMP)
	$(BIN)/python .ci/audit.py $(TEST_LOCK)

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
