# QuietWire: `make run` starts a demo instance, `make test` runs every test.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := var/demo
# Debian packages the tests drive for real (never mocked): browser, stock age/minisign for
# interoperability, PostgreSQL, exiftool and mat2 for scrubbing checks.
# hunspell-ar is the upstream of the Arabic codename wordlist, checked by a test.
# libarchive-zip-perl is only a Recommends of exiftool, yet without it exiftool cannot look
# inside office documents and a scrubbing check on them would pass without reading anything.
DEB_PACKAGES := chromium age minisign postgresql libimage-exiftool-perl libarchive-zip-perl mat2 hunspell-ar
DEB_FILES := /usr/lib/chromium/chromium /usr/bin/age /usr/bin/minisign /usr/bin/exiftool /usr/bin/mat2 \
	/usr/share/perl5/Archive/Zip.pm /usr/share/hunspell/ar.dic

.PHONY: run test install install-test system-deps lint typecheck bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .

install-test: install
	$(BIN)/pip install --quiet -r requirements-test.lock

# Ports: `make run SOURCE_PORT=9080 DESK_PORT=9081 PUBLIC_PORT=9082`; each one left out
# comes from the instance's quietwire.toml (8080, 8081, 8082).
PORT_FLAGS = $(if $(SOURCE_PORT),--source-port $(SOURCE_PORT)) \
	$(if $(DESK_PORT),--desk-port $(DESK_PORT)) $(if $(PUBLIC_PORT),--public-port $(PUBLIC_PORT))

run: install
	@if [ ! -f $(DEMO)/quietwire.toml ]; then $(BIN)/quietwire init --dir $(DEMO) --demo; fi
	$(BIN)/quietwire serve --dir $(DEMO) $(PORT_FLAGS)

system-deps:
	@missing=0; for f in $(DEB_FILES); do [ -e $$f ] || missing=1; done; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing=1; \
	if [ $$missing = 1 ]; then \
	  echo "installing Debian packages: $(DEB_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES) >/dev/null; \
	fi

test: system-deps install-test
	$(BIN)/pytest -q -p no:cacheprovider

lint:
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

bench: install-test
	@echo "see BENCHMARKS.md for each benchmark's command"

clean:
	rm -rf $(VENV) var build *.egg-info
