# AI Naukar — two commands on a fresh Debian/Ubuntu machine:
#   make run    build and open the counter app
#   make test   install what the tests need, then run every test
SHELL := /bin/bash
GO ?= go
export LANG ?= en_IN.UTF-8
PKGS := ./...

.PHONY: run test deps build bench bench-huge vet fmt server dist dist-check

# Stamped into builds (naukar --version, the About screen, the server's log).
VERSION ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS := -X github.com/ainaukar/naukar/app/version.version=$(VERSION) -X github.com/ainaukar/naukar/app/version.commit=$(COMMIT) \
           -X github.com/ainaukar/naukar/app/version.date=$(shell date -u +%Y-%m-%d)

deps:
	@bash .ci/deps.sh

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/naukar .
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/naukar-server ./server/cmd/naukar-server

run: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/naukar . && ./bin/naukar

server:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/naukar-server ./server/cmd/naukar-server && ./bin/naukar-server

test: deps
	bash .ci/test.sh

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -l -w app sync server packaging main.go main_windows.go

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./app/... ./server/... ./sync/...

# The speed targets on the huge demo books (1,000,000 products, 50,000 parties,
# 5,000,000 invoices), made once by the bulk generator into the temp folder
# (about 27 GB; each package works on a copy, so twice that free, and the
# backup benchmark writes a backup beside its copy: three times). Not part of
# make test. NAUKAR_BENCH_SIZE=huge:N make bench-huge keeps N invoices of history.
NAUKAR_BENCH_SIZE ?= huge
HUGE := NAUKAR_BENCH_SIZE=$(NAUKAR_BENCH_SIZE) $(GO) test -run '^$$' -timeout 300m
bench-huge:
	$(HUGE) -bench 'SaveInvoice8Lines$$|SearchTop20|BarcodeLookup|OpenFirstScreen|CountLowStock' ./app/store/
	$(HUGE) -bench 'StartToBilling|ScanItem|SaveBill|OpenInvoices|OpenProducts$$' ./app/ui/
	$(HUGE) -bench 'GSTR1Month|PnLYear|StockValuationYear' -benchtime 3x ./app/reports/
	$(HUGE) -bench 'BackupLarge|QuickCheckLarge' -benchtime 1x ./app/backup/

# Release files into dist/: Windows installer, .deb packages, signed update
# manifest and checksums (packaging/dist.sh says what and how).
dist: deps
	bash .ci/deps.sh dist
	VERSION=$(VERSION) bash packaging/dist.sh

# make dist, then install the .deb files on this machine, run them, check
# the installer's contents and uninstall (what CI does; needs root).
dist-check: dist
	bash .ci/dist-check.sh
