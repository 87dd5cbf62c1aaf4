#!/usr/bin/env bash
# bench/results.sh: regenerates every figure of bench/RESULTS.md. A benchmark, never part of the
# test suite (nothing in the Maven build calls it).
#
#   ./mvnw -B -DskipTests package && bench/results.sh
#
# For np in 2 and 4 (with --oversubscribe: 4 ranks on 2 cores) it runs `bin/jcclrun -np N bin/jccl-perf COLL` for
# all_reduce, broadcast and all_gather, float, 8 B to 256 MiB, -f 2, REPS times, and writes under
# $OUT (default bench/results/):
#   COLL-npN.md       markdown table, median over the runs of each size's time (algbw and busbw
#                     recomputed from that median), the #wrong of every run summed
#   COLL-npN.png      jccl-perf --plot of the first run
#   allreduce-vs-ompi.md   JCCL against Open MPI (when mpicc/mpirun exist) at the issue's sizes
#   ompi-allreduce-npN.md  Open MPI MPI_Allreduce over TCP (bench/ompi/allreduce_bench.c)
#   machine.md        CPU, cores, JDK, kernel, Open MPI, date and the load average of every run
#   raw/              every run's stdout and CSV
# bench/RESULTS.md includes these files' contents; after a run on a quiet machine paste them in.
#
# Knobs (environment): REPS (3), NPS ("2 4"), COLLS ("all_reduce broadcast all_gather"),
# MAX_BYTES (256M), ITERS (2000) and WARMUP (500) at small sizes (the first sizes also warm up the JIT), ITER_BYTES (512M: above
# ITER_BYTES/ITERS bytes the iterations shrink, see jccl-perf --iter-bytes), OUT, OMPI (auto|no),
# TRANSPORT (tcp; shm for the shared-memory transport: OUT=bench/results-shm TRANSPORT=shm OMPI=no).
# Runs in about 10-15 minutes on a 2-core machine with the defaults; REPS=1 takes a third.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
REPS="${REPS:-3}"
NPS="${NPS:-2 4}"
COLLS="${COLLS:-all_reduce broadcast all_gather}"
MAX_BYTES="${MAX_BYTES:-256M}"
ITERS="${ITERS:-2000}"
WARMUP="${WARMUP:-500}"
ITER_BYTES="${ITER_BYTES:-512M}"
OUT="${OUT:-bench/results}"
OMPI="${OMPI:-auto}"
# jccl-perf's transport: tcp for the side-by-side with Open MPI's TCP path (auto would pick shm on one host)
TRANSPORT="${TRANSPORT:-tcp}"

if ! ls bench/target/jccl-bench-*.jar >/dev/null 2>&1 || ! ls launcher/target/jccl-launcher-*-all.jar >/dev/null 2>&1; then
  echo "results.sh: build first: ./mvnw -B -DskipTests package" >&2
  exit 2
fi
mkdir -p "$OUT/raw"

load() { uptime | sed 's/.*load average: //'; }

# --- machine ---------------------------------------------------------------------------------
{
  echo "| what | value |"
  echo "|---|---|"
  echo "| CPU | $(lscpu | sed -n 's/^Model name: *//p' | head -1) |"
  echo "| cores (nproc) | $(nproc) ($(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s) per core) |"
  echo "| memory | $(free -g | awk '/^Mem:/ {print $2 " GiB"}') |"
  echo "| kernel | $(uname -r) |"
  echo "| JDK | $(java -version 2>&1 | sed -n 2p) |"
  if command -v mpirun >/dev/null 2>&1; then
    echo "| Open MPI | $(mpirun --version 2>/dev/null | head -1) |"
  fi
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| load at start (1/5/15 min) | $(load) |"
  echo
  echo "Load average before each run (the machine has $(nproc) cores; a load near or above that means"
  echo "other processes competed with the ranks and the figures are low and noisy):"
  echo
  echo "| run | load (1/5/15 min) |"
  echo "|---|---|"
} > "$OUT/machine.md"

