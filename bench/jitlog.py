#!/usr/bin/env python3
"""Where C2's time goes in a HotSpot compilation log: the figures of bench/RESULTS.md, "Session 7".

Record a log (JDK 17 or 25; no JFR, which adds compilations of its own), then read it:

    java -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=target/jit.log \
        --add-modules jdk.incubator.vector -cp target/benchmarks.jar vecgrad.bench.CompareRun \
        --model mlp --method fit --epochs 2
    python3 bench/jitlog.py target/jit.log [--window 0.5]

It prints C2's total time; its time by group (vecgrad's kernels, the rest of vecgrad, the Vector
API's generic Java path, the rest of the JDK) in windows of the run's time; and when each of
vecgrad's kernel methods finished its first normal (not OSR) C2 compilation, which says whether the
warm-up compiled it or the first epoch did. Stamps are seconds since the JVM started.
"""

import argparse
import collections
import re
import sys

# One C2 (or C1) task and its end, within one compiler thread's section of the log. C1 tasks carry
# level='1'..'3'; C2's carry no level attribute.
TASK = re.compile(
    r"<task compile_id='\d+' (?:compile_kind='(\w+)' )?method='([^']+)'([^>]*?)stamp='([\d.]+)'"
    r".*?<task_done success='\d'[^>]*stamp='([\d.]+)'",
    re.S)


def c2_tasks(text):
    """(start, end, method, osr) of every C2 task in the log."""
    tasks = []
    for section in re.split(r"<compilation_log thread='\d+'>", text)[1:]:
        for m in TASK.finditer(section):
            kind, method, attrs, start, end = m.groups()
            if "level=" in attrs:
                continue
            tasks.append((float(start), float(end), method.replace("&lt;", "<").replace("&gt;", ">"), kind == "osr"))
    return tasks


def group(method):
    if method.startswith("vecgrad.kernel."):
        return "vecgrad kernels"
    if method.startswith("vecgrad."):
        return "vecgrad, other"
    if method.startswith("jdk.incubator.vector.") or method.startswith("jdk.internal.vm.vector."):
        return "Vector API generic path"
    return "JDK, other"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", help="a file written by -XX:+LogCompilation")
    parser.add_argument("--window", type=float, default=0.5, help="seconds per window (default 0.5)")
    args = parser.parse_args(argv)
    if args.window <= 0:
        parser.error(f"--window must be positive, got {args.window}")
    try:
        with open(args.log, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        parser.error(f"cannot read {args.log}: {e}")
    tasks = c2_tasks(text)
    if not tasks:
        parser.error(f"{args.log}: no C2 task found; expected a log of -XX:+LogCompilation")

    groups = ["vecgrad kernels", "vecgrad, other", "Vector API generic path", "JDK, other"]
    total = collections.Counter()
    windows = collections.defaultdict(collections.Counter)
    for start, end, method, _ in tasks:
        ms = (end - start) * 1000
        total[group(method)] += ms
        windows[int(start / args.window)][group(method)] += ms
    print(f"C2: {sum(total.values()):.0f} ms in {len(tasks)} compilations")
    for g in groups:
        print(f"  {g:<24} {total[g]:7.0f} ms")
    print()
    print(f"{'window, s':<12}" + "".join(f"{g:>26}" for g in groups))
    for w in sorted(windows):
        label = f"{w * args.window:.1f}-{(w + 1) * args.window:.1f}"
        print(f"{label:<12}" + "".join(f"{windows[w][g]:>23.0f} ms" for g in groups))
    print()
    print("vecgrad kernel methods: end of the first normal C2 compilation (s), and of any OSR one before it")
    first = {}
    osr = {}
    for start, end, method, is_osr in sorted(tasks):
        if not method.startswith("vecgrad.kernel."):
            continue
        name = " ".join(method.split(" ")[:2]).replace("vecgrad.kernel.", "")
        if is_osr:
            osr.setdefault(name, end)
        else:
            first.setdefault(name, end)
    for name, end in sorted(first.items(), key=lambda kv: kv[1]):
        extra = f"  (OSR {osr[name]:.2f})" if name in osr and osr[name] < end else ""
        print(f"  {end:6.2f}  {name}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
