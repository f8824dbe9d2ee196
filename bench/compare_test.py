#!/usr/bin/python3
"""Tests of bench/compare.py, the report behind bench/compare.sh (standard library only).

    python3 bench/compare_test.py      (run by .ci/run)

The runs here are made up, with times chosen so that every ratio, median and target is known by hand;
a report that computes a ratio the wrong way round, takes a mean for a median, holds a peer to
vecgrad's accuracy target or reads the wrong JMH metric fails them.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # leave no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def run(config, system, train_s, epoch_s, test_acc, method="fit", jdk=17, threads=2):
    line = {"system": system, "model": "mlp", "config": config, "threads": threads, "version": system + " 1.0",
            "epochs": len(epoch_s), "train_samples": 54000, "startup_s": 0.1, "load_s": 0.3,
            "train_s": train_s, "epoch_s": epoch_s, "test_acc": test_acc}
    if system == "vecgrad":
        line.update({"method": method, "jdk": jdk, "kernels": "simd-256"})
    return line


def jmh_entry(benchmark, threads, score, unit, bytes_per_op):
    return {"benchmark": "vecgrad.nn." + benchmark, "params": {"threads": str(threads)},
            "primaryMetric": {"score": score, "scoreUnit": unit},
            "secondaryMetrics": {"gc.alloc.rate.norm": {"score": bytes_per_op, "scoreUnit": "B/op"}}}


class ReportTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write_runs(self, rounds):
        with open(self.path("runs.tsv"), "w") as f:
            for number, runs in enumerate(rounds, 1):
                for r in runs:
                    f.write("%d\t%.3f\t%s\n" % (number, r["train_s"] + 1, json.dumps(r)))
        with open(self.path("meta.txt"), "w") as f:
            f.write("date=2026-12-05 16:33 UTC\nduration_s=600\ncommand=bench/compare.sh\nquick=0\nrounds=3\n"
                    "mlp_epochs=5\ncnn_epochs=0\nlimits=\njdk17=openjdk 17\njdk25=openjdk 25\ncpu=test\ncores=2\n"
                    "simd=avx2 fma\nloadavg_start=0.5 0.5 0.5\nloadavg_end=1.0 1.0 1.0\npython=Python 3\n")

    def write_jmh(self, per_round):
        with open(self.path("jmh.tsv"), "w") as f:
            for number, entries in enumerate(per_round, 1):
                p = self.path("r%d.json" % number)
                with open(p, "w") as j:
                    json.dump(entries, j)
                f.write("%d\t%s\n" % (number, p))

    def report(self, with_jmh=True):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            args = [self.path("runs.tsv"), self.path("meta.txt")] + ([self.path("jmh.tsv")] if with_jmh else [])
            compare.report(*args)
        return out.getvalue()

    def targets(self, text):
        """{target: (measured, verdict)} from the targets table."""
        section = text[text.index("### Issue 13's targets"):]
        rows = {}
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and cells[3] in ("met", "NOT met"):
                rows[cells[0]] = (cells[1], cells[3])
        return rows

    def three_rounds(self):
        # vecgrad fit 4, 5, 6 s (median 5); TF Java 10, 10, 12 (median 10); PyTorch 14, 15, 16 (median 15).
        rounds = []
        for v, tf, pt in [(4.0, 10.0, 14.0), (5.0, 10.0, 15.0), (6.0, 12.0, 16.0)]:
            rounds.append([
                run("vecgrad-mlp-fit-jdk17-t2", "vecgrad", v, [v - 4 * 0.8, 0.8, 0.8, 0.8, 0.8], 0.9777),
                run("vecgrad-mlp-tape-jdk17-t2", "vecgrad", v * 1.05, [1.0] * 5, 0.9777, method="tape"),
                run("tf-mlp-t2", "tfjava", tf, [tf / 5] * 5, 0.9748),
                run("torch-mlp-t1", "torch", pt, [pt / 5] * 5, 0.9770, threads=1),
            ])
        return rounds

    def three_jmh_rounds(self):
        # step: 1 thread 2000 us; 2 threads 1000, 1250, 1600 us -> 2.00x, 1.60x, 1.25x, median 1.60x.
        # loop: 20 and 16 ms per 10 steps -> 1.25x; 1.7 MB and 22 KB per 10 steps.
        per_round = []
        for two in (1000.0, 1250.0, 1600.0):
            per_round.append([
                jmh_entry("TrainStepBenchmark.step", 1, 2000.0, "us/op", 2300.0),
                jmh_entry("TrainStepBenchmark.step", 2, two, "us/op", 2100.0),
                jmh_entry("CustomLoopBenchmark.customLoop", 2, 20.0, "ms/op", 17_000_000.0),
                jmh_entry("CustomLoopBenchmark.customLoopPooled", 2, 16.0, "ms/op", 22_000.0),
            ])
        return per_round

    def test_ratiosAreThePeersMedianOverVecgrads(self):
        self.write_runs(self.three_rounds())
        text = self.report(with_jmh=False)
        self.assertIn("| 5-epoch training: TF Java best / vecgrad fit JDK 17 | 2.00x | 2.00x-2.50x |", text)
        self.assertIn("| 5-epoch training: PyTorch best / vecgrad fit JDK 17 | 3.00x | 2.67x-3.50x |", text)
        t = self.targets(text)
        self.assertEqual(t["5-epoch training: TF Java best over vecgrad fit JDK 17"], ("2.00x", "NOT met"))
        self.assertEqual(t["5-epoch training: PyTorch best over vecgrad fit JDK 17"], ("3.00x", "met"))
        self.assertEqual(t["tape loop as README writes it, time over fit's"], ("1.05x", "met"))

    def test_accuracyTargetHoldsVecgradOnlyAndShowsThePeers(self):
        self.write_runs(self.three_rounds())
        t = self.targets(self.report(with_jmh=False))
        self.assertEqual(t["test accuracy of vecgrad's MLP runs (median per configuration)"],
                         ("0.9777-0.9777 (peers 0.9748-0.9770)", "met"))
        rounds = self.three_rounds()
        for r in rounds:
            r[1]["test_acc"] = 0.9740  # the tape loop now misses
        self.write_runs(rounds)
        t = self.targets(self.report(with_jmh=False))
        self.assertEqual(t["test accuracy of vecgrad's MLP runs (median per configuration)"][1], "NOT met")

    def test_jmhGivesTheMedianThreadRatioAndBytesPerStep(self):
        self.write_runs(self.three_rounds())
        self.write_jmh(self.three_jmh_rounds())
        text = self.report()
        self.assertIn("| 1 | 2000 | 1000 | 2.00x | 2300 B / 2100 B | 2000 | 1600 | 1.25x | 1.70 MB | 2200 B |", text)
        t = self.targets(text)
        key = [k for k in t if k.startswith("2 threads over 1 thread")]
        self.assertEqual(len(key), 1)
        self.assertIn("2.00x, 1.60x, 1.25x", key[0])
        self.assertEqual(t[key[0]], ("1.60x", "NOT met"))
        steps = [k for k in t if k.startswith("`fit`'s step, bytes")]
        self.assertEqual(t[steps[0]], ("2300 B", "met"))
        loops = [k for k in t if k.startswith("README's tape loop, bytes")]
        self.assertEqual(t[loops[0]], ("1.70 MB", "NOT met"))
        self.assertIn("README's loop takes 1.25x the time of the pooled loop", text)

    def test_jmhWithoutGcProfilerIsRefused(self):
        entries = self.three_jmh_rounds()[:1]
        del entries[0][0]["secondaryMetrics"]["gc.alloc.rate.norm"]
        self.write_jmh(entries)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit):
            compare.read_jmh(self.path("jmh.tsv"))
        self.assertIn("-prof gc", err.getvalue())


class SpliceTest(unittest.TestCase):

    def test_replacesOnlyBetweenTheMarkers(self):
        with tempfile.TemporaryDirectory() as d:
            results, section = os.path.join(d, "RESULTS.md"), os.path.join(d, "section.md")
            with open(results, "w") as f:
                f.write("before\n" + compare.BEGIN + "\nold\n" + compare.END + "\nafter\n")
            with open(section, "w") as f:
                f.write("\nnew\n")
            compare.splice(results, section)
            with open(results) as f:
                self.assertEqual(f.read(), "before\n" + compare.BEGIN + "\nnew\n" + compare.END + "\nafter\n")

    def test_oneMarkerAloneIsRefused(self):
        with tempfile.TemporaryDirectory() as d:
            results, section = os.path.join(d, "RESULTS.md"), os.path.join(d, "section.md")
            with open(results, "w") as f:
                f.write("before\n" + compare.BEGIN + "\nold\n")
            with open(section, "w") as f:
                f.write("new\n")
            with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
                compare.splice(results, section)
            with open(results) as f:
                self.assertEqual(f.read(), "before\n" + compare.BEGIN + "\nold\n")


if __name__ == "__main__":
    unittest.main()
