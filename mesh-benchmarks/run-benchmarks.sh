#!/usr/bin/env bash
# Runs every benchmark behind docs/benchmarks.md and keeps the raw output.
#
#   cd <repo> && mvn -B -q install -DskipTests && bash mesh-benchmarks/run-benchmarks.sh [OUT_DIR]
#
# Takes about 16 minutes on 2 cores (each throughput scenario warms up for a minute). Figures are only comparable on a quiet machine: every scenario
# prints how much CPU other processes used while it measured ("other processes on this machine").
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/benchmarks.jar"
out="${1:-$here/target/results}"
mkdir -p "$out"
[ -f "$jar" ] || { echo "build first: mvn -B -q install -DskipTests (no $jar)" >&2; exit 1; }

scenario() {
  local name="$1"; shift
  echo "== scenario $name: $*"
  java -cp "$jar" dev.meshkit.benchmarks.scenario.ScenarioRunner "$@" | tee "$out/$name.txt"
}

{ date -u; uname -a; nproc; java -version 2>&1; } > "$out/machine.txt"

echo "== JMH"
java -jar "$jar" -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"
java -cp "$jar" dev.meshkit.benchmarks.jmh.JmhMedians "$out/jmh.json" | tee "$out/jmh-medians.md"

scenario mem-latency     --transport mem --nodes 10 --messages 200 --size 1024 --mode latency
scenario ws-latency      --transport ws  --nodes 10 --messages 200 --size 1024 --mode latency
scenario mem-throughput  --transport mem --nodes 10 --messages 5000 --size 1024 --mode throughput
scenario ws-throughput   --transport ws  --nodes 10 --messages 5000 --size 1024 --mode throughput
scenario ws-relay-100    --transport ws  --mode relay --messages 20000 --size 100 --repeat 5
scenario ws-relay-1k     --transport ws  --mode relay --messages 20000 --size 1024 --repeat 5
scenario ws-relay-16k    --transport ws  --mode relay --messages 5000 --size 16384 --repeat 5
# Analysis: the same floods with the benchmark-only unsigned scheme (signatures cost nothing).
scenario ws-throughput-unsigned  --transport ws  --nodes 10 --messages 3000 --size 1024 --mode throughput --scheme unsigned
scenario mem-throughput-unsigned --transport mem --nodes 10 --messages 5000 --size 1024 --mode throughput --scheme unsigned

echo "results in $out"
