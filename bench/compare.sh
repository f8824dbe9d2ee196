#!/usr/bin/env bash
# Side by side: vecgrad, TensorFlow Java 1.1 and PyTorch on the same MNIST workloads, each run a cold
# process, the systems alternating within each round; writes the section "Side by side: vecgrad,
# TensorFlow Java, PyTorch" of bench/RESULTS.md in place (between its marker comments).
#
#   bench/compare.sh [--rounds N] [--cnn-epochs E] [--quick]
#
#   --rounds N       rounds of alternating runs (default 3, at least 3 for RESULTS.md)
#   --cnn-epochs E   epochs of the convnet per run (default 1: "one CNN epoch timed"; 0 skips it)
#   --quick          a smoke run in under 2 minutes: 1 round, 1 epoch, 3000 samples; it prints
#                    the section and leaves bench/RESULTS.md alone
#
# Workloads (the same in every system; see bench/peers/ and bench/src/main/java/vecgrad/bench/):
#   MLP 784-256-128-64-10 ReLU/softmax, 5 epochs; Keras' Simple MNIST convnet, E epochs. Glorot-uniform
#   weights, zero biases, Adam 1e-3/0.9/0.999/1e-7, batch 128, categorical cross-entropy, the last 10%
#   of the training set validated after each epoch, reshuffled each epoch; then the test accuracy.
# Configurations per round, in this order:
#   vecgrad MLP fit (JDK 17), tape loop (JDK 17), fit (JDK 25); TF Java MLP 1 and 2 intra-op threads;
#   PyTorch MLP 2 and 1 threads; vecgrad convnet fit (JDK 17); TF Java convnet 1 and 2 threads;
#   PyTorch convnet 2 threads; the default `mnist.jar` run (3 methods, JVM start and loading included);
#   then JMH on JDK 17: a whole training step on 1 and 2 threads, README's loop with and without a pool.
#
# Installs what is missing (Debian, as root): python3-torch and libopenblas0-pthread with apt-get;
# TF Java 1.1.0 comes from Maven Central through bench/peers/tfjava/pom.xml, never through the
# library's pom. Fails with a message and a non-zero status when anything cannot be installed or a
# run fails. Logs and raw results: target/compare/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

rounds=3
cnn_epochs=1
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="${2:?compare.sh: --rounds needs a value}"; shift 2 ;;
    --cnn-epochs) cnn_epochs="${2:?compare.sh: --cnn-epochs needs a value}"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "compare.sh: expected --rounds N, --cnn-epochs E or --quick, got '$1'" >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*) echo "compare.sh: --rounds must be a whole number of at least 1, got '$rounds'" >&2; exit 2 ;; esac
case "$cnn_epochs" in ''|*[!0-9]*) echo "compare.sh: --cnn-epochs must be a whole number of at least 0, got '$cnn_epochs'" >&2; exit 2 ;; esac
if [ "$rounds" -lt 1 ]; then
  echo "compare.sh: --rounds must be at least 1, got $rounds" >&2; exit 2
