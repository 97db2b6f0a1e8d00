.PHONY: test test-quick docs db lint check bundle

test:
	pytest

# the suite without the tests marked slow (property, concurrency, build-at-scale, benchmark smoke): under a minute.
# A run with no paths uses every core (tests/conftest.py); `pytest -n 0` or `-p no:xdist` runs in one process.
test-quick:
	pytest -m "not slow"

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