# --- markdown from CSVs -----------------------------------------------------------------------
# median_table COLL NP CSV...: one row per size, out-of-place then in-place, median time.
median_table() {
  local coll="$1" np="$2"
  shift 2
  awk -F, -v coll="$coll" -v np="$np" '
    FNR == 1 { next }
    {
      key = $5 SUBSEP $10
      n[key]++; t[key, n[key]] = $11; wrong[key] += ($14 == "" || $14 < 0) ? 0 : $14
      count[$5] = $6
      if (!($5 in seen)) { seen[$5] = 1; order[++sizes] = $5 }
    }
    function median(key,   i, j, m, tmp, a) {
      m = n[key]
      for (i = 1; i <= m; i++) a[i] = t[key, i]
      for (i = 2; i <= m; i++) { tmp = a[i]; for (j = i - 1; j >= 1 && a[j] > tmp; j--) a[j + 1] = a[j]; a[j + 1] = tmp }
      return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    function human(b) {
      if (b >= 1073741824 && b % 1073741824 == 0) return b / 1073741824 " GiB"
      if (b >= 1048576 && b % 1048576 == 0) return b / 1048576 " MiB"
      if (b >= 1024 && b % 1024 == 0) return b / 1024 " KiB"
      return b " B"
    }
    function cells(size, placement,   key, us, alg) {
      key = size SUBSEP placement
      if (!(key in n)) return " - | - | - |"
      us = median(key); alg = us > 0 ? size / (us * 1000) : 0
      return sprintf(" %.2f | %.3f | %.3f |", us, alg, alg * factor)
    }
    END {
      factor = coll == "all_reduce" ? 2 * (np - 1) / np : (coll == "all_gather" || coll == "reduce_scatter") ? (np - 1) / np : 1
      printf "| size | count | out-of-place time (us) | algbw (GB/s) | busbw (GB/s) | in-place time (us) | algbw (GB/s) | busbw (GB/s) | #wrong |\n"
      printf "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      for (i = 1; i <= sizes; i++) {
        s = order[i]
        printf "| %s | %s |%s%s %d |\n", human(s), count[s], cells(s, "out-of-place"), cells(s, "in-place"),
          wrong[s SUBSEP "out-of-place"] + wrong[s SUBSEP "in-place"]
      }
    }' "$@"
}

# busbw_at MD SIZE_LABEL COLUMN: a cell of a median table (column 5: out-of-place busbw, 3: its time).
cell_at() {
  awk -F'|' -v label="$2" -v col="$3" '{ gsub(/^ +| +$/, "", $2) } $2 == label { v = $(col + 1); gsub(/ /, "", v); print v; exit }' "$1"
}

# --- jccl-perf --------------------------------------------------------------------------------
for np in $NPS; do
  # More ranks than cores needs jcclrun's consent; harmless otherwise.
  over="--oversubscribe"
  for coll in $COLLS; do
    csvs=()
    for rep in $(seq 1 "$REPS"); do
      base="$OUT/raw/$coll-np$np-run$rep"
      plot=()
      [[ "$rep" == 1 ]] && plot=(--plot "$OUT/$coll-np$np.png")
      echo "| jccl-perf $coll np=$np run $rep | $(load) |" >> "$OUT/machine.md"
      echo "results.sh: $coll np=$np run $rep/$REPS (load $(load))" >&2
      # shellcheck disable=SC2086
      bin/jcclrun -np "$np" $over bin/jccl-perf "$coll" -b 8 -e "$MAX_BYTES" -f 2 -d float -o sum \
        -n "$ITERS" -w "$WARMUP" --iter-bytes "$ITER_BYTES" -c 1 --transport "$TRANSPORT" --csv "$base.csv" "${plot[@]}" \
        > "$base.txt" 2> "$base.err" || { echo "results.sh: $coll np=$np run $rep failed (see $base.err)" >&2; exit 1; }
      csvs+=("$base.csv")
    done
    median_table "$coll" "$np" "${csvs[@]}" > "$OUT/$coll-np$np.md"
  done
done

# --- Open MPI ---------------------------------------------------------------------------------
ompi_ran=""
if [[ "$OMPI" != "no" ]] && command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then
  mpicc -O2 -o "$OUT/raw/allreduce_bench" bench/ompi/allreduce_bench.c
  as_root=()
  [[ "$(id -u)" == 0 ]] && as_root=(--allow-run-as-root)
  for np in $NPS; do
    csvs=()
    for rep in $(seq 1 "$REPS"); do
      base="$OUT/raw/ompi-allreduce-np$np-run$rep"
      echo "| Open MPI allreduce np=$np run $rep | $(load) |" >> "$OUT/machine.md"
      echo "results.sh: Open MPI allreduce np=$np run $rep/$REPS (load $(load))" >&2
      mpirun "${as_root[@]}" --oversubscribe -np "$np" --mca btl tcp,self "$OUT/raw/allreduce_bench" \
        -b 8 -e "$MAX_BYTES" -f 2 -n "$ITERS" -w "$WARMUP" -B "$ITER_BYTES" > "$base.txt" 2> "$base.err" \
        || { echo "results.sh: Open MPI np=$np run $rep failed (see $base.err)" >&2; exit 1; }
      # The same CSV columns as jccl-perf's, out-of-place only.
      awk -v np="$np" 'BEGIN { print "collective,algo,transport,nranks,size,count,type,redop,root,placement,time_us,algbw_gbs,busbw_gbs,wrong" }
        /^ *[0-9]/ { printf "all_reduce,ompi,tcp,%d,%s,%s,float,sum,-1,out-of-place,%s,%s,%s,%s\n", np, $1, $2, $5, $6, $7, $8 }' \
        "$base.txt" > "$base.csv"
      csvs+=("$base.csv")
    done
    median_table all_reduce "$np" "${csvs[@]}" | sed 's/ - | - | - |//; s/ in-place time (us) | algbw (GB\/s) | busbw (GB\/s) |//; s/|---:|---:|---:|$/|/' \
      > "$OUT/ompi-allreduce-np$np.md"
    ompi_ran=1
  done
