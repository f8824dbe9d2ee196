#!/usr/bin/env python3
"""Prints the bench/RESULTS.md section for one run of bench/run.sh, from JMH's JSON files.

Usage: report.py PEAK_JSON SIMD_JSON SCALAR_JSON HEADER_LINES...
       report.py step LABEL=JSON...     TrainStepBenchmark: medians over the runs of each label
       report.py breakdown < TEXT       a step's time by part, from `jfr print --events jdk.ExecutionSample`
       report.py conv JSON... (ConvBenchmark and SimdPeakBenchmark results of one JMH invocation;
                               ConvBenchmark results with kernel=scalar may come from further files)
"""
import json
import sys

# Floating-point operations per SimdPeakBenchmark operation (SimdPeakBenchmark.FLOPS).
PEAK_FLOPS = 24 * 2 * 16384
# Below the size of any object: what JMH's own per-iteration allocations amount to per call.
ALLOC_ZERO = 16.0

LAYERS = {(784, 256): 1, (256, 128): 2, (128, 64): 3, (64, 10): 4}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def alloc(entry):
    metrics = entry.get("secondaryMetrics", {})
    metric = metrics.get("gc.alloc.rate.norm", metrics.get("\u00b7gc.alloc.rate.norm"))
    return None if metric is None else metric["score"]


def describe(variant, m, k, n):
    if variant == "AB":
        return f"a ({m},{k}) · b ({k},{n})", f"forward, layer {LAYERS.get((k, n), '?')}: X·W"
    if variant == "ATB":
        return f"aᵀ · b, a ({k},{m}), b ({k},{n})", f"dW, layer {LAYERS.get((m, n), '?')}: Xᵀ·δ"
    return f"a · bᵀ, a ({m},{k}), b ({n},{k})", f"dX, layer {LAYERS.get((n, k), '?')}: δ·Wᵀ"


