.PHONY: test db lint check

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
