# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Models ship inside packages; nothing may be fetched from a model hub or sent as analytics.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install browser run ingest test eval bench load clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: it is the CPU build that lies on this disk, not a multi-GB CUDA download.
	$(VENV)/bin/pip install --quiet torch==2.13.0
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The browser tests drive Debian's chromium; Playwright must not download its own.
browser:
	@command -v chromium >/dev/null || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

ingest: install
	$(PY) -m assistant ingest

run: ingest
	$(PY) -m assistant serve

test: install browser
	$(PY) -m pytest

# Figures, not assertions: bench/results.md and bench/growth.png (BENCH_ARGS=--quick skips 100x).
bench: install
	$(PY) -m bench $(BENCH_ARGS)

# 20 conversations of 5 questions each against the running app (LOAD_ARGS to change).
load: ingest
	$(PY) -m bench.load $(LOAD_ARGS)

eval: ingest
	$(PY) -m eval all

clean:
	rm -rf data test-output .pytest_cache
