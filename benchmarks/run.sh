#!/usr/bin/env bash
# Reproduces docs/performance.md and docs/benchmark.png: builds the benchmarks module, runs the caller
# latency (1 and 2 producers, with -prof gc), end-to-end throughput and overload-memory benchmarks, and
# turns the results into the chart and the tables. About 15 minutes on a 2-core machine.
#
#   benchmarks/run.sh            full run (3 forks per benchmark)
#   QUICK=1 benchmarks/run.sh    smoke run (1 fork, 1 short iteration; numbers are not meaningful)
#
# Results land in benchmarks/results/ (JMH JSON, env.properties, summary.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/benchmarks/results"
CHART="$ROOT/docs/benchmark.png"
DOC="$ROOT/docs/performance.md"
JAVA="${JAVA:-java}"

echo "== build"
mvn -B -q -pl benchmarks -am clean package -DskipTests
CP="$ROOT/benchmarks/target/benchmarks.jar:$ROOT/benchmarks/target/lib/*"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# Log files go to a temp directory on the local disk, removed after each iteration.
BENCH_DIR="$(mktemp -d "${TMPDIR:-/tmp}/plbench.XXXXXX")"
trap 'rm -rf "$BENCH_DIR"' EXIT

JMH_OPTS=()
if [[ "${QUICK:-0}" == "1" ]]; then
  JMH_OPTS=(-f 1 -wi 1 -i 1 -w 1 -r 1)
fi

jmh() {
  # -jvmArgsAppend replaces the @Fork annotation's arguments, so the heap settings are repeated here.
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main "$@" "${JMH_OPTS[@]}" -jvmArgsAppend "-Xms1g -Xmx1g -Dbench.dir=$BENCH_DIR"
}

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs || echo unknown)"
  echo "cores=$(nproc)"
  echo "memory=$(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
  echo "java=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.name|java.runtime.version/ {printf "%s ", $2}')"
  echo "versions=$(cd benchmarks/target/lib && ls | grep -E '^(log4j-core|logback-classic|disruptor|jctools-core|jackson-core)-' | sed 's/\.jar$//' | tr '\n' ' ')"
  echo "jmh=1.37; latency: SampleTime, 3 forks x 4 x 2 s after 2 x 2 s warm-up, ~20 us of CPU between calls; throughput: SingleShotTime, 1,000,000 events per iteration, 5 forks x 5 after 3 warm-up"
  echo "command=benchmarks/run.sh${QUICK:+ (QUICK=$QUICK)}"
  echo "load.before=$(uptime | sed 's/.*load average: //')"
} > "$RESULTS/env.properties"

echo "== the line each framework writes"
for f in starter log4j2 logback; do
  "$JAVA" -Dbench.dir="$BENCH_DIR" -cp "$CP" io.persistencelog.benchmarks.SampleLine "$f" 2>/dev/null > "$RESULTS/sample-$f.txt"
  cat "$RESULTS/sample-$f.txt"
done

echo "== caller latency, 1 producer"
jmh 'CallerLatency' -t 1 -prof gc -rf json -rff "$RESULTS/latency-t1.json" | tee "$RESULTS/latency-t1.txt" | grep -E '^(Benchmark|CallerLatency)' || true
echo "== caller latency, 2 producers"
jmh 'CallerLatency' -t 2 -prof gc -rf json -rff "$RESULTS/latency-t2.json" | tee "$RESULTS/latency-t2.txt" | grep -E '^(Benchmark|CallerLatency)' || true
echo "load.latency.done=$(uptime | sed 's/.*load average: //')" >> "$RESULTS/env.properties"

echo "== end-to-end throughput"
jmh 'EndToEndThroughput' -rf json -rff "$RESULTS/throughput.json" | tee "$RESULTS/throughput.txt" | grep -E '^(Benchmark|EndToEndThroughput)' || true

echo "== memory under overload"
"$JAVA" -Xmx256m -cp "$CP" io.persistencelog.benchmarks.OverloadMemoryCheck "$RESULTS/memory.json" 2>/dev/null | tee "$RESULTS/memory.txt"

echo "load.after=$(uptime | sed 's/.*load average: //')" >> "$RESULTS/env.properties"

echo "== report"
"$JAVA" -cp "$CP" io.persistencelog.benchmarks.Report "$RESULTS" "$CHART" "$DOC"
