#!/usr/bin/env bash
# Issue 17's test: sweeps as Slurm job arrays, sharded results, merge.
#   Part 1 (any user, no Slurm): a local run of Scenarios/mini/tiny-sweep.yaml is the reference; its 4 shards run
#     one by one and merged give the same results bit for bit; merging twice adds nothing; --dry-run prints the
#     array script; no sbatch on PATH, a failing sbatch, a corrupt shard and a shard of another sweep get clear
#     errors and leave the merged database as it was.
#   Part 2 (root only): a real single-node Slurm (munge, slurmctld, slurmd from Debian, configuration in a scratch
#     folder) runs the sweep as a 4-task array; merged, it equals the local run bit for bit. Then a slower sweep
#     has one array task cancelled mid-run, `--slurm --resume` submits only that shard, and the merge holds every
#     point exactly once, again equal to a local run. Scenarios/mini/tiny-validation.yaml runs as a 3-task array
#     (`validate --slurm`); `validate` on the merged database trains nothing and gives the local run's losses.
#     Daemons this script started are stopped by their pids.
# Synthetic text only (a clean clone has no corpora/). Usage: BIN=.build/release/growthbench scripts/slurm-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${BIN:-.build/debug/growthbench}")
[ -x "$BIN" ] || { echo "slurm-test: FAIL: $BIN is not built (swift build first)" >&2; exit 1; }
command -v python3 > /dev/null || { echo "slurm-test: FAIL: python3 is needed to read the databases" >&2; exit 1; }
T0=$(date +%s)
S=$(mktemp -d /tmp/gb-slurm-test.XXXXXX)
chmod 755 "$S"
SWEEP=$ROOT/Scenarios/mini/tiny-sweep.yaml
STARTED_PIDS=()
SLURM_LOGS=()

