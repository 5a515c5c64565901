# One entry point for people and CI. Each target creates .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The front-end's build tools (esbuild, tsc, openapi-typescript), installed from the lock file.
WEB_DEPS := web/node_modules/.installed

.PHONY: run test lint typecheck bench dataset web clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(WEB_DEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(WEB_DEPS)

run: $(STAMP)
	$(BIN)/amur corridors --out out

test: $(STAMP) $(WEB_DEPS)
	bash tools/ensure_chromium.sh
	cd web && node check.mjs
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/mypy --strict src/amur/network src/amur/graph src/amur/paths
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_routes.py

# After a change to the API or to web/src: the OpenAPI snapshot, the types generated from
# it, and the bundle (commit all three; `make test` checks them).
web: $(STAMP) $(WEB_DEPS)
	$(BIN)/python tools/write_openapi.py
	cd web && npm run --silent types && npm run --silent build

dataset: $(STAMP)
	$(BIN)/python tools/build_northeast_asia.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