def main():
    peak_json, simd_json, scalar_json = sys.argv[1:4]
    header = sys.argv[4:]
    peak = {e["benchmark"].rsplit(".", 1)[1]: e["primaryMetric"]["score"] * PEAK_FLOPS / 1e9
            for e in load(peak_json)}
    peak1 = peak["fmaPeak1"]
    peak2 = peak["fmaPeak2"]

    rows = {}
    order = []
    for source, entries in (("simd", load(simd_json)), ("scalar", load(scalar_json))):
        for e in entries:
            p = e["params"]
            product = p["product"]
            variant, dims = product.split(":")
            m, k, n = (int(d) for d in dims.split("x"))
            gflops = e["primaryMetric"]["score"] * 2.0 * m * k * n / 1e9
            if product not in rows:
                rows[product] = {"variant": variant, "dims": (m, k, n)}
                order.append(product)
            rows[product][f"{source}{p['threads']}"] = gflops
            rows[product][f"{source}{p['threads']}_alloc"] = alloc(e)

    out = list(header)
    out.append("")
    out.append(f"FMA peak (`SimdPeakBenchmark`, 24 register fma chains): **{peak1:.1f} GFLOP/s** on 1 thread, "
               f"**{peak2:.1f}** on 2 threads ({peak2 / peak1:.2f}x).")
    if peak2 / peak1 < 1.7:
        out.append("")
        out.append(f"**The second core was busy during this run** (2-thread peak only {peak2 / peak1:.2f}x the 1-thread "
                   "peak): the 2-thread columns measure the machine, not the kernels. Re-run on a quiet machine.")
    out.append("")
    out.append("| product | shape | role | SIMD 1 thr GFLOP/s | % of 1-thr peak | SIMD 2 thr | % of 2-thr peak "
               "| 2 thr / 1 thr | scalar 1 thr | SIMD / scalar | alloc B/op (1 thr, 2 thr) |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def fmt(x, spec=".1f"):
        return "n/a" if x is None else format(x, spec)

    for product in order:
        r = rows[product]
        shape, role = describe(r["variant"], *r["dims"])
        s1, s2, sc = r.get("simd1"), r.get("simd2"), r.get("scalar1")
        a1, a2 = r.get("simd1_alloc"), r.get("simd2_alloc")
        out.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {}, {} |".format(
            r["variant"], shape, role, fmt(s1), fmt(None if s1 is None else 100 * s1 / peak1, ".0f") + "%",
            fmt(s2), fmt(None if s2 is None else 100 * s2 / peak2, ".0f") + "%",
            fmt(None if s1 is None or s2 is None else s2 / s1, ".2f") + "x", fmt(sc),
            fmt(None if s1 is None or not sc else s1 / sc, ".0f") + "x", fmt(a1, ".2f"), fmt(a2, ".2f")))

    def target(label, value, threshold, unit):
        ok = value is not None and value >= threshold
        shown = "n/a" if value is None else format(value, ".2f" if unit == "x" else ".0f")
        return f"| {label} | {shown}{unit} | >= {threshold:g}{unit} | {'met' if ok else 'NOT met'} |"

    fwd = rows.get("AB:128x784x256", {})
    dw = rows.get("ATB:784x128x256", {})
    dx = rows.get("ABT:128x256x784", {})
    pct = lambda r: None if r.get("simd1") is None else 100 * r["simd1"] / peak1
    ratio = lambda a, b: None if a is None or not b else a / b
    allocs = [v for r in rows.values() for key, v in r.items()
              if key.startswith("simd") and key.endswith("_alloc") and v is not None]
    worst_alloc = max(allocs) if allocs else None
    out.append("")
    out.append("| target | measured | needed | |")
    out.append("|---|---:|---:|---|")
    out.append(target("C = A·B 128×784·784×256, 1 thread, % of FMA peak", pct(fwd), 60, "%"))
    out.append(target("same, SIMD / scalar", ratio(fwd.get("simd1"), fwd.get("scalar1")), 20, "x"))
    out.append(target("Aᵀ·B 784×128·128×256 (dW), 1 thread, % of peak", pct(dw), 50, "%"))
    out.append(target("A·Bᵀ 128×256·256×784 (dX), 1 thread, % of peak", pct(dx), 50, "%"))
    out.append(target("C = A·B 128×784·784×256, 2 threads / 1 thread", ratio(fwd.get("simd2"), fwd.get("simd1")), 1.7, "x"))
    ok = worst_alloc is not None and worst_alloc < ALLOC_ZERO
    out.append(f"| allocation per call, worst SIMD product (JMH -prof gc) | {fmt(worst_alloc, '.2f')} B/op "
               f"| ≈ 0 (< {ALLOC_ZERO:g} B/op, less than one object) | {'met' if ok else 'NOT met'} |")
    print("\n".join(out))


# ---------------------------------------------------------------- TrainStepBenchmark (the whole step)

