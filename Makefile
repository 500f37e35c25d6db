# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv, installs what it needs, and runs.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test bench lint dot clean

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

demo: dot $(VENV)/.installed-plot
	$(PY) -m demos.tour

test: dot $(VENV)/.installed-dev+plot+data+lab
	$(PY) -m pytest

lint: $(VENV)/.installed-dev+plot+data
	$(VENV)/bin/ruff check .

bench: dot $(VENV)/.installed-bench+data
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info demos/out .pytest_cache .hypothesis
