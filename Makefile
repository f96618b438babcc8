# Two commands do all the set-up: `make run` and `make test` create .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UV := $(VENV)/bin/uv
# Test processes: pytest-xdist workers, one per core by default; a worker that runs out of tests takes
# half of what another still has queued (worksteal), so one long test at the end does not leave a core idle.
TEST_WORKERS ?= auto
# Jupyter refuses to start as root (containers) unless told to allow it
LAB_UID ?= $(shell id -u)
LAB_OPTIONS := $(if $(filter 0,$(LAB_UID)),--allow-root)

.PHONY: run test bench bench-scale bench-charts bench-judge bench-snapshots lab notebooks clean bench-draft bench-verdicts lock

# Installs exactly the versions and hashes of requirements.lock, with uv (itself pinned by hash in
# requirements-uv.lock); the same lock with plain pip would be: pip install --no-deps --require-hashes -r requirements.lock
# (the lock is complete: --no-deps keeps out what requirements-excluded.txt leaves out)
# Bytecode is compiled at install, as pip does: uv leaves it to the first import, and where
# PYTHONDONTWRITEBYTECODE is set no import ever writes it, so every process (each kernel, each command)
# would compile pandas, Jupyter and spaCy from source again, about 2 s of CPU each.
$(STAMP): requirements.lock requirements-uv.lock requirements-excluded.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-uv.lock
	$(UV) pip install --quiet --python $(PY) --compile-bytecode --no-deps --require-hashes -r requirements.lock
	$(UV) pip uninstall --quiet --python $(PY) -r requirements-excluded.txt  # from a venv made before they were left out
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m compileall -q src
	touch $@

lock:  ## compile requirements.txt into requirements.lock (exact versions with hashes); run after editing requirements.txt
	test -x $(UV) || $(MAKE) $(STAMP)
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 --excludes requirements-excluded.txt requirements.txt -o requirements.lock
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 requirements-uv.txt -o requirements-uv.lock

run: $(STAMP)  ## every article, offline, into build/
	$(PY) -m claimcheck run --all --mode offline

test: $(STAMP)  ## the whole offline test suite, in parallel workers
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not network"

bench: $(STAMP)  ## time the batch against the plain papermill loop and the floor
	$(PY) scripts/bench.py

bench-scale: $(STAMP)  ## N = 1, 4, 16, 64 articles: cold, warm and after one snapshot changes
	$(PY) scripts/bench_scale.py $(BENCH_SCALE_ARGS)

bench-charts: $(STAMP)  ## one check notebook with N and with 10 N different claims, interleaved rounds
	$(PY) scripts/bench_charts.py $(BENCH_CHARTS_ARGS)

bench-judge: $(STAMP)  ## what judging one more claim costs: notebook.check of N and 10 N claims, interleaved rounds
	$(PY) scripts/bench_judge.py $(BENCH_JUDGE_ARGS)

bench-snapshots: $(STAMP)  ## writing and reading the reference snapshots: the seed script and `claimcheck sources`
	$(PY) scripts/bench_snapshots.py $(BENCH_SNAPSHOTS_ARGS)

# Jupyter does not look for config in the current folder: JUPYTER_CONFIG_PATH has it read the project's
# jupyter_server_config.json, whose pre-save hook strips each notebook of notebooks/ as `make notebooks` does
lab: $(STAMP)  ## explore the notebooks in JupyterLab; saving leaves them as committed
	JUPYTER_CONFIG_PATH=$(CURDIR)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH)) $(VENV)/bin/jupyter lab $(LAB_OPTIONS) notebooks/

# nbstripout's function with the options of src/claimcheck/stripping.py (nbstripout reads no settings file)
notebooks: $(STAMP)  ## strip outputs and machine-specific metadata from the committed notebooks
	$(PY) -m claimcheck.stripping notebooks/*.ipynb

clean:
	rm -rf build

bench-draft: $(STAMP)  ## how well and how fast `claimcheck draft` proposes the reviewed claims
	$(PY) scripts/bench_draft.py

bench-verdicts: $(STAMP)  ## how often the verdict policy gives the corpus's reviewed registries a careful checker's verdict
	$(PY) scripts/bench_verdicts.py
