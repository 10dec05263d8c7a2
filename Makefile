# PeerPath: `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .peerpath/tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
# Installs trust the system's certificate store (uv's native TLS; pip via scripts/bootstrap-uv),
# so they work behind a TLS-inspecting proxy whose CA is installed there, and compile bytecode
# once at install time: machines may set PYTHONDONTWRITEBYTECODE, and then every `peerpath`
# command would compile the project again on each start. Nothing here needs HOME: under
# `env -i` uv keeps its cache in the project.
export UV_NATIVE_TLS := 1
export UV_COMPILE_BYTECODE := 1
ifeq ($(HOME),)
export UV_CACHE_DIR ?= $(CURDIR)/$(TOOLS)/uv-cache
endif
# Without DATABASE_URL / REDIS_URL these start throwaway local servers and stop them on exit;
# the tests get servers of their own, apart from those of `make run`.
WITH_SERVICES = $(BIN)/python -m peerpath.localservices exec --
TEST_SERVICES = $(BIN)/python -m peerpath.localservices --base .peerpath/test-services exec --
# The suite runs in two pytest-xdist workers, a test file to each at a time, and each worker
# has throwaway servers of its own (tests/conftest.py). Three were slower on 2 cores (11 min 48 s
# of pytest against 10 min 25 s). With servers of your own (DATABASE_URL and
# REDIS_URL set) it runs in one process. PYTEST_WORKERS=0 runs it in one process anyway.
PYTEST_WORKERS ?= $(if $(and $(DATABASE_URL),$(REDIS_URL)),0,2)
PYTEST = $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: run test test-pgbouncer pgbouncer citus test-citus bench-citus setup bench bench-pgbouncer lint browser clean

run: setup
	$(WITH_SERVICES) $(BIN)/peerpath dev serve

test: setup browser
	PEERPATH_ENV=test $(TEST_SERVICES) $(PYTEST) $(PYTEST_ARGS)

# The same tests with Debian's PgBouncer (transaction pooling) between the app and PostgreSQL.
test-pgbouncer: setup browser pgbouncer
	PEERPATH_PGBOUNCER=1 PEERPATH_ENV=test $(BIN)/python -m peerpath.localservices --base .peerpath/test-pgbouncer exec -- $(PYTEST) $(PYTEST_ARGS)

# Citus 13.2.2 built once from ../shared/vendor into .peerpath/citus/ (not part of `make test`),
# and the tenancy tests and two journeys on a coordinator and two workers (docs/scaling.md).
CITUS_TESTS ?= tests/citus tests/test_tenancy.py tests/test_onboarding.py tests/test_migrations.py \
	tests/browser/test_applicant_journey.py::test_an_applicant_goes_from_the_list_of_trusts_to_the_follow_up_on_a_phone \
	tests/browser/test_coordinator_journey.py
citus:
	@scripts/build-citus .peerpath/citus

test-citus: setup browser citus
	PEERPATH_CITUS=1 PEERPATH_ENV=test $(BIN)/python -m peerpath.localservices --base .peerpath/test-citus exec -- $(BIN)/python -m pytest $(or $(PYTEST_ARGS),$(CITUS_TESTS))

# Onboarding and a fleet upgrade on Citus (BENCH_TRUSTS trusts, 40 unless given).
bench-citus: setup citus
	PEERPATH_CITUS=1 PEERPATH_ENV=test BENCH_TRUSTS=$(or $(BENCH_TRUSTS),40) $(BIN)/python -m peerpath.localservices --base .peerpath/bench-citus exec -- $(BIN)/python -m bench onboarding

bench: setup browser
	PEERPATH_ENV=test $(TEST_SERVICES) $(BIN)/python -m bench $(BENCH_ARGS)

# PostgreSQL's connection count behind PgBouncer under 200 concurrent clients.
bench-pgbouncer: setup pgbouncer
	PEERPATH_PGBOUNCER=1 PEERPATH_ENV=test $(BIN)/python -m peerpath.localservices --base .peerpath/bench-pgbouncer exec -- $(BIN)/python -m bench pgbouncer

# Style (ruff) and architecture (import-linter contracts in .importlinter; see
# docs/architecture.md).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

setup: $(VENV)/.synced peerpath/static/nhsuk/.installed

$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "PeerPath needs Python 3.11 or newer"'
	$(PYTHON) scripts/bootstrap-uv $(TOOLS) $(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet --native-tls --compile-bytecode \
		--python $(PYTHON)
	$(BIN)/python -m compileall -q peerpath tenants worker
	@touch $@

peerpath/static/nhsuk/.installed: $(VENV)/.synced package.json package-lock.json
	$(BIN)/python -m peerpath.frontend_assets
	$(BIN)/python -m peerpath.ui install-assets

browser: $(VENV)/.synced
	@scripts/ensure-browser $(BIN)

pgbouncer:
	@scripts/ensure-pgbouncer

clean:
	-$(BIN)/python -m peerpath.localservices down
	rm -rf $(VENV) .peerpath node_modules peerpath/static/nhsuk
