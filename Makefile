.PHONY: test db lint check bundle

test:
	pytest

db:
	nhfind db build

lint:
	ruff check .
	ruff format --check .

check: lint
	python -m nhfind.core.dataset
	lint-imports
	pytest

# dist/offline/: wheels + installers for a laptop that never goes online (docs/install.md). Needs the package index.
PYTHON ?= python3
bundle:
	$(PYTHON) scripts/bundle.py --out dist/offline
