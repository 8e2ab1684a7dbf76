# dealwire: `make run` runs the whole pipeline on the bundled sample corpus; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test ui eval bench report clean

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on this project's machines) Python would
# otherwise recompile dagster/dbt on every start: loading the definitions took 10 s instead of 5.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/dealwire run

test: $(STAMP)
	$(BIN)/python -m pytest -q

ui: $(STAMP)
	$(BIN)/dealwire ui

eval: $(STAMP)
	$(BIN)/python -m ingest.evaluate

# Speed and memory figures (not part of `make test`); writes BENCHMARKS.md.
bench: $(STAMP)
	$(BIN)/python -m bench

report: $(STAMP)
	$(BIN)/dealwire report

clean:
	rm -rf $(VENV) data dbt_project/target dbt_project/logs
