# Two commands on a fresh machine with only Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench clean install build-SkillFunction

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Serve the skill locally on http://127.0.0.1:8000/alexa (signature verification OFF, SQLite in ./var).
run: $(STAMP)
	HEELCOACH_VERIFY_SIGNATURES=$${HEELCOACH_VERIFY_SIGNATURES:-false} $(BIN)/heel-coach serve --dev

## Lint, type-check and run the whole test suite.
test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check skill tests benchmarks
	$(BIN)/ruff format --check skill tests benchmarks
	$(BIN)/cfn-lint deploy/template.yaml
typecheck: $(STAMP)
	$(BIN)/mypy
unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

## `sam build --use-container` calls this (deploy/template.yaml, BuildMethod: makefile) inside the
## Lambda build image: the package with its runtime dependencies from pyproject.toml, rendered
## audio manifests (so continuous mode knows its tracks), byte-compiled for a faster cold start.
build-SkillFunction:
	python -m pip install --quiet --target "$(ARTIFACTS_DIR)" '.[aws]'
	for manifest in audio/*/manifest.json; do \
		[ -f "$$manifest" ] || continue; \
		mkdir -p "$(ARTIFACTS_DIR)/$$(dirname $$manifest)"; cp "$$manifest" "$(ARTIFACTS_DIR)/$$manifest"; \
	done
	python -m compileall -q "$(ARTIFACTS_DIR)"
