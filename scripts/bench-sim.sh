#!/usr/bin/env bash
# Simulator speed benchmark: GrowthBench's discrete-event engine against a SimPy reference running the same
# task graph (FLM-101B 101B stage, one iteration), plus the wall time of the plan search for 192 GPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-bench-sim
swift build -c release --product growthbench >/dev/null
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "simpy==4.1.1"
fi
graph=$(mktemp -t growthbench-graph-XXXX.json)
trap 'rm -f "$graph"' EXIT
swift_json=$(.build/release/growthbench bench-sim Scenarios/flm-101b-growth.yaml --stage 101B --export-graph "$graph" --json --db "$(mktemp -u).sqlite")
py_json=$("$VENV/bin/python" Benchmarks/reference/simpy_pipeline.py "$graph" 5)
python3 - "$swift_json" "$py_json" <<'PY'
import json, sys
s, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"Iteration graph of FLM-101B's 101B stage: {s['tasks']:,} tasks, {s['events']:,} events")
print(f"{'':24}{'GrowthBench':>16}{'SimPy ' + p['simpy']:>16}")
print(f"{'seconds per iteration':24}{s['secondsPerRun']*1000:>13.2f} ms{p['secondsPerRun']*1000:>13.1f} ms")
print(f"{'events per second':24}{s['eventsPerSecond']/1e6:>14.2f} M{p['eventsPerSecond']/1e6:>14.3f} M")
print(f"{'simulated iteration':24}{s['makespan']:>14.4f} s{p['makespan']:>14.4f} s")
print(f"ratio (events/s, GrowthBench / SimPy): {s['eventsPerSecond']/p['eventsPerSecond']:.1f}x   (goal >= 30x)")
print(f"plan search for {s['gpus']} GPUs: {s['planLayoutsSimulated']} layouts simulated in {s['planSeconds']:.2f} s on {s['threads']} cores   (goal < 2 s)")
# The two engines run the same graph, so they must agree on its length; then the speed goals.
failures = []
gap = abs(s['makespan'] - p['makespan']) / p['makespan']
if gap > 1e-9:
    failures.append(f"makespans differ: GrowthBench {s['makespan']!r} s, SimPy {p['makespan']!r} s (relative {gap:.2e})")
else:
    print(f"makespans equal: relative difference {gap:.1e} (tolerance 1e-9)")
if s['eventsPerSecond'] / p['eventsPerSecond'] < 30:
    failures.append("events/s ratio below 30x")
if s['planSeconds'] >= 2:
    failures.append(f"plan search took {s['planSeconds']:.2f} s (goal < 2 s)")
if failures:
    print("FAIL: " + "; ".join(failures))
    sys.exit(1)
print("PASS")
PY
