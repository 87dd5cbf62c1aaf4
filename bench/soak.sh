#!/usr/bin/env bash
# soak.sh: N ranks run mixed collectives (allreduce, broadcast, allgather, reduce-scatter, reduce,
# barrier; 1 to 256K floats) through jcclrun for a duration. Every interval each rank prints
#   soak rank=R t=Ts rss_kb=.. heap_used_kb=.. threads=.. fds=.. | allReduce n=.. p50_us=.. p99_us=.. | ...
# and at the end PASS, or GROWTH naming what leaked (exit 1); a wrong result exits 3.
#   bench/soak.sh                      # 4 ranks, 10 minutes, a report every 60 s
#   bench/soak.sh -n 4 -d 1800         # the 30-minute run recorded in bench/RESULTS.md
#   bench/soak.sh -n 2 -d 60 -i 10     # the CI run (SoakTest)
# Needs the build (./mvnw -B -DskipTests package). JCCLRUN overrides the launcher command,
# SOAK_CLASSPATH the ranks' class path, SOAK_JAVA_OPTS adds rank JVM flags.
set -euo pipefail

ranks=4
duration=600
interval=60
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; echo "usage: $0 [-n RANKS] [-d SECONDS] [-i SECONDS]"; }
while getopts "n:d:i:h" opt; do
  case "$opt" in
    n) ranks="$OPTARG" ;;
    d) duration="$OPTARG" ;;
    i) interval="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
for v in "$ranks" "$duration" "$interval"; do
  if ! [[ "$v" =~ ^[1-9][0-9]*$ ]]; then echo "soak.sh: -n, -d and -i take positive integers, got '$v'" >&2; exit 2; fi
done

self="$(readlink -f "${BASH_SOURCE[0]}")"
root="$(cd "$(dirname "$self")/.." && pwd)"
if [[ -z "${SOAK_CLASSPATH:-}" ]]; then
  jar=""
  for candidate in "$root"/bench/target/jccl-bench-*.jar; do
    case "$candidate" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) [[ -f "$candidate" ]] && jar="$candidate" ;; esac
  done
  if [[ -z "$jar" || ! -d "$root/bench/target/lib" ]]; then
    echo "soak.sh: the bench module is not built; run (cd $root && ./mvnw -B -DskipTests package) first" >&2
    exit 2
  fi
  SOAK_CLASSPATH="$jar:$root/bench/target/lib/*"
fi
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"; else java=java; fi
read -r -a launcher <<< "${JCCLRUN:-$root/bin/jcclrun}"

echo "# soak: $ranks ranks, ${duration}s, report every ${interval}s, $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
# shellcheck disable=SC2086
exec "${launcher[@]}" -np "$ranks" -H "localhost:$ranks" -- \
  "$java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xmx512m ${SOAK_JAVA_OPTS:-} \
  -cp "$SOAK_CLASSPATH" dev.jccl.bench.soak.SoakMain --duration "$duration" --interval "$interval"
