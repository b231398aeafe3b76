#!/usr/bin/env python3
"""Fit the simulator's efficiency knobs on the component measurements in Data/components/.

Prints, per GPU family (A100, H100), gemm_curve, flash_attention_curve, nvlink_bus_fraction,
network_bus_fraction and nvlink_latency_us, each with the rows it was fitted on (count, short source) and how far
those rows are from the fit. `--json` prints the same as JSON. Standard library only; deterministic.
Usage: python3 scripts/fit-components.py [--json] [--data DIR]
"""
import argparse, csv, json, math, os, re, statistics as st

PEAK = {"A100": 312.0, "H100": 989.0}    # dense bf16 TFLOP/s (Data/hardware/gpus.yaml)
NVLINK = {"A100": 300.0, "H100": 450.0}  # NVLink per-direction line rate, GB/s (half of gpus.yaml's nvlink_gb_per_s)
LARGE = 256 * 2**20                      # "large message" for the bus-bandwidth fraction
CALCULON = [[0.01, 0.10], [1, 0.60], [16, 0.90], [128, 0.95]]  # current gemm_curve in systems.yaml


def load(data, name):
    with open(os.path.join(data, name), newline="") as f:
        return list(csv.DictReader(f))


def short(url):
    """github.com/o/r/blob/<sha>/path/file -> o/r@sha8:file; github.com/o/r/issues/N -> o/r#N."""
    m = re.search(r"github\.com/([^/]+/[^/]+)/(?:blob|tree)/([0-9a-f]{8})[0-9a-f]*/(?:.*/)?([^/#]+)", url)
    if m:
        return "%s@%s:%s" % m.groups()
    m = re.search(r"github\.com/([^/]+/[^/]+)/(?:issues|pull)/(\d+)", url)
    return "%s#%s" % m.groups() if m else url


def prov(rows):
    """Rows a knob came from: count and sorted short sources."""
    return {"rows": len(rows), "sources": sorted({short(r["source_url"]) for r in rows})}


def family(text):
    return "A100" if "A100" in text else "H100" if ("H100" in text or "H200" in text) else None


def interp(pts, g):
    """The simulator's EfficiencyCurve: piecewise linear in log(GFLOP), flat outside."""
    if g <= pts[0][0]:
        return pts[0][1]
    if g >= pts[-1][0]:
        return pts[-1][1]
    for (a, fa), (b, fb) in zip(pts, pts[1:]):
        if g <= b:
            t = (math.log(g) - math.log(a)) / (math.log(b) - math.log(a))
            return fa + t * (fb - fa)


def errors(pts, xs, labels):
    """Max and mean |fit - row| / row over (gflop, fraction) rows, and the worst row."""
    e = [abs(interp(pts, g) - f) / f for g, f in xs]
    i = max(range(len(e)), key=lambda j: (e[j], -j))
    return {"max_abs_rel_err": round(max(e), 3), "mean_abs_rel_err": round(st.fmean(e), 3), "worst_row": labels[i]}


def sig2(x):
    return float("%.2g" % x)


def curve(pts):
    return [[sig2(g), round(f, 3)] for g, f in pts]


def binned_medians(xs, nbins):
    """nbins equal bins in log(GFLOP) from the smallest to the largest row; per non-empty bin one point
    (geometric mean GFLOP of its rows, median fraction of its rows)."""
    lo, hi = math.log(min(g for g, _ in xs)), math.log(max(g for g, _ in xs))
    bins = [[] for _ in range(nbins)]
    for g, f in xs:
        bins[min(nbins - 1, int((math.log(g) - lo) / (hi - lo) * nbins + 1e-9))].append((g, f))
    return [(math.exp(st.fmean(math.log(g) for g, _ in b)), st.median(f for _, f in b)) for b in bins if b]


def least_squares(xs, knots):
    """Fractions at fixed knots minimising the sum of squared relative errors of the interpolated curve
    (hat basis in log GFLOP, normal equations solved by Gauss-Jordan elimination)."""
    k = len(knots)
    a = [[0.0] * (k + 1) for _ in range(k)]
    for g, f in xs:
        basis = [interp([(kn, 1.0 if j == i else 0.0) for j, kn in enumerate(knots)], g) for i in range(k)]
        for i in range(k):
            a[i][k] += basis[i] * f / f**2
            for j in range(k):
                a[i][j] += basis[i] * basis[j] / f**2
    for c in range(k):
        p = max(range(c, k), key=lambda r: abs(a[r][c]))
        a[c], a[p] = a[p], a[c]
        for r in range(k):
            if r != c:
                m = a[r][c] / a[c][c]
                a[r] = [x - m * y for x, y in zip(a[r], a[c])]
    return [(knots[i], a[i][k] / a[i][i]) for i in range(k)]


