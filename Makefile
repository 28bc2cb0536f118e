# Two commands on a fresh machine with only Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench clean install screens browser dictionaries build-SkillFunction

APL_TOOLS := tools/apl
APL_STAMP := $(APL_TOOLS)/node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Amazon's APL validator and view host (npm registry); the screen tests need them.
$(APL_STAMP): $(APL_TOOLS)/package.json $(APL_TOOLS)/package-lock.json
	cd $(APL_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	touch $(APL_STAMP)

install: $(STAMP) $(APL_STAMP)

# Debian's Chromium for the screen render check. Installed when this machine allows it (root
# with apt-get); otherwise a reason is printed and that one test is skipped, never failed.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: the screen render check will be skipped"; \
	else echo "chromium is not installed and this user cannot install it: the screen render check will be skipped"; fi

# Debian's German Hunspell dictionary (igerman98, hunspell-de-de) for the German spelling check
# (tests/contract/test_contract_german_spelling.py). Installed when this machine allows it (root
# with apt-get); without it that test fails and says how to install it.
HUNSPELL_DE := /usr/share/hunspell/de_DE.dic
dictionaries:
	@if [ -f $(HUNSPELL_DE) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-de-de >/dev/null) \
	  || echo "hunspell-de-de could not be installed: the German spelling check will fail"; \
	else echo "hunspell-de-de is missing (apt-get install hunspell-de-de): the German spelling check will fail"; fi

## Render every screen at every viewport with apl-viewhost-web in headless Chromium: build/screens/*.png
screens: install browser
	$(BIN)/heel-coach screens --out build/screens

## Serve the skill locally on http://127.0.0.1:8000/alexa (signature verification OFF, SQLite in ./var).
run: $(STAMP)
	HEELCOACH_VERIFY_SIGNATURES=$${HEELCOACH_VERIFY_SIGNATURES:-false} $(BIN)/heel-coach serve --dev

## Lint, type-check and run the whole test suite.
test: install browser dictionaries lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check skill tests benchmarks
	$(BIN)/ruff format --check skill tests benchmarks
	$(BIN)/cfn-lint deploy/template.yaml
typecheck: $(STAMP)
	$(BIN)/mypy
unit: $(STAMP) $(APL_STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache $(APL_TOOLS)/node_modules

## `sam build --use-container` calls this (deploy/template.yaml, BuildMethod: makefile) inside the
## Lambda build image: the package with its runtime dependencies from pyproject.toml, rendered
## audio manifests (so continuous mode knows its tracks), byte-compiled, and prepared with what a
## cold start need not redo (heel_coach/lambda_package.py: compiled dataclass methods, the content).
build-SkillFunction:
	python -m pip install --quiet --target "$(ARTIFACTS_DIR)" '.[aws]'
	for manifest in audio/*/manifest.json; do \
		[ -f "$$manifest" ] || continue; \
		mkdir -p "$(ARTIFACTS_DIR)/$$(dirname $$manifest)"; cp "$$manifest" "$(ARTIFACTS_DIR)/$$manifest"; \
	done
	python -m compileall -q "$(ARTIFACTS_DIR)"
	PYTHONPATH="$(ARTIFACTS_DIR)" python -m heel_coach.lambda_package
