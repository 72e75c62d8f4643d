# Shop Floor MES — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.PHONY: run test stop setup clean-db lint faults fuzz bench pot

run:            ## set up, build the demo database once, serve Odoo and the terminal
	@bash scripts/run.sh

test:           ## set up what is missing, run the whole suite, fail loudly
	@bash scripts/test.sh

lint:           ## flake8, pylint-odoo's mandatory checks and eslint (installs them once); CI runs it
	@bash scripts/lint.sh

.PHONY: odoo-tests
odoo-tests:     ## Odoo's own runner (odoo --test-enable) on a fresh copy of the test template; prints how many ran
	@bash scripts/odoo_tests.sh

pot:            ## regenerate i18n/shopfloor_mes.pot with Odoo's exporter (make test fails when it is out of date)
	@bash scripts/pot.sh

stop:           ## stop the private PostgreSQL cluster
	@bash scripts/pg.sh stop

setup:          ## only install (venv, pins, lessc, Debian packages when root)
	@bash scripts/setup.sh

clean-db:       ## drop the demo and test databases (they are rebuilt on demand)
	@bash scripts/clean_db.sh

faults:         ## fault tests at full size: kill -9 during 10,000 events, PostgreSQL restarts, 20 terminals
	@bash scripts/faults.sh

fuzz:           ## property-based fuzzers at full size (FUZZ_CASES=100000 generated cases)
	@bash scripts/fuzz.sh

bench:          ## every benchmark of bench/ at full size; rewrites bench/RESULTS.md (about an hour or more)
	@bash scripts/bench.sh