def fit_gemm(fam, gemm):
    mamf = [r for r in gemm if r["dtype"] == "bf16" and r["gpu"] == fam + "-SXM"]
    out = {"mamf_fraction": [round(float(r["tflops"]) / float(r["peak_tflops"]), 3) for r in mamf]}
    if fam == "A100":  # best-shape figures only: no curve to fit
        other = [r for r in gemm if r["dtype"] == "bf16" and r["gpu"].startswith("A100") and r not in mamf]
        out.update(value=CALCULON, **prov(mamf + other), note=(
            "no size sweep for A100: keep Calculon's curve. Data supports only the best-shape MAMF %s of peak "
            "(SXM; PCIe %s); Calculon's 0.95 top exceeds it, gemm_scale absorbs the difference"
            % (out["mamf_fraction"][0], ", ".join(str(round(float(r["tflops"]) / 312, 3)) for r in other))))
        return out
    table = [r for r in gemm if r["dtype"] == "bf16" and r["gpu"].startswith("H100 (sm_90")]
    xs = [(2 * int(r["m"]) * int(r["n"]) * int(r["k"]) * int(r["batch"]) / 1e9,
           float(r["tflops"]) / float(r["peak_tflops"] or PEAK[fam])) for r in table]
    cap = max(out["mamf_fraction"])  # the best shape found by brute force bounds every point
    pts = [(g, min(f, cap)) for g, f in binned_medians(xs, 6)]
    labels = ["%sx%sx%s" % (r["m"], r["n"], r["k"]) for r in table]
    floor = min(2 * int(r["m"]) * int(r["n"]) * int(r["k"]) / (float(r["tflops"]) * 1e6) for r in table)
    big = max(xs)
    e1 = [abs(interp(pts, g) - f) / f for g, f in xs if g >= 1]
    out.update(value=curve(pts), **prov(table + mamf), **errors(pts, xs, labels),
               mean_abs_rel_err_ge_1_gflop=round(st.fmean(e1), 3), method=(
        "XLA sm_90 bf16 table, fraction = TFLOP/s / %g; 6 equal bins in log(GFLOP) over %.3g-%.3g GFLOP, point = "
        "(geometric-mean GFLOP, median fraction) of each bin's shapes; capped at the MAMF best shape %.3f "
        "(cap %s). Largest table shape %.3g GFLOP reaches %.3f; shortest call %.1f us (launch floor in the table)"
        % (PEAK[fam], min(xs)[0], big[0], cap, "binds" if any(f > cap for _, f in binned_medians(xs, 6)) else
           "does not bind", big[0], big[1], floor)))
    return out


def fit_attention(fam, att):
    rows = [r for r in att if r["kernel"] == "flash-attention-2" and r["direction"] == "fwd+bwd"
            and family(r["gpu"]) == fam]
    out = {}
    for name, sel in (("causal", ("yes",)), ("non_causal", ("no",)), ("combined", ("yes", "no"))):
        rs = sorted((r for r in rows if r["causal"] in sel), key=lambda r: (r["causal"], int(r["head_dim"]),
                                                                          int(r["seq_length"])))
        # x = forward GFLOP of one (sequence, head) item, 4·s²·d, halved when causal (the benchmark's convention)
        xs = [(4 * int(r["seq_length"]) ** 2 * int(r["head_dim"]) / 1e9 / (2 if r["causal"] == "yes" else 1),
               float(r["tflops"]) / PEAK[fam]) for r in rs]
        lo, hi = math.log(min(xs)[0]), math.log(max(xs)[0])
        knots = [sig2(math.exp(lo + i * (hi - lo) / 3)) for i in range(4)]
        pts = least_squares(xs, knots)
        labels = ["s=%s d=%s causal=%s" % (r["seq_length"], r["head_dim"], r["causal"]) for r in rs]
        out[name] = dict(value=curve(pts), **prov(rs), **errors(pts, xs, labels))
    out["method"] = ("FlashAttention-2 fwd+bwd rows only; fraction = TFLOP/s / %g (FLOPs as the benchmark counts "
                     "them: fwd+bwd = 3.5 x fwd); 4 knots log-spaced over the rows' GFLOP range (2 significant "
                     "digits), fractions by least squares on relative error. The simulator's flash path uses the "
                     "causal curve (x = 4*s^2*d/2, backward 2.5 x forward), unscaled by gemm_scale" % PEAK[fam])
    return out


