#!/usr/bin/env bash
# gpu-check.sh: one pass over a machine with one or more NVIDIA GPUs and NCCL.
#
#   bench/gpu-check.sh [--no-tests] [-b MIN] [-e MAX] [-f FACTOR]
#
# 1. prints the driver, GPUs and the NCCL library found (and what JCCL's probe says);
# 2. builds transport-nccl and runs its tests, GPU tests included (one rank per GPU);
# 3. prints a cudaMemcpy device-to-device baseline over the size sweep;
# 4. runs jccl-perf all_reduce --transport nccl over the same sweep, one rank per GPU
#    (on one GPU: a 1-rank communicator, busbw 0 by definition: read time and algbw).
#
# Needs: JDK 17 (or the jlink runtime described in transport-nccl/README.md), the NVIDIA driver
# (libcuda.so.1), the CUDA 13 runtime (libcudart.so.13), and libnccl.so.2 (libnccl2 package, or
# the nvidia-nccl-cu13 wheel's lib directory on LD_LIBRARY_PATH). Maven downloads the JavaCPP
# jars on the first run (online), nothing else is built natively.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

min=8; max=256M; factor=2; tests=1
while [ $# -gt 0 ]; do
  case "$1" in
    -b) min=$2; shift 2 ;;
    -e) max=$2; shift 2 ;;
    -f) factor=$2; shift 2 ;;
    --no-tests) tests=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

mvn=./mvnw
[ -x "$mvn" ] || mvn=mvn
java=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
jflags="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"

echo "== driver and GPUs"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv
  ngpus=$(nvidia-smi -L | grep -c '^GPU')
else
  echo "nvidia-smi not found (no NVIDIA driver?)"; ngpus=0
fi
echo "== NCCL library"
found=""
for d in ${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH//:/ }} /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/lib /usr/local/cuda/lib64; do
  if [ -e "$d/libnccl.so.2" ]; then found="$d/libnccl.so.2"; break; fi
done
[ -z "$found" ] && found=$(ldconfig -p 2>/dev/null | awk '/libnccl\.so\.2 /{print $NF; exit}')
echo "libnccl.so.2: ${found:-not found (install libnccl2 or put the lib directory of the nvidia-nccl wheel on LD_LIBRARY_PATH)}"
[ -n "$found" ] && { readlink -f "$found" || true; }

echo "== build (transport-nccl and what it needs; tests unless --no-tests)"
skip=""
[ "$tests" = 0 ] && skip="-DskipTests"
# dependency:build-classpath in the same reactor run resolves sibling modules to their target/classes.
"$mvn" -B -q -pl transport-nccl -am $skip test -Dtest='dev.jccl.nccl.**' -Dsurefire.failIfNoSpecifiedTests=false \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
if [ "$tests" = 1 ]; then
  echo "== test results"
  for f in transport-nccl/target/surefire-reports/*.txt; do sed -n '4p' "$f"; done
fi
cp="transport-nccl/target/classes:$(cat transport-nccl/target/classpath.txt)"

echo "== JCCL's NCCL probe"
"$java" $jflags -cp "$cp" dev.jccl.nccl.NcclDiagnostics probe || { echo "gpu-check: NCCL cannot run here (see above)"; exit 1; }

echo "== baseline: cudaMemcpy device-to-device, device 0"
"$java" $jflags -cp "$cp" dev.jccl.nccl.NcclDiagnostics memcpy "$min" "$max" "$factor"

echo "== jccl-perf all_reduce --transport nccl, $ngpus rank(s), one per GPU (buffers in GPU memory)"
if ! ls bench/target/jccl-bench-*.jar >/dev/null 2>&1 || [ ! -d bench/target/lib ]; then
  "$mvn" -B -q -pl bench -am -DskipTests package
fi
if [ -x bin/jccl-perf ]; then
  bin/jccl-perf all_reduce -b "$min" -e "$max" -f "$factor" --transport nccl -t "$ngpus"
elif [ -x bin/jcclrun ] && ls bench/target/jccl-bench-*-all.jar >/dev/null 2>&1; then
  bin/jcclrun -np "$ngpus" -x JCCL_TRANSPORT=nccl -- "$java" $jflags -cp "$(ls bench/target/jccl-bench-*-all.jar | head -1)" \
    dev.jccl.bench.JcclPerf all_reduce -b "$min" -e "$max" -f "$factor"
else
  echo "jccl-perf is not built here (bin/jccl-perf missing); build it with ./mvnw -B -DskipTests package and rerun"
fi
echo "== compare: jccl-perf algbw (per rank) against the memcpy baseline above; with one GPU busbw is 0 by definition"
