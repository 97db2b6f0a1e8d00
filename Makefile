.PHONY: test test-quick docs db lint check bundle

test:
	pytest

# the suite without the tests marked slow (property, concurrency, build-at-scale, benchmark smoke): about a minute
test-quick:
	pytest -m "not slow" -n 2

# regenerate the CLI reference from the app; tests/test_docs.py fails when it is out of step
docs:
	python scripts/gen_cli_docs.py

db:
	nhfind db build

lint:
	ruff check .
	ruff format --check .

check: lint
	python -m nhfind.core.dataset
	lint-imports
	mypy
	pytest

# dist/offline/: wheels + installers for a laptop that never goes online (docs/install.md). Needs the package index.
PYTHON ?= python3
bundle:
	$(PYTHON) scripts/bundle.py --out dist/offline
