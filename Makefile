# labelflow — `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint format messages graph clamav chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	$(BIN)/python -m labelflow.embedded

# The suite needs ClamAV's clamd (it starts its own): installed here when missing, as root.
clamav:
	@command -v clamd >/dev/null || test -x /usr/sbin/clamd || \
	  (test "$$(id -u)" = 0 && apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon) || \
	  (echo "make test needs clamd: apt-get install clamav-daemon" && false)

# The browser tests drive Debian's Chromium: installed here when missing, as root.
chromium:
	@test -x /usr/bin/chromium || \
	  (test "$$(id -u)" = 0 && apt-get update -qq && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || \
	  (echo "make test needs Chromium: apt-get install chromium" && false)

test: install clamav chromium
	mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l fr -l en --ignore .venv --ignore var
	$(BIN)/python manage.py compilemessages --ignore .venv

# Redraws the lifecycle picture of the README from the transitions in the code.
# Needs Graphviz's `dot` (apt-get install graphviz); the `dev` extra brings its Python binding.
graph: install
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	mkdir -p docs
	DEBUG=1 $(BIN)/python manage.py graph_transitions -o docs/lifecycle.png certification.Dossier
	rm -f docs/lifecycle  # the dot source graphviz leaves next to the picture
