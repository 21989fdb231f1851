#!/usr/bin/env bash
# Reproduces docs/performance.md and docs/benchmark.png: builds the benchmarks module and runs, one
# configuration per JVM,
#   - caller latency (JMH SampleTime, paced; 1 producer for every configuration and both workloads, the
#     starter with a 3-key MDC, and 2 producers for a labelled subset),
#   - end-to-end throughput (JMH SingleShotTime; 1 producer for every configuration and both workloads,
#     2 producers for a labelled subset),
#   - open-loop delivery latency (call -> line in the file, Poisson arrivals at 1k, 10k and 100k events/s),
#   - isolation under load (file throughput with file,datadog,kafka: local intake stand-in, embedded broker),
#   - memory under overload,
# then turns the results into the chart and the tables. About 20 minutes on a 2-core machine.
#
#   benchmarks/run.sh            full run
#   QUICK=1 benchmarks/run.sh    smoke run (1 short iteration each; numbers are not meaningful)
#
# Results land in benchmarks/results/ (JMH JSON, delivery.jsonl, isolation.json, env.properties, summary.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/benchmarks/results"
CHART="$ROOT/docs/benchmark.png"
DOC="$ROOT/docs/performance.md"
JAVA="${JAVA:-java}"

echo "== build"
"$ROOT/mvnw" -B -q -pl benchmarks -am clean package -DskipTests
CP="$ROOT/benchmarks/target/benchmarks.jar:$ROOT/benchmarks/target/lib/*"

# Only what this script writes: the search benchmark's and the regression check's files stay.
mkdir -p "$RESULTS"
rm -f "$RESULTS"/latency-*.json "$RESULTS"/latency-*.txt "$RESULTS"/throughput*.json "$RESULTS/throughput.txt" \
  "$RESULTS/delivery.jsonl" "$RESULTS/isolation.json" "$RESULTS"/memory.* "$RESULTS"/sample-*.txt \
  "$RESULTS/env.properties" "$RESULTS/summary.md"
# Log files go to a temp directory on the local disk, removed after each iteration.
BENCH_DIR="$(mktemp -d "${TMPDIR:-/tmp}/plbench.XXXXXX")"
trap 'rm -rf "$BENCH_DIR"' EXIT

ALL="starter-echo-async,starter-echo-off,starter-echo-sync,starter-capture,log4j2-default,log4j2-tuned,logback-json,logback-logstash,boot-logstash"
E2E="starter-echo-async,starter-echo-off,starter-capture,log4j2-default,log4j2-tuned,logback-json,logback-logstash,boot-logstash"
PAIR="starter-echo-async,log4j2-tuned,logback-logstash"
DELIVERY="starter-echo-async starter-echo-off log4j2-default log4j2-tuned logback-logstash boot-logstash"
LAT_OPTS=(-f 1 -wi 2 -w 2 -i 4 -r 2)
E2E_OPTS=(-f 1 -wi 2 -i 3)
DELIVERY_SECONDS=5
if [[ "${QUICK:-0}" == "1" ]]; then
  LAT_OPTS=(-f 1 -wi 0 -i 1 -r 1)
  E2E_OPTS=(-f 1 -wi 0 -i 1)
  DELIVERY_SECONDS=1
fi

jmh() {
  # -jvmArgsAppend replaces the @Fork annotation's arguments, so the heap settings are repeated here.
  "$JAVA" -cp "$CP" org.openjdk.jmh.Main "$@" -jvmArgsAppend "-Xms1g -Xmx1g -Dbench.dir=$BENCH_DIR"
}
load() { uptime | sed 's/.*load average: //'; }

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs || echo unknown)"
  echo "cores=$(nproc)"
  echo "memory=$(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
  echo "java=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.name|java.runtime.version/ {printf "%s ", $2}')"
  echo "versions=$(cd benchmarks/target/lib && ls | grep -E '^(log4j-core|logback-classic|logstash-logback-encoder|spring-boot|disruptor|jctools-core|jackson-core)-[0-9]' | sed 's/\.jar$//' | tr '\n' ' ')"
  if [[ "${QUICK:-0}" == "1" ]]; then
    echo "jmh=1.37, QUICK smoke run: 1 fork, 1 iteration, no warm-up; numbers are not meaningful"
  else
    echo "jmh=1.37; latency: SampleTime, 1 fork x 4 x 2 s after 2 x 2 s warm-up per row, ~20 us of CPU between calls; throughput: SingleShotTime, 200,000 events per iteration, 1 fork x 3 after 2 warm-up per row; delivery: ${DELIVERY_SECONDS} s per rate after 1 s warm-up"
  fi
  echo "conditions=${BENCH_CONDITIONS:-not stated}"
  echo "command=benchmarks/run.sh${QUICK:+ (QUICK=$QUICK)}"
  echo "load.before=$(load)"
} > "$RESULTS/env.properties"