else
  echo "results.sh: no mpicc/mpirun (apt-get install -y openmpi-bin libopenmpi-dev): skipping the Open MPI comparison" >&2
fi

# --- side by side -----------------------------------------------------------------------------
# The issue's table: Open MPI 4.1.4 TCP on a 2-core loopback machine, and JCCL's targets.
if [[ -n "$ompi_ran" && -f "$OUT/all_reduce-np2.md" && -f "$OUT/ompi-allreduce-np2.md" ]]; then
  {
    echo "| allreduce float32, np=2 | Open MPI TCP here | JCCL here (out-of-place) | Open MPI in the issue | JCCL target |"
    echo "|---|---:|---:|---:|---:|"
    echo "| 8 B latency (us) | $(cell_at "$OUT/ompi-allreduce-np2.md" "8 B" 3) | $(cell_at "$OUT/all_reduce-np2.md" "8 B" 3) | 8.7 | <= 13 |"
    for row in "64 KiB|2.46|>= 2.5" "1 MiB|4.67|>= 4.7" "16 MiB|2.72|>= 4.1" "64 MiB|1.50|>= 2.3"; do
      IFS='|' read -r label theirs target <<< "$row"
      echo "| $label busbw (GB/s) | $(cell_at "$OUT/ompi-allreduce-np2.md" "$label" 5) | $(cell_at "$OUT/all_reduce-np2.md" "$label" 5) | $theirs | $target |"
    done
    if [[ -f "$OUT/all_reduce-np4.md" && -f "$OUT/ompi-allreduce-np4.md" ]]; then
      echo
      echo "| allreduce float32, np=4 (oversubscribed) busbw GB/s | Open MPI TCP here | JCCL here (out-of-place) | Open MPI in the issue (target: match or beat) |"
      echo "|---|---:|---:|---:|"
      for row in "64 KiB|0.93" "1 MiB|2.25" "16 MiB|1.31" "64 MiB|0.87"; do
        IFS='|' read -r label theirs <<< "$row"
        echo "| $label | $(cell_at "$OUT/ompi-allreduce-np4.md" "$label" 5) | $(cell_at "$OUT/all_reduce-np4.md" "$label" 5) | $theirs |"
      done
    fi
  } > "$OUT/allreduce-vs-ompi.md"
fi
if [[ -f "$OUT/broadcast-np2.md" && -f "$OUT/all_gather-np2.md" ]]; then
  {
    echo "| np=2 busbw GB/s | JCCL here (out-of-place) | Open MPI in the issue (target: match or beat) |"
    echo "|---|---:|---:|"
    echo "| broadcast 1 MiB | $(cell_at "$OUT/broadcast-np2.md" "1 MiB" 5) | 8.0 |"
    echo "| broadcast 64 MiB | $(cell_at "$OUT/broadcast-np2.md" "64 MiB" 5) | 4.7 |"
    echo "| all_gather 1 MiB | $(cell_at "$OUT/all_gather-np2.md" "1 MiB" 5) | 5.6 |"
    echo "| all_gather 64 MiB | $(cell_at "$OUT/all_gather-np2.md" "64 MiB" 5) | 2.4 |"
  } > "$OUT/bcast-allgather-vs-issue.md"
fi
echo "| end | $(load) |" >> "$OUT/machine.md"

# --- bench/RESULTS.md -------------------------------------------------------------------------
# RESULTS.md holds each generated file between "<!-- BEGIN results/NAME -->" and
# "<!-- END results/NAME -->"; refresh those blocks in place (UPDATE_RESULTS_MD=0 leaves it alone;
# only when OUT is the default, so a trial run elsewhere never rewrites the committed page).
if [[ "${UPDATE_RESULTS_MD:-1}" == 1 && "$OUT" == bench/results && -f bench/RESULTS.md ]]; then
  awk -v dir="$OUT" '
    /^<!-- BEGIN results\/.*-->$/ {
      print; name = $0; sub(/^<!-- BEGIN results\//, "", name); sub(/ -->$/, "", name)
      file = dir "/" name
      if ((getline line < file) > 0) { print line; while ((getline line < file) > 0) print line; close(file); skip = 1 }
      else { skip = 0 }
      next
    }
    /^<!-- END results\/.*-->$/ { skip = 0 }
    !skip { print }' bench/RESULTS.md > bench/RESULTS.md.new && mv bench/RESULTS.md.new bench/RESULTS.md
  echo "results.sh: refreshed the generated blocks of bench/RESULTS.md" >&2
fi
echo "results.sh: done; tables and plots in $OUT/" >&2