say() { echo "slurm-test [$(( $(date +%s) - T0 )) s]: $*"; }
dump_logs() {
  for f in "${SLURM_LOGS[@]}" "$S"/results*/logs/*.out; do
    [ -f "$f" ] || continue
    echo "----- $f (last 40 lines)" >&2
    tail -n 40 "$f" >&2
  done
}
fail() { echo "slurm-test: FAIL: $*" >&2; dump_logs; exit 1; }
# expect_error DESCRIPTION EXPECTED-TEXT COMMAND...: the command must fail and say EXPECTED-TEXT on stderr.
expect_error() {
  local what=$1 text=$2; shift 2
  if "$@" > "$S/out.txt" 2> "$S/err.txt"; then fail "$what: expected an error, the command succeeded: $*"; fi
  grep -qF -- "$text" "$S/err.txt" || fail "$what: expected '$text' in the error, got: $(cat "$S/err.txt")"
  say "ok: $what -> $(grep -F -- "$text" "$S/err.txt" | head -1 | cut -c1-220)"
}
# py SCRIPT ARGS...: a few lines of Python over the SQLite files.
py() { python3 -c "$1" "${@:2}"; }
# Every finished sweep point of DB: stage and its loss curve, 17 significant digits (one line per point).
points() {
  py '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for run_id, stage, status in db.execute("SELECT id, stage, status FROM run WHERE kind = \"sweep\" AND stage LIKE \"sweep/%\" AND status IN (\"completed\", \"diverged\") ORDER BY stage"):
    curve = db.execute("SELECT series, step, value FROM curve_point WHERE run_id = ? AND series IN (\"train_loss\", \"val_bpb:weighted:mixture\") ORDER BY series, step", (run_id,)).fetchall()
    print(stage, status, " ".join(f"{s}@{k}={v:.17g}" for s, k, v in curve))
' "$1"
}
# Same results: the --report-only JSON (table, verdicts) and every point's curves.
same_results() {  # REFERENCE-DB MERGED-DB SWEEP WHAT
  "$BIN" sweep "$3" --report-only --json --db "$1" --out "$S/report-ref" > "$S/ref.json" 2> "$S/report.err" || fail "$4: sweep --report-only on $1 failed: $(cat "$S/report.err")"
  "$BIN" sweep "$3" --report-only --json --db "$2" --out "$S/report-merged" > "$S/merged.json" 2> "$S/report.err" || fail "$4: sweep --report-only on $2 failed: $(cat "$S/report.err")"
  cmp -s "$S/ref.json" "$S/merged.json" || { diff "$S/ref.json" "$S/merged.json" | head -20 >&2; fail "$4: --report-only --json differs from the local run"; }
  cmp -s "$S/report-ref/tp5-figure1.svg" "$S/report-merged/tp5-figure1.svg" || fail "$4: the figure differs from the local run's"
  points "$1" | sed -E 's|^sweep/[^/]+/[^/]+/||' > "$S/ref.points"; points "$2" | sed -E 's|^sweep/[^/]+/[^/]+/||' > "$S/merged.points"
  [ -s "$S/ref.points" ] || fail "$4: the reference database holds no points"
  cmp -s "$S/ref.points" "$S/merged.points" || { diff "$S/ref.points" "$S/merged.points" | head -5 >&2; fail "$4: per-point curves differ from the local run"; }
  say "ok: $4: report, figure and $(wc -l < "$S/ref.points") points' curves equal the local run bit for bit"
}
counts() { py 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); print(*[d.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("scenario", "run", "metric", "curve_point")])' "$1"; }

cleanup() {
  local status=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then scancel --quiet --user=root 2> /dev/null || true; fi
  # Stop what we started, newest first, by pid.
  for (( i=${#STARTED_PIDS[@]}-1; i>=0; i-- )); do
    pid=${STARTED_PIDS[i]}
    kill "$pid" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
  done
  [ ${#STARTED_PIDS[@]} -eq 0 ] || say "stopped the daemons started here (pids ${STARTED_PIDS[*]})"
  if [ $status -eq 0 ]; then rm -rf "$S"; else echo "slurm-test: files kept in $S" >&2; fi
}
trap cleanup EXIT
set -E
trap 'echo "slurm-test: FAIL: line $LINENO: \`$BASH_COMMAND\` exited with status $?" >&2; dump_logs' ERR

# Synthetic text in the four domain files the tiny proxy mixes.
py '
import pathlib, sys
out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
for k, name in enumerate(["en-bible", "en-fortunes", "zh-fortunes", "code-python"]):
    docs = [" ".join(words[(d * 7 + i * (k + 3)) % len(words)] for i in range(120)) for d in range(200)]
    (out / f"{name}.txt").write_bytes(b"\0".join(d.encode() for d in docs))
' "$S/corpora"
C=(--corpora "$S/corpora")

# ---------------- Part 1: shards, merge and bad input, without Slurm ----------------
say "part 1: local reference run of $SWEEP"
"$BIN" sweep "$SWEEP" "${C[@]}" --db "$S/local.sqlite" --out "$S/out-local" > /dev/null 2>&1 || fail "local sweep failed"
for i in 0 1 2 3; do
  "$BIN" sweep "$SWEEP" "${C[@]}" --shard "$i/4" --db "$S/shards/shard-$i.sqlite" --out "$S/out-shards" > "$S/shard-$i.txt" 2>&1 \
    || { cat "$S/shard-$i.txt" >&2; fail "sweep --shard $i/4 failed"; }
done
grep -q "shard 0/4: 2 point(s)" "$S/shard-0.txt" || fail "shard 0/4 should run 2 of 8 points: $(cat "$S/shard-0.txt")"
"$BIN" merge "$S"/shards/shard-*.sqlite --into "$S/merged-local.sqlite" --sweep "$SWEEP" > "$S/merge.txt" || fail "merge failed: $(cat "$S/merge.txt")"
grep -q "All 8 points of the sweep are in" "$S/merge.txt" || fail "merge should report all 8 points: $(cat "$S/merge.txt")"
same_results "$S/local.sqlite" "$S/merged-local.sqlite" "$SWEEP" "4 shards run one by one, merged"
before=$(counts "$S/merged-local.sqlite")
"$BIN" merge "$S"/shards/shard-*.sqlite --into "$S/merged-local.sqlite" --sweep "$SWEEP" > "$S/merge2.txt" || fail "second merge failed"
[ "$(counts "$S/merged-local.sqlite")" = "$before" ] || fail "merging twice added rows: $before -> $(counts "$S/merged-local.sqlite")"
grep -q "0 run(s) added" "$S/merge2.txt" || fail "second merge should add no runs: $(cat "$S/merge2.txt")"
say "ok: merging the same shards again adds nothing (scenario/run/metric/curve rows: $before)"

"$BIN" sweep "$SWEEP" "${C[@]}" --slurm --shards 4 --array-parallel 2 --partition debug --time 0:10:00 --sbatch-arg --mem=1G \
  --results-dir "$S/results-dry" --dry-run > "$S/script.sh" || fail "--dry-run failed"
for line in "#SBATCH --array=0-3%2" "#SBATCH --partition=debug" "#SBATCH --time=0:10:00" "#SBATCH --mem=1G" \
            "--shard \"\${SLURM_ARRAY_TASK_ID}\"/4" "$S/results-dry/shard-\"\${SLURM_ARRAY_TASK_ID}\".sqlite"; do
  grep -qF -- "$line" "$S/script.sh" || fail "--dry-run script lacks '$line':\n$(cat "$S/script.sh")"
done
bash -n "$S/script.sh" || fail "the --dry-run script is not valid bash"
[ ! -e "$S/results-dry" ] || fail "--dry-run created $S/results-dry"
say "ok: --dry-run prints a valid array script (--array=0-3%2, one database per shard) and writes nothing"

mkdir -p "$S/nobin" "$S/fakebin"
expect_error "no sbatch on PATH" "sbatch not found on PATH" \
  env PATH="$S/nobin" "$BIN" sweep "$SWEEP" "${C[@]}" --slurm --results-dir "$S/results-nosbatch"
printf '#!/bin/sh\necho "sbatch: error: invalid partition specified: nope" >&2\nexit 1\n' > "$S/fakebin/sbatch"
chmod +x "$S/fakebin/sbatch"
expect_error "sbatch failing" "failed with exit status 1: sbatch: error: invalid partition specified: nope" \
  env PATH="$S/fakebin:$PATH" "$BIN" sweep "$SWEEP" "${C[@]}" --slurm --partition nope --results-dir "$S/results-badsbatch"
[ ! -e "$S/results-badsbatch/slurm-job.json" ] || fail "a failed submission was recorded as submitted"

# A shard of another sweep (same proxy, another name) and a corrupt shard: refused, the merged results intact.
sed -e 's/^name: tiny-sweep/name: other-sweep/' -e "s|^train: tiny-proxy.yaml|train: $ROOT/Scenarios/mini/tiny-proxy.yaml|" "$SWEEP" > "$S/other-sweep.yaml"
"$BIN" sweep "$S/other-sweep.yaml" "${C[@]}" --shard 0/8 --db "$S/other/shard-0.sqlite" --out "$S/out-other" > /dev/null 2>&1 || fail "other sweep shard failed"
head -c 3000 /dev/urandom > "$S/corrupt.sqlite"
cp "$S/shards/shard-1.sqlite" "$S/truncated.sqlite"; truncate -s 6000 "$S/truncated.sqlite"
expect_error "shard of another sweep" "other/shard-0.sqlite: holds runs of sweep 'other-sweep'" \
  "$BIN" merge "$S/other/shard-0.sqlite" --into "$S/merged-local.sqlite" --sweep "$SWEEP"
expect_error "corrupt shard" "corrupt.sqlite: not a readable SQLite database" \
  "$BIN" merge "$S/corrupt.sqlite" --into "$S/merged-local.sqlite" --sweep "$SWEEP"
expect_error "truncated shard" "truncated.sqlite: not a readable SQLite database" \
  "$BIN" merge "$S/truncated.sqlite" --into "$S/merged-local.sqlite"
expect_error "shards of two sweeps without --sweep" "holds runs of sweep 'other-sweep'" \
  "$BIN" merge "$S/shards/shard-0.sqlite" "$S/other/shard-0.sqlite" --into "$S/merged-local.sqlite"
[ "$(counts "$S/merged-local.sqlite")" = "$before" ] || fail "refused merges changed the merged database"
same_results "$S/local.sqlite" "$S/merged-local.sqlite" "$SWEEP" "after the refused merges"

# The tiny validation suite run locally: the reference for its Slurm run (a one-device profile written here, so
# no `calibrate` is needed; its predictions mean nothing, the measured losses are what is compared).
SUITE=$ROOT/Scenarios/mini/tiny-validation.yaml
export GROWTHBENCH_LOCAL_PROFILE=$S/profile.yaml
cat > "$GROWTHBENCH_LOCAL_PROFILE" <<'EOF'
gpus:
  - {name: cpu, memory_gib: 16, peak_bf16_tflops: 0.08, hbm_gb_per_s: 20, nvlink_gb_per_s: 1, tdp_watts: 20, sources: [test]}
systems:
  - name: local
    gpu: cpu
    gpus_per_node: 1
    nics_per_node: 1
    nic_gbit_per_s: 1
    stack: minigpt
    threads: 1
    efficiency: {gemm_curve: [[1, 0.5]], gemm_scale: 1, attention_curve: [[1, 0.2]], hbm_fraction: 1, nvlink_bus_fraction: 1,
                 network_bus_fraction: 1, nvlink_latency_us: 0, network_latency_us: 0, kernel_launch_us: 5,
                 kernels_per_layer_forward: 9, step_overhead_us: 50}
    sources: [test]
EOF
"$BIN" validate "$SUITE" "${C[@]}" --data "$ROOT/Data" --db "$S/vlocal.sqlite" --out "$S/vout-local" --json > "$S/vlocal.json" 2> "$S/v.err" \
  || fail "local validate failed: $(tail -5 "$S/v.err")"
say "local validate of $SUITE done (the reference for its job array)"

# ---------------- Part 2: a real single-node Slurm ----------------
if [ "$(id -u)" -ne 0 ]; then
  say "SKIPPED part 2 (real Slurm): needs root to start munged, slurmctld and slurmd; run \`sudo make test\` or as root"
  exit 0
fi
for p in munged slurmctld slurmd sbatch squeue scontrol scancel; do
  command -v "$p" > /dev/null || fail "$p not installed: ./scripts/install-deps.sh slurmctld slurmd slurm-client munge"
done

say "part 2: starting munge, slurmctld and slurmd (configuration in $S/slurm)"
if ! { munge -n 2> /dev/null | unmunge > /dev/null 2>&1; }; then
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge
  chown -R munge:munge /var/log/munge /var/lib/munge /etc/munge
  rm -f /run/munge/munged.pid
  runuser -u munge -- munged || fail "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  STARTED_PIDS+=("$(cat /run/munge/munged.pid)")
  SLURM_LOGS+=(/var/log/munge/munged.log)
else
  say "munged already running: using it"
fi
munge -n | unmunge > /dev/null || fail "munge does not work (munge -n | unmunge)"

D=$S/slurm
mkdir -p "$D/state" "$D/spool"
HOST=$(hostname -s)
PORT=$(( 20000 + RANDOM % 20000 ))
export SLURM_CONF=$D/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=gbtest
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$(( PORT + 1 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=600
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1024 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
SLURM_LOGS+=("$D/slurmctld.log" "$D/slurmd.log")
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
for _ in $(seq 50); do [ -s "$D/slurmctld.pid" ] && break; sleep 0.1; done
STARTED_PIDS+=("$(cat "$D/slurmctld.pid")")
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 50); do [ -s "$D/slurmd.pid" ] && break; sleep 0.1; done
STARTED_PIDS+=("$(cat "$D/slurmd.pid")")
for _ in $(seq 60); do
  state=$(sinfo -h -o %T 2> /dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || fail "the node is not idle after 30 s (sinfo: '$state')"
say "Slurm up: node $HOST idle, $(nproc) CPUs (slurmctld port $PORT)"

# wait_job JOB WHAT: until no task of JOB is queued or running (3 minutes at most); then each task's state.
wait_job() {
  local job=$1
  for _ in $(seq 360); do
    [ -z "$(squeue -h -j "$job" 2> /dev/null)" ] && break
    sleep 0.5
  done
  [ -z "$(squeue -h -j "$job" 2> /dev/null)" ] || fail "$2: job $job still queued or running after 3 minutes: $(squeue -j "$job")"
  scontrol -o show job "$job" | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z_]*' | paste - - | sed 's/JobId=[0-9]* //'
}
# submit COMMAND ARGS...: COMMAND --slurm, returns the job id (from --json).
submit() {
  "$BIN" "$@" --slurm --json > "$S/submit.json" 2> "$S/submit.err" || fail "submission failed: $(cat "$S/submit.err")"
  py 'import json, sys; print(json.load(open(sys.argv[1]))["jobId"])' "$S/submit.json"
}

# 2a: the sweep as a 4-task array, merged, against the local run.
job=$(submit sweep "$SWEEP" "${C[@]}" --shards 4 --cpus-per-task 1 --time 0:05:00 --results-dir "$S/results")
say "submitted job $job (4 array tasks); waiting"
states=$(wait_job "$job" "4-task array")
echo "$states" | sed 's/^/    /'
[ "$(echo "$states" | grep -c 'JobState=COMPLETED')" -eq 4 ] || fail "expected 4 COMPLETED array tasks, got:\n$states"
"$BIN" merge "$S"/results/shard-*.sqlite --into "$S/merged-slurm.sqlite" --sweep "$SWEEP" > "$S/merge.txt" || fail "merge failed: $(cat "$S/merge.txt")"
grep -q "All 8 points" "$S/merge.txt" || fail "after the array, points are missing: $(cat "$S/merge.txt")"
same_results "$S/local.sqlite" "$S/merged-slurm.sqlite" "$SWEEP" "Slurm 4-task array, merged"
"$BIN" sweep "$SWEEP" --report-only --db "$S/merged-slurm.sqlite" --out "$S/report-slurm" 2> /dev/null | sed -n '1,8p' | sed 's/^/    /'

# 2b: a slower sweep; cancel array task 1 once it has written a checkpoint, then --resume. Its length is fitted to
# this machine and build: task 1's two width-32 points take about 6 s each, so the cancel lands mid-run.
slow_sweep() {  # STEPS: writes $S/slow-proxy.yaml and $S/slow-sweep.yaml (checkpoints every STEPS/6 steps)
  sed -e 's/^name: tiny-proxy/name: tiny-proxy-slow/' -e "s/steps: 12,/steps: $1,/" \
      -e "s/eval_every: 12, checkpoint_every: 4/eval_every: $1, checkpoint_every: $(( $1 / 6 ))/" Scenarios/mini/tiny-proxy.yaml > "$S/slow-proxy.yaml"
  sed -e 's/^name: tiny-sweep/name: tiny-sweep-slow/' -e "s|^train: tiny-proxy.yaml|train: slow-proxy.yaml|" "$SWEEP" > "$S/slow-sweep.yaml"
}
slow_sweep 240
t0=$(date +%s%N)
"$BIN" sweep "$S/slow-sweep.yaml" "${C[@]}" --shard 1/4 --db "$S/timing.sqlite" --out "$S/out-timing" > /dev/null 2>&1 || fail "timing run failed"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
steps=$(( 240 * 12000 / (ms > 1 ? ms : 1) / 60 * 60 ))
steps=$(( steps < 240 ? 240 : (steps > 12000 ? 12000 : steps) ))
slow_sweep "$steps"
say "task 1 of the slow sweep took $ms ms at 240 steps per point: $steps steps per point"
job=$(submit sweep "$S/slow-sweep.yaml" "${C[@]}" --shards 4 --cpus-per-task 1 --results-dir "$S/results-slow")
say "submitted job $job (slow sweep); cancelling task 1 after its first checkpoint"
for _ in $(seq 600); do
  [ -n "$(find "$S/results-slow/out" -path '*w32_lr0.001*' -name '*.ckpt' 2> /dev/null | head -1)" ] && break
  sleep 0.1
done
[ -n "$(find "$S/results-slow/out" -path '*w32_lr0.001*' -name '*.ckpt' | head -1)" ] || fail "task 1 wrote no checkpoint within 60 s"
scancel "${job}_1"
states=$(wait_job "$job" "slow array")
echo "$states" | sed 's/^/    /'
echo "$states" | grep 'ArrayTaskId=1' | grep -q CANCELLED || fail "task 1 should be CANCELLED:\n$states"
"$BIN" merge "$S"/results-slow/shard-*.sqlite --into "$S/merged-slow.sqlite" --sweep "$S/slow-sweep.yaml" > "$S/merge.txt" || fail "merge failed"
grep -q "points still missing" "$S/merge.txt" || fail "after cancelling task 1 the merge should report missing points: $(cat "$S/merge.txt")"
say "merge after the cancel: $(grep 'still missing' "$S/merge.txt" | cut -c1-160)"
job2=$(submit sweep "$S/slow-sweep.yaml" "${C[@]}" --resume --results-dir "$S/results-slow")
tasks=$(py 'import json, sys; print(json.load(open(sys.argv[1]))["tasks"])' "$S/submit.json")
[ "$tasks" = "[1]" ] || fail "--resume should submit only task 1, submitted $tasks"
say "--resume submitted job $job2 with tasks $tasks only; waiting"
states=$(wait_job "$job2" "resumed task")
echo "$states" | grep -q COMPLETED || fail "resumed task did not complete:\n$states"
"$BIN" merge "$S"/results-slow/shard-*.sqlite --into "$S/merged-slow.sqlite" --sweep "$S/slow-sweep.yaml" > "$S/merge.txt" || fail "merge after resume failed"
grep -q "All 8 points" "$S/merge.txt" || fail "after --resume, points are missing: $(cat "$S/merge.txt")"
once=$(py '
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
rows = d.execute("SELECT stage, count(*) FROM run WHERE kind = \"sweep\" AND stage LIKE \"sweep/tiny-sweep-slow/%\" GROUP BY stage").fetchall()
print(len(rows), sorted(set(n for _, n in rows)))' "$S/merged-slow.sqlite")
[ "$once" = "8 [1]" ] || fail "every point exactly once expected, got (points, runs per point): $once"
"$BIN" sweep "$S/slow-sweep.yaml" "${C[@]}" --db "$S/local-slow.sqlite" --out "$S/out-local-slow" > /dev/null 2>&1 || fail "local slow sweep failed"
same_results "$S/local-slow.sqlite" "$S/merged-slow.sqlite" "$S/slow-sweep.yaml" "cancelled task + --resume, merged"
resumed=$(py '
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
print(d.execute("SELECT count(*) FROM run WHERE status IN (\"failed\", \"interrupted\") AND result_json LIKE \"%resumed_as_run%\"").fetchone()[0])' "$S/results-slow/shard-1.sqlite")
[ "$resumed" = 1 ] || fail "the resumed task should continue the cancelled point from its checkpoint (one run marked resumed_as_run in shard-1.sqlite), found $resumed"
say "ok: every point exactly once after cancel + --resume (the cancelled point continued from its checkpoint)"
"$BIN" sweep "$S/slow-sweep.yaml" "${C[@]}" --slurm --resume --results-dir "$S/results-slow" > "$S/out.txt" || fail "--resume of a finished sweep failed"
grep -q "Nothing to submit" "$S/out.txt" || fail "--resume of a finished sweep should submit nothing: $(cat "$S/out.txt")"
say "ok: --resume of a finished sweep submits nothing"
# 2c: the validation suite's 7 runs as a 3-task array; validate on the merge reuses them all.
job=$(submit validate "$SUITE" "${C[@]}" --shards 3 --cpus-per-task 1 --results-dir "$S/results-validate")
say "submitted job $job (validate: 3 array tasks for 7 runs); waiting"
states=$(wait_job "$job" "validate array")
[ "$(echo "$states" | grep -c 'JobState=COMPLETED')" -eq 3 ] || fail "expected 3 COMPLETED validate tasks, got:\n$states"
"$BIN" merge "$S"/results-validate/shard-*.sqlite --into "$S/vmerged.sqlite" > "$S/merge.txt" || fail "validate merge failed: $(cat "$S/merge.txt")"
"$BIN" validate "$SUITE" "${C[@]}" --data "$ROOT/Data" --db "$S/vmerged.sqlite" --out "$S/vout-merged" --json > "$S/vmerged.json" 2> "$S/v.err" \
  || fail "validate on the merged database failed: $(tail -5 "$S/v.err")"
! grep -q ": training " "$S/v.err" || fail "validate on the merged database trained again: $(grep ': training ' "$S/v.err" | head -3)"
[ "$(grep -c 'reusing finished run' "$S/v.err")" -eq 7 ] || fail "expected 7 reused runs: $(cat "$S/v.err")"
py '
import json, sys
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k != "runId"}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
a, b = (strip(json.load(open(f))["loss"]) for f in sys.argv[1:3])
sys.exit(0 if a == b else "validate: the loss section (proxies, fit, targets) differs from the local run")
' "$S/vlocal.json" "$S/vmerged.json" || fail "validate job array: losses differ from the local run"
say "ok: validate as a 3-task array, merged: all 7 runs reused, losses, fit and prediction equal the local run bit for bit"

say "PASS in $(( $(date +%s) - T0 )) s"