fi
command_line="bench/compare.sh $*"
[ $# -eq 0 ] && command_line="bench/compare.sh"

mlp_epochs=5
limits=()
mnist_limits=()
if [ "$quick" = 1 ]; then
  rounds=1
  mlp_epochs=1
  [ "$cnn_epochs" -gt 1 ] && cnn_epochs=1
  limits=(--train-limit 3000 --test-limit 1000)
  mnist_limits=(--epochs 1 --train-limit 3000 --test-limit 1000)
fi

fail() {
  echo "compare.sh: $*" >&2
  exit 1
}

jdk17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$jdk17/bin/java" ] || fail "no JDK 17 at $jdk17 (set JDK17_HOME)"
[ -x "$jdk25/bin/java" ] || fail "no JDK 25 at $jdk25 (set JDK25_HOME); the MLP is measured on JDK 17 and 25"
python=/usr/bin/python3   # Debian's python3-torch is importable from the system Python only

# --- install -------------------------------------------------------------------------------------
missing=()
"$python" -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if [ ${#missing[@]} -gt 0 ]; then
  echo "compare.sh: installing ${missing[*]} with apt-get" >&2
  [ "$(id -u)" = 0 ] || fail "need root to apt-get install ${missing[*]}"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; } >&2 \
    || fail "apt-get could not install ${missing[*]}: PyTorch cannot run"
  "$python" -c 'import torch' || fail "python3-torch is installed but '$python -c \"import torch\"' fails"
fi

# --- build ---------------------------------------------------------------------------------------
out="target/compare"
rm -rf "$out"
mkdir -p "$out"
mvn_package() { # offline first (fast, no network), then once online for what the local repository lacks
  mvn -B -q -o "$@" >"$out/build.log" 2>&1 || mvn -B -q "$@" >"$out/build.log" 2>&1
}
echo "compare.sh: building vecgrad (target/benchmarks.jar, vecgrad-0.2.0.jar, mnist.jar)" >&2
JAVA_HOME="$jdk17" mvn_package -Pbench package -DskipTests || { tail -30 "$out/build.log" >&2; fail "the vecgrad build failed (log: $out/build.log)"; }
for jar in target/benchmarks.jar target/mnist.jar; do
  [ -f "$jar" ] || fail "the build did not produce $jar"
done
echo "compare.sh: building the TF Java peer (bench/peers/tfjava, TF Java 1.1.0 from Maven Central)" >&2
JAVA_HOME="$jdk17" mvn_package -f bench/peers/tfjava/pom.xml package -DskipTests \
  || { tail -30 "$out/build.log" >&2; fail "the TF Java peer could not be built or its dependencies downloaded (log: $out/build.log)"; }
tf_cp="bench/peers/tfjava/target/tfjava-peer.jar:bench/peers/tfjava/target/lib/*"

# --- environment ---------------------------------------------------------------------------------
# OpenBLAS picks its kernels and cache sizes itself; OMP_WAIT_POLICY=PASSIVE keeps idle OpenMP threads
# from spinning on the core the other thread needs.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
export OMP_WAIT_POLICY=PASSIVE
# TensorFlow's informational logging off; errors still print.
export TF_CPP_MIN_LOG_LEVEL=2

runs="$out/runs.tsv"
: >"$runs"
data=test-data/mnist
loadavg_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
t_start=$(date +%s)

# run NAME ROUND COMMAND...: one cold process; its COMPARE line goes to runs.tsv with the process's wall time.
run() {
  local name="$1" round="$2"
  shift 2
  local log="$out/r$round-$name.log"
  local t0 t1 status=0
  t0=$(date +%s%N)
  # timeout runs a program, so the helper functions below run in a bash that has them exported.
  COMPARE_T0_MS=$((t0 / 1000000)) timeout 1200 bash -c '"$@"' compare-run "$@" >"$log" 2>&1 || status=$?
  t1=$(date +%s%N)
  local line
  line="$(sed -n 's/^COMPARE //p' "$log" | tail -1)"
  if [ "$status" != 0 ] || [ -z "$line" ]; then
    tail -25 "$log" >&2
    fail "run '$name' (round $round) failed with status $status${line:+ }${line:-, no COMPARE line} (log: $log; command: $*)"
  fi
  local wall
  wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
  printf '%s\t%s\t%s\n' "$round" "$wall" "$line" >>"$runs"
  echo "compare.sh: round $round: $name $(printf '%.1f' "$wall") s" >&2
}

vecgrad() { # JDK, then CompareRun's options
  local jdk="$1"
  shift
  "$jdk/bin/java" --add-modules jdk.incubator.vector -cp target/benchmarks.jar vecgrad.bench.CompareRun --data "$data" "$@"
}
tfjava() {
  "$jdk17/bin/java" -cp "$tf_cp" peers.TfPeer --data "$data" "$@"
}
torch() {
  "$python" bench/peers/torch/peer.py --data "$data" "$@"
}
mnist_jar() { # the default run, timed as a whole process; its results.json becomes the COMPARE line
  local dir="$1"
  shift
  local t0 t1
  t0=$(date +%s%N)
  "$jdk17/bin/java" --add-modules jdk.incubator.vector -jar target/mnist.jar --out "$dir" "$@" || return
  t1=$(date +%s%N)
  "$python" bench/compare.py mnist-jar "$dir/results.json" "$(((t1 - t0) / 1000000))"
}
export -f vecgrad tfjava torch mnist_jar

# jmh_round ROUND: the step's figures that a whole run cannot give, from JMH (bench/src/.../nn/), one fork
# each: TrainStepBenchmark.step (fit's step) on 1 and 2 threads, and CustomLoopBenchmark's README loop
# with and without a BufferPool scope; -prof gc gives the bytes each allocates.
jmh_settings=(-f 1 -wi 5 -w 1s -i 5 -r 1s)
[ "$quick" = 1 ] && jmh_settings=(-f 1 -wi 2 -w 1s -i 1 -r 1s)
jmh_round() {
  local round="$1" t0 t1
  t0=$(date +%s)
  jmh_one "$round" step 'vecgrad\.nn\.TrainStepBenchmark\.step$' -p threads=1,2
  jmh_one "$round" loop 'vecgrad\.nn\.CustomLoopBenchmark\.customLoop(Pooled)?$' -p threads=2
  t1=$(date +%s)
  echo "compare.sh: round $round: JMH step benchmarks $((t1 - t0)) s" >&2
}
jmh_one() { # ROUND NAME JMH-ARGS...: one JMH invocation; its JSON goes to jmh.tsv
  local round="$1" name="$2"
  shift 2
  local json="$out/r$round-jmh-$name.json" log="$out/r$round-jmh-$name.log"
  "$jdk17/bin/java" -jar target/benchmarks.jar "$@" "${jmh_settings[@]}" -prof gc -rf json -rff "$json" >"$log" 2>&1 \
    || { tail -25 "$log" >&2; fail "JMH $name (round $round) failed (log: $log)"; }
  printf '%s\t%s\n' "$round" "$json" >>"$jmh_runs"
}
jmh_runs="$out/jmh.tsv"
: >"$jmh_runs"
export jdk17 data tf_cp python

for round in $(seq 1 "$rounds"); do
  e=(--epochs "$mlp_epochs" "${limits[@]}")
  run vecgrad-mlp-fit-jdk17 "$round" vecgrad "$jdk17" --model mlp --method fit "${e[@]}"
  run vecgrad-mlp-tape-jdk17 "$round" vecgrad "$jdk17" --model mlp --method tape "${e[@]}"
  run vecgrad-mlp-fit-jdk25 "$round" vecgrad "$jdk25" --model mlp --method fit "${e[@]}"
  run tf-mlp-t1 "$round" tfjava --model mlp --threads 1 "${e[@]}"
  run tf-mlp-t2 "$round" tfjava --model mlp --threads 2 "${e[@]}"
  run torch-mlp-t2 "$round" torch --model mlp --threads 2 "${e[@]}"
  run torch-mlp-t1 "$round" torch --model mlp --threads 1 "${e[@]}"
  if [ "$cnn_epochs" -gt 0 ]; then
    c=(--epochs "$cnn_epochs" "${limits[@]}")
    run vecgrad-cnn-fit-jdk17 "$round" vecgrad "$jdk17" --model cnn --method fit "${c[@]}"
    run tf-cnn-t1 "$round" tfjava --model cnn --threads 1 "${c[@]}"
    run tf-cnn-t2 "$round" tfjava --model cnn --threads 2 "${c[@]}"
    run torch-cnn-t2 "$round" torch --model cnn --threads 2 "${c[@]}"
  fi
  mj="$(mktemp -d /tmp/compare-mnist.XXXXXX)"
  run mnist-jar "$round" mnist_jar "$mj" "${mnist_limits[@]}"
  rm -rf "$mj"
  jmh_round "$round"
done

t_end=$(date +%s)
loadavg_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report --------------------------------------------------------------------------------------
meta="$out/meta.txt"
{
  echo "date=$started"
  echo "duration_s=$((t_end - t_start))"
  echo "command=$command_line"
  echo "quick=$quick"
  echo "rounds=$rounds"
  echo "mlp_epochs=$mlp_epochs"
  echo "cnn_epochs=$cnn_epochs"
  echo "limits=${limits[*]:-}"
  echo "jdk17=$("$jdk17/bin/java" -version 2>&1 | head -1)"
  echo "jdk25=$("$jdk25/bin/java" -version 2>&1 | head -1)"
  echo "cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "cores=$(nproc)"
  flags="$(grep -m1 '^flags' /proc/cpuinfo)"
  simd=""
  for f in avx2 fma avx512f avx512_bf16; do
    case " $flags " in *" $f "*) simd="$simd $f" ;; esac
  done
  echo "simd=${simd# }"
  echo "loadavg_start=$loadavg_start"
  echo "loadavg_end=$loadavg_end"
  echo "torch=$("$python" -c 'import torch; print(torch.__version__)')"
  echo "python=$("$python" --version 2>&1)"
} >"$meta"

section="$out/section.md"
"$python" bench/compare.py report "$runs" "$meta" "$jmh_runs" >"$section" || fail "bench/compare.py could not write the report"
if [ "$quick" = 1 ]; then
  cat "$section"
  echo "compare.sh: quick run done in $((t_end - t_start)) s; bench/RESULTS.md left as it was (section in $section)" >&2
else
  "$python" bench/compare.py splice bench/RESULTS.md "$section" || fail "could not write bench/RESULTS.md"
  echo "compare.sh: $rounds rounds in $((t_end - t_start)) s; section written to bench/RESULTS.md (raw: $runs)" >&2
fi
