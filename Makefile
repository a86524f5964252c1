# piimask — common tasks. `make quickstart` and `make test` are the README's
# two set-up commands for a fresh machine.
GO      ?= go
BIN     := bin/piimask
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all setup setup-test build quickstart test test-short bench fmt vet lint clean image

# Container engine for `make image`: docker, else podman, else buildah.
ENGINE  ?= $(shell command -v docker || command -v podman || command -v buildah)
IMAGE   ?= ghcr.io/piimask/piimask:$(VERSION)

all: build

setup:
	@scripts/setup.sh

setup-test: setup
	@scripts/setup-test.sh

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/piimask

# The container image (Dockerfile). Without an engine, deploy/image_test.go
# runs the same build steps on the host.
image:
	@test -n "$(ENGINE)" || { echo "make image: no docker, podman or buildah found (set ENGINE=…)" >&2; exit 1; }
	$(ENGINE) build --build-arg VERSION=$(VERSION) -t $(IMAGE) -f Dockerfile .

quickstart: setup build
	$(BIN) run configs/quickstart.yaml

test: setup-test
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) test -count=1 -timeout 20m ./...

test-short:
	$(GO) test -short ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 2x ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

# golangci-lint (.golangci.yml) at the version scripts/setup-golangci-lint.sh
# pins; LINT_PKGS narrows it (e.g. make lint LINT_PKGS=./jobs/config/...).
LINT_PKGS ?= ./...
lint:
	scripts/setup-golangci-lint.sh
	bin/golangci-lint run $(LINT_PKGS)

clean:
	rm -rf bin out
