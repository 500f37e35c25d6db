# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv, installs what it needs, and runs.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test bench lint dot clean
.PHONY: chromium wheel-check node pyodide

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

test: chromium pyodide

# Node.js and npm (Debian's `nodejs` and `npm`), for Pyodide: installed with apt-get when root.
node:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing nodejs and npm (to run the engine in Pyodide)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			$$(command -v node >/dev/null 2>&1 || echo nodejs) \
			$$(command -v npm >/dev/null 2>&1 || echo npm) >/dev/null; \
	else \
		echo "node or npm is missing, so the Pyodide tests will skip; install them with: sudo apt-get install nodejs npm"; \
	fi

# Pyodide (CPython compiled to WebAssembly) from npm, pinned, into the cache folder below:
# the tests run the engine in it under Node, and the classroom site ships its files. The
# package holds all it needs offline (pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json),
# so nothing downloads when it runs. Tests find it through PYODIDE_DIR.
PYODIDE_VERSION := 314.0.8
PYODIDE_CACHE   := .cache/pyodide
PYODIDE_DIR     := $(PYODIDE_CACHE)/node_modules/pyodide
PYODIDE_FILES   := package.json pyodide.mjs pyodide.js pyodide.asm.mjs pyodide.asm.wasm \
                   python_stdlib.zip pyodide-lock.json
export PYODIDE_DIR := $(abspath $(PYODIDE_DIR))

pyodide: $(PYODIDE_CACHE)/.installed-$(PYODIDE_VERSION)

$(PYODIDE_CACHE)/.installed-$(PYODIDE_VERSION): | node
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm is missing, so Pyodide is not installed (the Pyodide tests will skip)"; exit 0; fi; \
	echo "installing pyodide@$(PYODIDE_VERSION) from npm into $(PYODIDE_CACHE)"; \
	rm -rf $(PYODIDE_CACHE) && mkdir -p $(PYODIDE_CACHE) && \
	npm install --prefix $(PYODIDE_CACHE) --no-save --no-package-lock --no-audit --no-fund \
		--loglevel=error pyodide@$(PYODIDE_VERSION) >/dev/null && \
	for f in $(PYODIDE_FILES); do \
		test -s $(PYODIDE_DIR)/$$f || { echo "pyodide@$(PYODIDE_VERSION) lacks $$f"; exit 1; }; \
	done && \
	grep -q '"version": "$(PYODIDE_VERSION)"' $(PYODIDE_DIR)/package.json && touch $@

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
	rm -rf $(VENV) .cache build *.egg-info demos/out .pytest_cache .hypothesis