echo "== the line each configuration writes"
for c in ${ALL//,/ }; do
  "$JAVA" -Dbench.dir="$BENCH_DIR" -cp "$CP" io.persistencelog.benchmarks.SampleLine "$c" 2>/dev/null > "$RESULTS/sample-$c.txt"
  cat "$RESULTS/sample-$c.txt"
done

echo "== caller latency, 1 producer"
{
  jmh 'CallerLatency.call' -t 1 -p config="$ALL" -p workload=constant,varied -p mdc=0 "${LAT_OPTS[@]}" -prof gc -rf json -rff "$RESULTS/latency-t1-all.json"
  jmh 'CallerLatency.call' -t 1 -p config=starter-echo-async,starter-echo-off -p workload=constant -p mdc=3 "${LAT_OPTS[@]}" -prof gc -rf json -rff "$RESULTS/latency-t1-mdc.json"
  jmh 'CallerLatency.argumentsOnly' -t 1 -p config=starter-echo-off "${LAT_OPTS[@]}" -prof gc -rf json -rff "$RESULTS/latency-t1-args.json"
} | tee "$RESULTS/latency-t1.txt" | grep -E '^CallerLatency.(call|argumentsOnly) ' || true
echo "== caller latency, 2 producers (labelled: scheduler-bound on 2 vCPUs)"
jmh 'CallerLatency.call' -t 2 -p config="$PAIR" -p workload=constant -p mdc=0 "${LAT_OPTS[@]}" -prof gc -rf json -rff "$RESULTS/latency-t2.json" | tee "$RESULTS/latency-t2.txt" | grep -E '^CallerLatency.call ' || true
echo "load.latency.done=$(load)" >> "$RESULTS/env.properties"

echo "== end-to-end throughput"
{
  jmh 'EndToEndThroughput.run' -p config="$E2E" -p workload=constant,varied -p producers=1 "${E2E_OPTS[@]}" -rf json -rff "$RESULTS/throughput-1.json"
  jmh 'EndToEndThroughput.run' -p config="$PAIR" -p workload=constant -p producers=2 "${E2E_OPTS[@]}" -rf json -rff "$RESULTS/throughput-2.json"
} | tee "$RESULTS/throughput.txt" | grep -E '^EndToEndThroughput.run ' || true
echo "load.throughput.done=$(load)" >> "$RESULTS/env.properties"

echo "== delivery latency (open loop, Poisson arrivals)"
for c in $DELIVERY; do
  "$JAVA" -Xms1g -Xmx1g -Dbench.dir="$BENCH_DIR" -cp "$CP" io.persistencelog.benchmarks.DeliveryLatency "$c" \
    "$RESULTS/delivery.jsonl" 1000,10000,100000 "$DELIVERY_SECONDS" 2>/dev/null
done

echo "== isolation under load (file,datadog,kafka; datadog stalled)"
"$JAVA" -Xms1g -Xmx1g -Dbench.dir="$BENCH_DIR" -cp "$CP" io.persistencelog.benchmarks.Isolation "$RESULTS/isolation.json" 2>/dev/null | grep backends || true

echo "== memory under overload"
"$JAVA" -Xmx256m -cp "$CP" io.persistencelog.benchmarks.OverloadMemoryCheck "$RESULTS/memory.json" 2>/dev/null | tee "$RESULTS/memory.txt"

echo "load.after=$(load)" >> "$RESULTS/env.properties"

echo "== report"
"$JAVA" -cp "$CP" io.persistencelog.benchmarks.Report "$RESULTS" "$CHART" "$DOC"