def fit_cudnn(fam, att, flash):
    """cuDNN fused attention (what Transformer Engine runs) has forward rows only (FlashAttention-3 README figure).
    Its fwd+bwd curve is the FlashAttention-2 causal fwd+bwd curve scaled by the median ratio cuDNN fwd / FA2 fwd
    over the causal shapes both kernels were measured at (same figure, same s and d): the backward is assumed to
    gain what the forward gains."""
    fwd = {}
    for r in att:
        if family(r["gpu"]) == fam and r["direction"] == "fwd" and r["causal"] == "yes":
            fwd.setdefault(r["kernel"], {})[(int(r["seq_length"]), int(r["head_dim"]))] = float(r["tflops"])
    cudnn, fa2 = fwd.get("cudnn", {}), fwd.get("flash-attention-2", {})
    shared = sorted(set(cudnn) & set(fa2))
    if not shared:
        return {"note": "no cuDNN forward rows for %s: the flash curve stands in" % fam}
    ratios = sorted(cudnn[k] / fa2[k] for k in shared)
    ratio = ratios[len(ratios) // 2]
    pts = [(g, min(1.0, f * ratio)) for g, f in flash["causal"]["value"]]
    rows = [r for r in att if family(r["gpu"]) == fam and r["direction"] == "fwd" and r["causal"] == "yes"
            and r["kernel"] in ("cudnn", "flash-attention-2") and (int(r["seq_length"]), int(r["head_dim"])) in shared]
    return dict(value=[[g, round(f, 3)] for g, f in pts], ratio=round(ratio, 3),
                ratio_range=[round(ratios[0], 3), round(ratios[-1], 3)], **prov(rows),
                method="FA2 causal fwd+bwd curve x median(cuDNN fwd / FA2 fwd) over %d shared causal shapes" % len(shared))


def fit_fp8(fam, gemm):
    """FP8 GEMM efficiency relative to bf16: the best measured shapes' fractions of each precision's dense peak."""
    rows = [r for r in gemm if r["gpu"].upper().startswith(fam + "-SXM") and "ml-engineering" in r["source_url"]]
    best = {r["dtype"].lower()[:4]: float(r["tflops"]) / float(r["peak_tflops"]) for r in rows}
    if "fp8-" not in best or "bf16" not in best:
        return {"note": "no FP8 and bf16 best-shape rows for %s SXM: FP8 not priced" % fam}
    best["fp8"] = best.pop("fp8-")
    return dict(value=round(best["fp8"] / best["bf16"], 3), fp8=round(best["fp8"], 3), bf16=round(best["bf16"], 3),
                **prov(rows), method="MAMF best shape: (FP8 TFLOP/s / FP8 peak) / (bf16 TFLOP/s / bf16 peak)")


def nic_line(r):
    """Line rate (GB/s) the row's bus bandwidth is compared with: one NIC for per-NIC figures, else the node's."""
    rate = float(re.search(r"(\d+) ?Gb", r["gpu_or_system"]).group(1)) / 8
    many = re.search(r"(\d+)x (?:IB|ConnectX)", r["gpu_or_system"])
    return rate if ("per-NIC" in r["notes"] or not many) else rate * int(many.group(1))


def fit_nccl(fam, nccl):
    out, line = {}, NVLINK[fam]
    intra = [r for r in nccl if family(r["gpu_or_system"]) == fam and r["nodes"] == "1" and "NVLink" in r["interconnect"]]
    pairs = [r for r in intra if r["ranks"] != "8"]
    node = [r for r in intra if r["ranks"] == "8" and r["bus_bandwidth_GBps"]
            and (not r["bytes"] or int(r["bytes"]) >= LARGE)]  # large sweep sizes and quoted peak figures
    ring = [r for r in node if fam == "A100" or "RING" in r["collective"].upper() or "NVLS_ENABLE=0" in r["notes"]]
    nvls = [r for r in node if r not in ring]
    frac = [float(r["bus_bandwidth_GBps"]) / line for r in ring]
    out["nvlink_bus_fraction"] = dict(
        value=round(st.median(frac), 3), range=[round(min(frac), 3), round(max(frac), 3)], **prov(ring),
        method="median of busbw / %g GB/s over 8-GPU rows at >= 256 MiB or quoted peaks, ring algorithm only" % line)
    if nvls:
        f = [float(r["bus_bandwidth_GBps"]) / line for r in nvls]
        out["nvlink_bus_fraction"]["excluded_nvls"] = dict(
            rows=len(nvls), range=[round(min(f), 3), round(max(f), 3)], sources=prov(nvls)["sources"],
            note="NVLink SHARP (NVLS) all-reduce reduces in the switch: busbw exceeds the ring ceiling and even the "
                 "line rate, so it is not wire bandwidth; the simulator prices a ring, so these rows are left out")
    if pairs:
        out["nvlink_bus_fraction"]["excluded_pairs"] = prov(pairs)
    # alpha per ring step: the 4 smallest sizes of each timed sweep, bandwidth term removed, median / 2(n-1)
    bw = out["nvlink_bus_fraction"]["value"] * line * 1e9
    sweeps = {}
    for r in intra:
        if r["time_us"] and r["bytes"] and r["collective"] == "all_reduce" and r["ranks"] == "8":
            sweeps.setdefault(r["source_url"], []).append(r)
    if sweeps:
        alphas, used, fit_err = [], [], {}
        for url in sorted(sweeps):
            sw = sorted(sweeps[url], key=lambda r: int(r["bytes"]))
            n, small = int(sw[0]["ranks"]), sw[:4]
            alphas.append(st.median((float(r["time_us"]) - 2 * (n - 1) / n * int(r["bytes"]) / bw * 1e6) / (2 * (n - 1))
                                    for r in small))
            used += small
            e = [abs(2 * (n - 1) * alphas[-1] + 2 * (n - 1) / n * int(r["bytes"]) / bw * 1e6 - float(r["time_us"]))
                 / float(r["time_us"]) for r in sw]
            fit_err[short(url)] = {"rows": len(sw), "max_abs_rel_err": round(max(e), 2),
                                   "mean_abs_rel_err": round(st.fmean(e), 2),
                                   "worst_bytes": int(sw[max(range(len(e)), key=lambda j: (e[j], -j))]["bytes"])}
        out["nvlink_latency_us"] = dict(
            value=round(st.median(alphas), 2), **prov(used), smallest_bytes=[int(r["bytes"]) for r in used],
            method="median over the 4 smallest sizes of (time - ring bandwidth term) / 2(n-1); an effective alpha "
                   "(NCCL runs small sizes with LL protocol / tree / NVLS, not a ring); the error lines compare the "
                   "ring alpha-beta model with these knobs against every size of the sweep",
            alpha_beta_vs_sweep=fit_err)
    inter = [r for r in nccl if family(r["gpu_or_system"]) == fam and r["nodes"] != "1"
             and r["bus_bandwidth_GBps"] and "all_reduce" in r["collective"]]
    other = [r for r in nccl if family(r["gpu_or_system"]) == fam and r["nodes"] != "1" and r not in inter]
    if inter:
        f = [float(r["bus_bandwidth_GBps"]) / nic_line(r) for r in inter]
        out["network_bus_fraction"] = dict(
            value=round(st.median(f), 3), range=[round(min(f), 3), round(max(f), 3)], **prov(inter),
            per_row=["%s: %s / %g GB/s" % (short(r["source_url"]), r["bus_bandwidth_GBps"], nic_line(r)) for r in inter],
            method="median of all-reduce busbw / line rate of the NICs it ran over (per NIC, or the node's NICs)")
        if other:
            out["network_bus_fraction"]["not_fitted"] = ["%s: %s %s / %g GB/s = %.3f (not all-reduce)" % (
                short(r["source_url"]), r["collective"], r["bus_bandwidth_GBps"], nic_line(r),
                float(r["bus_bandwidth_GBps"]) / nic_line(r)) for r in other]
    return out


def show(key, v, ind="  "):
    """Plain-text rendering of the nested result, one knob per block."""
    if isinstance(v, dict):
        print("%s%s:" % (ind, key))
        for k, x in v.items():
            show(k, x, ind + "  ")
    else:
        print("%s%s: %s" % (ind, key, json.dumps(v) if not isinstance(v, str) else v))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Data",
                                                   "components"))
    a = ap.parse_args()
    gemm, att, nccl = (load(a.data, n) for n in ("gemm.csv", "attention.csv", "nccl.csv"))
    res = {}
    for fam in ("A100", "H100"):
        res[fam] = {"gemm_curve": fit_gemm(fam, gemm), "flash_attention_curve": fit_attention(fam, att)}
        res[fam]["cudnn_attention_curve"] = fit_cudnn(fam, att, res[fam]["flash_attention_curve"])
        res[fam]["fp8_gemm_ratio"] = fit_fp8(fam, gemm)
        res[fam].update(fit_nccl(fam, nccl))
    if a.json:
        print(json.dumps(res, indent=2))
        return
    for fam, knobs in res.items():
        print("== %s (peak %g TFLOP/s bf16, NVLink %g GB/s per direction%s) ==" % (
            fam, PEAK[fam], NVLINK[fam], "; H200 NVLink rows count here: same NVLink4" if fam == "H100" else ""))
        for k, v in knobs.items():
            show(k, v)
        print()


if __name__ == "__main__":
    main()
