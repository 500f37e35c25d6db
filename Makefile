# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv, installs what it needs, and runs.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test bench lint dot clean
.PHONY: chromium wheel-check

$(PY):
	$(PYTHON) -m venv $(VENV)

# One stamp per set of extras, redone when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml | $(PY)
	$(PIP) install -e ".[$(subst +,$(comma),$*)]"
	@touch $@

comma := ,

# Graphviz's `dot` renders SVG/PNG/PDF. Installed with apt-get when we are root.
dot:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing graphviz (for the 'dot' binary)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	else \
		echo "Graphviz 'dot' is missing; install it with: sudo apt-get install graphviz  (macOS: brew install graphviz)"; \
	fi

# The browser tests drive Debian's chromium (/usr/bin/chromium): installed the same way.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium (for the browser tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
		echo "chromium is missing, so the browser tests will skip; install it with: sudo apt-get install chromium"; \
	fi

test: chromium

# The tour, with everything its closing line's live demo needs ([lab]: the local server).
demo: dot $(VENV)/.installed-plot+lab
	$(PY) -m demos.tour

test: dot $(VENV)/.installed-dev+plot+data+lab
	$(PY) -m pytest

lint: $(VENV)/.installed-dev+plot+data
	$(VENV)/bin/ruff check .

# Build the sdist and wheel, install the wheel in a fresh venv and use it from elsewhere.
wheel-check: $(VENV)/.installed-dev+plot+data
	bash .ci/wheel-check $(PY)

bench: dot $(VENV)/.installed-bench+data
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info demos/out .pytest_cache .hypothesis