def step_main(args):
    """One table row per label (e.g. before=run1.json before=run2.json after=...), medians over its runs."""
    import statistics
    runs = {}
    for arg in args:
        label, path = arg.split("=", 1)
        for e in load(path):
            name = e["benchmark"].rsplit(".", 1)[1]
            key = (label, name, int(e["params"]["threads"]))
            runs.setdefault(key, []).append((e["primaryMetric"]["score"], alloc(e)))
    labels = list(dict.fromkeys(a.split("=", 1)[0] for a in args))

    def med(label, name, threads, i=0):
        values = [r[i] for r in runs.get((label, name, threads), []) if r[i] is not None]
        return statistics.median(values) if values else None

    def fmt(x, spec):
        return "n/a" if x is None else format(x, spec)

    def rng(label, name, threads):
        values = [r[0] for r in runs.get((label, name, threads), [])]
        return f"{min(values):.0f}-{max(values):.0f}" if values else "n/a"

    out = ["| build | step 1 thr µs (range) | step 2 thr µs (range) | step 2 thr / 1 thr | B/op (1, 2 thr) "
           "| epoch 1 thr ms (range) | epoch 2 thr ms (range) | epoch 2 thr / 1 thr | runs |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label in labels:
        s1, s2 = med(label, "step", 1), med(label, "step", 2)
        e1, e2 = med(label, "epoch", 1), med(label, "epoch", 2)
        out.append(f"| {label} | {fmt(s1, '.0f')} ({rng(label, 'step', 1)}) | {fmt(s2, '.0f')} ({rng(label, 'step', 2)}) "
                   f"| {fmt(None if not s1 or not s2 else s1 / s2, '.2f')}x "
                   f"| {fmt(med(label, 'step', 1, 1), '.0f')}, {fmt(med(label, 'step', 2, 1), '.0f')} "
                   f"| {fmt(e1, '.0f')} ({rng(label, 'epoch', 1)}) | {fmt(e2, '.0f')} ({rng(label, 'epoch', 2)}) "
                   f"| {fmt(None if not e1 or not e2 else e1 / e2, '.2f')}x "
                   f"| {len(runs.get((label, 'step', 1), []))} |")
    print("\n".join(out))


# The parts of a step, by the first frame from the top of a sample's stack that names one.
STEP_PARTS = [
    ("products (SimdGemm)", r"vecgrad\.kernel\.SimdGemm\."),
    ("Adam update", r"vecgrad\.kernel\.\w+\.adam\w*\("),
    ("finiteness checks", r"vecgrad\.kernel\.\w+\.(firstNonFinite|nonFiniteRange)\("),
    ("softmax and loss", r"vecgrad\.kernel\.\w+\.softmaxRows|vecgrad\.autodiff\.LossOps\."),
    ("elementwise (bias, ReLU, masks, column sums)", r"vecgrad\.kernel\.(Simd|Scalar)Kernels\."),
    ("waiting for the worker (Parallel)", r"vecgrad\.kernel\.Parallel\."),
    ("tape, buffers, layers (bookkeeping)", r"vecgrad\.(autodiff|nn|optim|tensor)\."),
]


def breakdown_main():
    """Percent of the JMH thread's and of the kernel worker's samples spent in each part of the step."""
    import collections
    import re
    parts = [(name, re.compile(rx)) for name, rx in STEP_PARTS]
    counts = collections.Counter()
    totals = collections.Counter()
    for block in sys.stdin.read().split("jdk.ExecutionSample")[1:]:
        m = re.search(r'sampledThread = "([^"]+)"', block)
        thread = m.group(1) if m else ""
        role = "JMH thread" if "jmh-worker" in thread else "kernel worker" if "vecgrad-kernel" in thread else None
        if role is None:
            continue
        totals[role] += 1
        part = "other"
        for frame in re.findall(r"^\s+([\w.$<>]+\(.*?\))\s+line:", block, re.M):
            part = next((name for name, rx in parts if rx.search(frame)), None)
            if part:
                break
        counts[(role, part or "other")] += 1
    out = ["| thread | samples | " + " | ".join(name for name, _ in STEP_PARTS) + " | other |",
           "|---|---:|" + "---:|" * (len(STEP_PARTS) + 1)]
    for role in ("JMH thread", "kernel worker"):
        if totals[role]:
            cells = [f"{100.0 * counts[(role, name)] / totals[role]:.1f}%" for name, _ in STEP_PARTS + [("other", None)]]
            out.append(f"| {role} | {totals[role]} | " + " | ".join(cells) + " |")
# ConvBenchmark's shapes (batch 128, 3x3 kernels, VALID): flops of one product, 2·N·OH·OW·KH·KW·C·F.
CONV_FLOPS = {"conv1": 2 * 128 * 26 * 26 * 3 * 3 * 1 * 32, "conv2": 2 * 128 * 11 * 11 * 3 * 3 * 32 * 64}
CONV_SHAPES = {
    "conv1": "(128,28,28,1) → (128,26,26,32), 3x3",
    "conv2": "(128,13,13,32) → (128,11,11,64), 3x3",
    "pool1": "(128,26,26,32) → (128,13,13,32), 2x2",
    "pool2": "(128,11,11,64) → (128,5,5,64), 2x2",
}
CONV_WHAT = {
    "forward": "im2col + cols·kernel", "poolForward": "max of each window and its argmax", "inputGrad": "g·kernelᵀ + col2im", "weightGrad": "colsᵀ·g",
    "im2col": "im2col alone", "col2im": "col2im alone", "backward": "scatter of g to the argmax",
}


def conv_main(paths):
    """The convolution table: ms per op, GFLOP/s and % of the FMA peak of the same invocation, after vs before."""
    entries = [e for path in paths for e in load(path)]
    peak = {e["benchmark"].rsplit(".", 1)[1]: e["primaryMetric"]["score"] * PEAK_FLOPS / 1e9
            for e in entries if "SimdPeakBenchmark" in e["benchmark"]}
    rows = {}
    order = []
    for e in entries:
        if "ConvBenchmark" not in e["benchmark"]:
            continue
        p = e["params"]
        key = p["op"]
        if key not in rows:
            rows[key] = {}
            order.append(key)
        rows[key][(p["kernel"], p["impl"], int(p["threads"]))] = (e["primaryMetric"]["score"], alloc(e))
    out = []
    p1, p2 = peak.get("fmaPeak1"), peak.get("fmaPeak2")
    if p1:
        out.append(f"FMA peak of the same invocation (`SimdPeakBenchmark`): **{p1:.1f} GFLOP/s** on 1 thread, "
                   f"**{p2:.1f}** on 2 threads ({p2 / p1:.2f}x).")
        out.append("")
    out.append("| op | shape | what | after 1 thr ms | GFLOP/s (% of peak) | after 2 thr ms | GFLOP/s (% of 2-thr peak) "
               "| before 1 thr ms | before 2 thr ms | before / after (1 thr, 2 thr) | scalar 1 thr GFLOP/s | alloc B/op after (1, 2 thr) |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def ms(v):
        return "n/a" if v is None else f"{1000 / v[0]:.2f}"

    def gflops(layer, what, v, pk):
        if v is None or layer not in CONV_FLOPS or what not in ("forward", "inputGrad", "weightGrad"):
            return "–"
        g = v[0] * CONV_FLOPS[layer] / 1e9
        return f"{g:.1f} ({100 * g / pk:.0f}%)" if pk else f"{g:.1f}"

    def ratio(a, b):
        return "n/a" if a is None or b is None else f"{a[0] / b[0]:.2f}x"

    for key in order:
        r = rows[key]
        layer, what = key.split(".")
        shown = "poolForward" if layer.startswith("pool") and what == "forward" else what
        a1, a2 = r.get(("simd", "after", 1)), r.get(("simd", "after", 2))
        b1, b2 = r.get(("simd", "before", 1)), r.get(("simd", "before", 2))
        sc = r.get(("scalar", "after", 1))
        allocs = ", ".join("n/a" if v is None or v[1] is None else f"{v[1]:.1f}" for v in (a1, a2))
        out.append(f"| {key} | {CONV_SHAPES[layer]} | {CONV_WHAT[shown]} | {ms(a1)} | {gflops(layer, what, a1, p1)} "
                   f"| {ms(a2)} | {gflops(layer, what, a2, p2)} | {ms(b1)} | {ms(b2)} | {ratio(a1, b1)}, {ratio(a2, b2)} "
                   f"| {gflops(layer, what, sc, None)} | {allocs} |")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "step":
        step_main(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "breakdown":
        breakdown_main()
    elif len(sys.argv) > 1 and sys.argv[1] == "conv":
        conv_main(sys.argv[2:])
    else:
        main()
