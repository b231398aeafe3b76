# GrowthBench — the README's two commands are `make demo` and `make test`.
SWIFT ?= swift
SCENARIO ?= Scenarios/flm-101b-growth.yaml
SCRATCH ?= Scenarios/flm-101b-scratch.yaml
JOBS ?= 2

.PHONY: demo test deps build release clean bench-sim bench-accuracy corpora bench-train train-baseline mup-demo bench-growth growth-demo validate notebooks fuzz

## Install missing system packages, build in release, run the main job on the default scenario.
demo: deps corpora release
	.build/release/growthbench estimate $(SCENARIO)
	.build/release/growthbench compare $(SCENARIO) $(SCRATCH)
	.build/release/growthbench report $(SCENARIO) --vs $(SCRATCH) -o out/report

## Install missing system packages (Chromium for the browser checks, python3-venv for the notebooks, Slurm and
## munge for the job-array test), run every test, the fuzz suite on the release CLI, then execute every notebook
## against a small database built by it, then run a sweep as a job array on a real single-node Slurm
## (scripts/slurm-test.sh; its Slurm part needs root).
test:
	./scripts/install-deps.sh chromium python3-venv slurmctld slurmd slurm-client munge
	$(SWIFT) build --build-tests -j $(JOBS)
	$(SWIFT) test --skip-build --parallel --num-workers $(JOBS)
	$(SWIFT) build -c release -j $(JOBS) --product growthbench
	$(SWIFT) build -c release -j $(JOBS) --product growthbench-fuzz
	.build/release/growthbench-fuzz --binary .build/release/growthbench
	BIN=.build/release/growthbench ./scripts/notebooks.sh
	BIN=.build/release/growthbench ./scripts/slurm-test.sh

## Hardening (issue 18): every command of the release binary on 820 deterministic mutations of the shipped
## scenarios, hardware catalog, training configs and a checkpoint; fails on a crash, a hang, inf/nan or an unclear error.
fuzz: deps
	$(SWIFT) build -c release -j $(JOBS) --product growthbench
	$(SWIFT) build -c release -j $(JOBS) --product growthbench-fuzz
	.build/release/growthbench-fuzz --binary .build/release/growthbench

deps:
	./scripts/install-deps.sh

build: deps
	$(SWIFT) build -j $(JOBS)

release: deps
	$(SWIFT) build -c release -j $(JOBS)

## Simulator speed: DES events/s against a SimPy reference (same task graph), plan search wall time.
bench-sim: deps
	./scripts/bench-sim.sh

## Simulator accuracy (issue 16): every visible published run (Data/validation) the simulator can express, its signed
## error and MAPE per source; fails above 8 % overall (or over the rows no knob was fitted on), 12 % for a source, or
## under 40 rows.
bench-accuracy: deps
	$(SWIFT) build -c release -j $(JOBS) --product growthbench
	.build/release/growthbench accuracy --max-mape 8 --max-source-mape 12 --min-rows 40

## Trainer: real text domains from Debian packages into corpora/ (idempotent; never committed).
corpora:
	./scripts/build-corpora.sh

## Trainer: the baseline mini run on the real corpora (a few minutes on 2 cores).
train-baseline: corpora release
	.build/release/growthbench train Scenarios/mini/baseline.yaml

## Trainer speed: GrowthBench vs a PyTorch CPU reference (same model, data, threads) and the sgemm limit.
bench-train: deps
	./scripts/bench-train.sh

## µP: coordinate checks, the documented LR sweep (~40 min; resumable) and the transfer to width 1024 (~20 min).
mup-demo: corpora release
	-.build/release/growthbench coordcheck Scenarios/mini/mup-proxy.yaml --widths 64,128,256,512 --steps 5 --param mup --lr 1e-2 --seeds 16 --zero-init
	-.build/release/growthbench coordcheck Scenarios/mini/mup-proxy.yaml --widths 64,128,256,512 --steps 5 --param sp --lr 1e-2 --seeds 16 --zero-init
	.build/release/growthbench sweep Scenarios/mini/mup-sweep.yaml
	.build/release/growthbench transfer --from Scenarios/mini/mup-sweep.yaml --to Scenarios/mini/mup-proxy.yaml --width 1024

## Growth on the hot path: a step during an MSG ramp against the mask-free model of the same shape (ratio).
bench-growth: release
	.build/release/growth-overhead 10 2

## Growth vs scratch measured on the real corpora (issue 13; ~40 min on 2 cores, reuses finished runs).
growth-demo: corpora release
	.build/release/growthbench compare Scenarios/mini/growth.yaml Scenarios/mini/scratch.yaml --train

## The validation loop (issue 14): profile this machine, then predicted vs measured on the shipped suite
## (~30 min on 2 cores with issue 13's growth and scratch runs in the database, reused; ~65 min without).
validate: corpora release
	.build/release/growthbench calibrate
	.build/release/growthbench validate Scenarios/mini/validation.yaml

## Notebooks over a fresh small results database, executed headless into out/notebooks/ (venv on first use);
## `make test` runs it too, so a broken notebook fails CI.
notebooks: corpora release
	./scripts/install-deps.sh python3-venv
	./scripts/notebooks.sh

clean:
	rm -rf .build

.PHONY: slurm-test
## Sweeps on Slurm (issue 17): shards, job array on a real single-node Slurm, merge, cancel + --resume (root).
slurm-test:
	./scripts/install-deps.sh slurmctld slurmd slurm-client munge
	$(SWIFT) build -c release -j $(JOBS) --product growthbench
	BIN=.build/release/growthbench ./scripts/slurm-test.sh
