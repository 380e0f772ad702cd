# Accredit: two commands set everything up on a fresh Debian machine.
#   make run   serves the demo at http://localhost:8080 on the embedded store
#   make reset-demo  removes the demo's state (data/), so that the next make run starts clean
#   make test  installs what is missing, starts a throwaway redis-server, runs go test -race

GO      ?= go
ADDR    ?= :8080
DATA    ?= ./data

.PHONY: run reset-demo test build vet fuzz bench deps

build:
	$(GO) build -o bin/accredit ./cmd/accredit

# The demo signs its audit log with a key of its own, made on first run.
run: build
	@test -f $(DATA)/audit.key || { mkdir -p $(DATA) && ./bin/accredit audit keygen --name accredit-demo/audit > $(DATA)/audit.key; }
	./bin/accredit serve --addr $(ADDR) --store bolt:$(DATA)/accredit.db --audit-key $(DATA)/audit.key --demo

# Everything the demo stores is under $(DATA): its store, audit key and standard-setting files.
reset-demo:
	rm -rf $(DATA)

test:
	./scripts/test.sh

vet:
	$(GO) vet ./...

# Short fuzzing pass over every parser of untrusted input.
fuzz:
	./scripts/fuzz.sh

bench:
	./scripts/bench.sh
