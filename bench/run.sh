#!/usr/bin/env bash
# Builds target/benchmarks.jar and runs the kernel benchmarks on one JDK; prints that JDK's
# section of bench/RESULTS.md (Markdown) and keeps JMH's JSON in target/bench/<jdk>/.
#
#   bench/run.sh [JDK_HOME]     the JDK to benchmark (default: $JAVA_HOME, else java on PATH)
#   JMH_SETTINGS="-f 1 -wi 2 -w 1s -i 2 -r 1s" bench/run.sh ...   a quicker, rougher run
#   PRODUCTS="AB:128x784x256,ATB:784x128x256,ABT:128x256x784" bench/run.sh ...   only these products
#
# One run takes about 8 minutes. Ratios (% of the FMA peak, SIMD/scalar, 2/1 threads) come from
# the same run; on a shared machine absolute numbers, and 2-thread ones most, are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."

jdk="${1:-${JAVA_HOME:-}}"
if [ -n "$jdk" ]; then
  java="$jdk/bin/java"
else
  java="$(command -v java)"
fi
if [ ! -x "$java" ]; then
  echo "run.sh: no java at '$java'" >&2
  exit 2
fi

# The build uses Maven's own JDK; the class files are Java 17 and run on any later JDK.
mvn -B -q -Pbench package -DskipTests

version="$("$java" -version 2>&1 | head -1)"
feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
out="target/bench/jdk$feature"
mkdir -p "$out"

# Vector API code runs 100-1000x slower until C2 compiles it (about 1 s): 5 s of warm-up per fork.
settings="${JMH_SETTINGS:--f 1 -wi 5 -w 1s -i 5 -r 1s}"
jmh() {
  local name="$1"
  shift
  # shellcheck disable=SC2086 # settings are words on purpose
  "$java" -jar target/benchmarks.jar "$@" $settings -prof gc -rf json -rff "$out/$name.json" >"$out/$name.log" 2>&1 \
    || { echo "run.sh: JMH failed, see $out/$name.log" >&2; tail -20 "$out/$name.log" >&2; exit 1; }
}
echo "run.sh: $version -> $out (logs there)" >&2
jmh peak 'SimdPeakBenchmark'
products=()
if [ -n "${PRODUCTS:-}" ]; then
  products=(-p "product=$PRODUCTS")
fi
jmh simd 'GemmBenchmark' -p kernel=simd -p threads=1,2 "${products[@]}"
jmh scalar 'GemmBenchmark' -p kernel=scalar -p threads=1 "${products[@]}"

kernels="$("$java" --add-modules jdk.incubator.vector -cp target/benchmarks.jar vecgrad.kernel.BenchInfo 2>/dev/null \
  | sed -n 's/^kernels=//p')"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cores="$(nproc)"

python3 bench/report.py "$out/peak.json" "$out/simd.json" "$out/scalar.json" \
  "### $version" \
  "" \
  "$(date -u +%Y-%m-%d), $cpu, $cores cores; kernels \`$kernels\`; JMH 1.37 \`$settings -prof gc\`, throughput mode, one product per operation; GFLOP/s = ops/s · 2mnk." \
  | tee "$out/results.md"
