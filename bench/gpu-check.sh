#!/usr/bin/env bash
# gpu-check.sh: one pass over a machine with one or more NVIDIA GPUs and NCCL.
#
#   bench/gpu-check.sh [--no-tests] [-b MIN] [-e MAX] [-f FACTOR]
#
# 1. prints the driver, GPUs and the NCCL library found (and what JCCL's probe says);
# 2. builds transport-nccl and runs its tests, GPU tests included (one rank per GPU);
# 3. prints a cudaMemcpy device-to-device baseline over the size sweep;
# 4. runs jccl-perf all_reduce --transport nccl over the same sweep, one rank per GPU
#    (on one GPU: a 1-rank communicator, busbw 0 by definition: read time and algbw);
# 5. prints the two side by side. Exits non-zero when a test or a step failed.
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
    -b|-e|-f)
      [ $# -ge 2 ] || { echo "gpu-check: $1 needs a value" >&2; exit 2; }
      case "$1" in -b) min=$2 ;; -e) max=$2 ;; -f) factor=$2 ;; esac
      shift 2 ;;
    --no-tests) tests=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

mvn=./mvnw
[ -x "$mvn" ] || mvn=mvn
java=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java="$JAVA_HOME/bin/java"
jflags=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

echo "== driver and GPUs"
ngpus=0
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv || status=1
  # grep -c prints 0 and exits 1 when nothing matches: keep the 0.
  ngpus=$(nvidia-smi -L | grep -c '^GPU' || true)
else
  echo "nvidia-smi not found (no NVIDIA driver, or a container without it); the device count comes from JCCL's probe"
fi

echo "== NCCL library"
found=""
dirs=()
[ -n "${LD_LIBRARY_PATH:-}" ] && IFS=: read -r -a dirs <<< "$LD_LIBRARY_PATH"
dirs+=(/usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/lib /usr/local/cuda/lib64)
for d in "${dirs[@]}"; do
  if [ -n "$d" ] && [ -e "$d/libnccl.so.2" ]; then found="$d/libnccl.so.2"; break; fi
done
if [ -z "$found" ]; then
  # ldconfig may live in /sbin, outside a user's PATH; not finding it is not an error.
  ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
  found=$("$ldconfig" -p 2>/dev/null | awk '/libnccl\.so\.2 /{print $NF; exit}' || true)
fi
echo "libnccl.so.2: ${found:-not found (install libnccl2 or put the lib directory of the nvidia-nccl wheel on LD_LIBRARY_PATH)}"
if [ -n "$found" ]; then readlink -f "$found" || true; fi

echo "== build (transport-nccl and what it needs; tests unless --no-tests)"
mvnargs=(-B -q -pl transport-nccl -am)
if [ "$tests" = 0 ]; then
  mvnargs+=(-DskipTests)
else
  # A failing test is reported below and in the exit status; the benchmark still runs.
  mvnargs+=(-Dtest='dev.jccl.nccl.**' -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true)
  rm -rf transport-nccl/target/surefire-reports
fi
# dependency:build-classpath in the same reactor run resolves sibling modules to their target/classes.
"$mvn" "${mvnargs[@]}" test dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
if [ "$tests" = 1 ]; then
  echo "== test results"
  shopt -s nullglob
  reports=(transport-nccl/target/surefire-reports/*.txt)
  shopt -u nullglob
  [ ${#reports[@]} -gt 0 ] || { echo "no test reports (did the tests run?)"; status=1; }
  for f in "${reports[@]}"; do
    line=$(sed -n '4p' "$f")
    echo "$line"
    case "$line" in *"Failures: 0, Errors: 0"*) ;; *) status=1 ;; esac
  done
fi
cp="transport-nccl/target/classes:$(cat transport-nccl/target/classpath.txt)"

echo "== JCCL's NCCL probe"
if ! probe=$("$java" "${jflags[@]}" -cp "$cp" dev.jccl.nccl.NcclDiagnostics probe); then
  echo "$probe"
  echo "gpu-check: NCCL cannot run here (see above)"
  exit 1
fi
echo "$probe"
if [ "$ngpus" -lt 1 ]; then
  # "# NCCL 2.29.3, CUDA driver 13.1, runtime 13.1, 2 device(s)"
  ngpus=$(sed -n 's/.* \([0-9][0-9]*\) device(s)$/\1/p' <<< "$probe")
  ngpus=${ngpus:-1}
fi

echo "== baseline: cudaMemcpy device-to-device, device 0"
"$java" "${jflags[@]}" -cp "$cp" dev.jccl.nccl.NcclDiagnostics memcpy "$min" "$max" "$factor" | tee "$work/memcpy.txt"

echo "== jccl-perf all_reduce --transport nccl, $ngpus rank(s), one per GPU (buffers in GPU memory)"
if ! compgen -G 'bench/target/jccl-bench-*.jar' >/dev/null || [ ! -d bench/target/lib ]; then
  "$mvn" -B -q -pl bench -am -DskipTests package
fi
bin/jccl-perf all_reduce -b "$min" -e "$max" -f "$factor" --transport nccl -t "$ngpus" | tee "$work/perf.txt"

echo "== compare: out-of-place all_reduce against the cudaMemcpy baseline (algbw, GB/s)"
[ "$ngpus" = 1 ] && echo "# one GPU: a 1-rank allreduce is a device-to-device copy, so algbw should approach the baseline"
# memcpy rows: size time algbw; jccl-perf rows: size count type redop root time algbw busbw #wrong ...
awk 'NR == FNR { if ($1 ~ /^[0-9]+$/ && NF == 3) base[$1] = $3; next }
     FNR == 1 { printf "%12s %12s %12s %12s %8s\n", "size(B)", "memcpy", "nccl time", "nccl algbw", "ratio" }
     $1 ~ /^[0-9]+$/ && NF >= 9 && ($1 in base) {
       ratio = base[$1] > 0 ? $7 / base[$1] : 0
       printf "%12d %12.2f %12s %12.2f %8.2f\n", $1, base[$1], $6, $7, ratio
     }' "$work/memcpy.txt" "$work/perf.txt"
[ "$status" = 0 ] || echo "gpu-check: some tests failed (see the test results above)"
exit "$status"
