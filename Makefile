# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Models ship inside packages; nothing may be fetched from a model hub or sent as analytics.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run ingest test eval clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: it is the CPU build that lies on this disk, not a multi-GB CUDA download.
	$(VENV)/bin/pip install --quiet torch==2.13.0
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

ingest: install
	$(PY) -m assistant ingest

run: ingest
	$(PY) -m assistant serve

test: install
	$(PY) -m pytest

eval: ingest
	$(PY) -m eval all

clean:
	rm -rf data test-output .pytest_cache
