# The two commands of the README:
#   go run ./cmd/segmap   serve the embedded demo on :8080
#   make test             run every test (installs what the tests need first)

GO ?= go

.PHONY: test test-deps test-go test-browser lint fuzz bench web run

test: test-deps lint test-go test-browser

test-deps:
	bash .ci/install-test-deps

# The linters of .golangci.yml (goimports, errorlint, godot, unparam,
# gocritic); .ci/install-test-deps installs the pinned golangci-lint.
GOLANGCI_LINT ?= $(shell $(GO) env GOPATH)/bin/golangci-lint
lint:
	$(GOLANGCI_LINT) run ./...

# SEGMAP_REQUIRE_TOOLS=1 turns a missing external tool (ogrinfo, node) into a
# failure instead of a skip, so CI can never pass by skipping.
test-go:
	SEGMAP_REQUIRE_TOOLS=1 $(GO) test -count=1 ./...

test-browser:
	cd api/web && npm test

# Short fuzz runs of every parser (each FUZZTIME, default 10s).
FUZZTIME ?= 10s
fuzz:
	bash bench/fuzz.sh $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

web:
	cd api/web && npm ci && npm run build

run:
	$(GO) run ./cmd/segmap
