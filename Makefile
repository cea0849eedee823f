# claimreport: `make report` renders every stage from the demo data; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
OUT    ?= build
# Pango for WeasyPrint, harfbuzz-subset for fast font subsetting (~5x faster PDFs),
# DejaVu fonts, poppler-utils (pdftotext/pdftoppm) for the PDF tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

.PHONY: report test lint quarto system-deps install bench clean

report: system-deps $(VENV)/.installed
	$(VENV)/bin/claimreport render --stage all --out $(OUT)

test: system-deps $(VENV)/.installed
	$(PY) -m pytest -q

# Quarto renders reports/*.qmd (needs the Quarto CLI from https://quarto.org) into $(OUT)/quarto.
# With CLAIMREPORT_BUNDLE=path/to/bundle it renders that existing bundle and builds nothing;
# otherwise `claimreport render --engine quarto` builds $(OUT) from DATA (default: the demo data;
# stages whose data, settings and versions are unchanged are reused) and renders what it
# published. Either way it stops at once, naming what is missing, when quarto is not installed.
quarto: system-deps $(VENV)/.installed
ifdef CLAIMREPORT_BUNDLE
	$(PY) -m claimreport.render.quarto "$(CLAIMREPORT_BUNDLE)" "$(OUT)"
else
	$(VENV)/bin/claimreport render --stage all --out "$(OUT)" --engine quarto $(if $(DATA),--data "$(DATA)")
endif

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks

bench: system-deps $(VENV)/.installed
	$(PY) benchmarks/bench_render.py

install: $(VENV)/.installed

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Installs the Debian packages WeasyPrint needs when run as root; otherwise says what to install.
system-deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "note: not a Debian system; make sure Pango >= 1.44, HarfBuzz and DejaVu fonts are installed"; \
	  exit 0; fi; \
	missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "claimreport needs these Debian packages; run:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi

clean:
	rm -rf $(OUT) .pytest_cache
