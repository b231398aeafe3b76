# GrowthBench — the README's two commands are `make demo` and `make test`.
SWIFT ?= swift
SCENARIO ?= Scenarios/flm-101b-growth.yaml
JOBS ?= 2

.PHONY: demo test deps build release clean bench-sim

## Install missing system packages, build in release, run the main job on the default scenario.
demo: deps release
	.build/release/growthbench inspect $(SCENARIO)

## Install missing system packages, then run every test.
test: deps
	$(SWIFT) build --build-tests -j $(JOBS)
	$(SWIFT) test --skip-build --parallel --num-workers $(JOBS)

deps:
	./scripts/install-deps.sh

build: deps
	$(SWIFT) build -j $(JOBS)

release: deps
	$(SWIFT) build -c release -j $(JOBS)

## Simulator speed: DES events/s against a SimPy reference (same task graph), plan search wall time.
bench-sim: deps
	./scripts/bench-sim.sh

clean:
	rm -rf .build
