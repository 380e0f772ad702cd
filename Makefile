# Accredit: two commands set everything up on a fresh Debian machine.
#   make run   serves the demo at http://localhost:8080 on the embedded store
#   make test  installs what is missing, starts a throwaway redis-server, runs go test -race

GO      ?= go
ADDR    ?= :8080
DATA    ?= ./data

.PHONY: run test build vet fuzz bench deps

build:
	$(GO) build -o bin/accredit ./cmd/accredit

run: build
	./bin/accredit serve --addr $(ADDR) --store bolt:$(DATA)/accredit.db --demo

test:
	./scripts/test.sh

vet:
	$(GO) vet ./...

# Short fuzzing pass over every parser of untrusted input.
fuzz:
	./scripts/fuzz.sh

bench:
	./scripts/bench.sh
