# AI Naukar — two commands on a fresh Debian/Ubuntu machine:
#   make run    build and open the counter app
#   make test   install what the tests need, then run every test
SHELL := /bin/bash
GO ?= go
export LANG ?= en_IN.UTF-8
PKGS := ./...

.PHONY: run test deps build bench vet fmt server

deps:
	@bash .ci/deps.sh

build: deps
	$(GO) build -o bin/naukar .
	$(GO) build -o bin/naukar-server ./server/cmd/naukar-server

run: deps
	$(GO) build -o bin/naukar . && ./bin/naukar

server:
	$(GO) build -o bin/naukar-server ./server/cmd/naukar-server && ./bin/naukar-server

test: deps
	bash .ci/test.sh

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -l -w app sync server main.go

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./app/... ./server/... ./sync/...
