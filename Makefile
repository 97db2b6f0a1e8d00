.PHONY: test db check

test:
	pytest

db:
	nhfind db build

check:
	python -m nhfind.core.build --check
	pytest
