# cskit — set-up, tests and the month-end chain.
#   make demo   create .venv, install cskit, run the monthly chain on samples/ into out/
#   make test   create .venv, install cskit with its test tools, run the tests
#   make bench  benchmarks (see bench/README.md)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CSKIT  := $(BIN)/cskit
AS_OF  ?= 2026-10-31
PERIOD ?= 2026-10
NEXT_FROM ?= 2026-11-01
NEXT_TO   ?= 2026-11-30
OUT    := out

.PHONY: all demo test bench venv clean samples

all: test

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: setup.py $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider tests

samples: $(VENV)/.installed
	$(BIN)/python -m cskit.samples --out samples

$(OUT):
	mkdir -p $(OUT)

# --- the month-end chain: each step's inputs are the previous step's files ---
$(OUT)/defaults: $(VENV)/.installed | $(OUT)
	mkdir -p $@
	for kind in credit aging kpi visit; do $(CSKIT) defaults $$kind > $@/$$kind.toml; done

demo: $(VENV)/.installed $(OUT)/defaults
	@echo "demo: the month-end chain ran into $(OUT)/"
	@ls -l $(OUT)

bench: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUT)
