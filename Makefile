# SealDesk developer commands. `make run` and `make test` install what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := .demo/workspace
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup system-packages venv node-tools run demo screenshots translations test lint typecheck layers pytest bench package clean

setup: system-packages venv node-tools

system-packages:
	@installer/install-debian-packages.sh

venv: $(STAMP)

# anvil, the local EVM node for the evidence chain (demo and tests).
node-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	@test -f $(DEMO)/workspace.json || $(BIN)/sealdesk --workspace $(DEMO) init --demo

# The demo's evidence chain: a local anvil node whose state lives in the
# workspace, started for the session and stopped when the window closes.
run: demo
	@mkdir -p $(DEMO)/chain
	@node_modules/.bin/anvil --host 127.0.0.1 --port 8545 --silent \
		--state $(DEMO)/chain/anvil-state.json > $(DEMO)/logs/anvil.log 2>&1 & \
	anvil=$$!; \
	QT_QPA_PLATFORM= $(BIN)/sealdesk --workspace $(DEMO) gui; status=$$?; \
	kill $$anvil 2>/dev/null; wait $$anvil 2>/dev/null; exit $$status

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

layers: venv
	$(BIN)/lint-imports --no-cache

pytest: setup
	dbus-run-session -- $(BIN)/pytest

test: setup lint typecheck layers pytest

screenshots: venv
	$(BIN)/python -m widgets.screenshots docs/screenshots

# The window's translations: refresh the .ts sources from the code (keeping
# what is translated), then build the .qm files the window loads.
translations: venv
	$(BIN)/pyside6-lupdate $(sort $(shell find widgets -name '*.py')) \
		-no-obsolete -ts $(wildcard resources/i18n/sealdesk_*.ts)
	for ts in $(wildcard resources/i18n/sealdesk_*.ts); do $(BIN)/pyside6-lrelease $$ts -qm $${ts%.ts}.qm || exit 1; done

bench: setup
	$(BIN)/python -m bench

# The PyInstaller bundle (dist/sealdesk/) and the Debian package
# (dist/sealdesk_<version>_amd64.deb); see installer/README.md.
package: venv
	installer/build-bundle.sh
	installer/build-deb.sh

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
