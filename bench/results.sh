#!/usr/bin/env bash
# bench/results.sh: regenerates every figure of bench/RESULTS.md. A benchmark, never part of the
# test suite (nothing in the Maven build calls it).
#
#   ./mvnw -B -DskipTests package && bench/results.sh
#
# For np in 2 and 4 (with --oversubscribe: 4 ranks on 2 cores) it runs `bin/jcclrun -np N bin/jccl-perf COLL` for
# all_reduce, broadcast and all_gather, float, 8 B to 256 MiB, -f 2, REPS times, and writes under
# $OUT (default bench/results/, bench/results-shm/ with TRANSPORT=shm):
#   COLL-npN.md       markdown table, median over the runs of each size's time (algbw and busbw
#                     recomputed from that median), the #wrong of every run summed
#   COLL-npN.png      jccl-perf --plot of the first run
#   ompi-allreduce-npN.md, ompi-broadcast-npN.md, ompi-all_gather-npN.md
#                     Open MPI (when mpicc/mpirun exist) MPI_Allreduce / MPI_Bcast / MPI_Allgather,
#                     same sizes and median rule (bench/ompi/coll_bench.c), over its TCP BTL
#                     (--mca btl tcp,self) or, with TRANSPORT=shm, its shared-memory BTL (vader,self);
#                     each Open MPI run right after the jccl-perf run of the same collective, np and rep
#   allreduce-vs-ompi.md         (tcp) JCCL against Open MPI here and the issue's figures and targets
#   bcast-allgather-vs-issue.md  (tcp) the same for broadcast and all_gather at np=2
#   shm-vs-ompi.md               (shm) JCCL shm against Open MPI vader here, the issue's Open MPI
#                                shared-memory figures and the targets (np=2 all_reduce)
#   loopback-floor.md (tcp, np=2 all_reduce) the bare loopback exchange beside each run
#                     (bench/tools/exchange.c, needs gcc) and the np=2 allreduce busbw it bounds
#   machine.md        CPU, cores, JDK, kernel, Open MPI, date and the load average of every run
#   raw/              every run's stdout and CSV
# With OUT at its default it then refreshes bench/RESULTS.md's generated blocks (see the end).
#
# Knobs (environment): REPS (3), NPS ("2 4"), COLLS ("all_reduce broadcast all_gather"),
# MAX_BYTES (256M), ITERS (2000) and WARMUP (500) at small sizes (the first sizes also warm up the JIT), ITER_BYTES (512M: above
# ITER_BYTES/ITERS bytes the iterations shrink, see jccl-perf --iter-bytes), OUT, OMPI (auto|no),
# RUN_TIMEOUT (900: seconds one jccl-perf or Open MPI run may take before it is killed and the script fails),
# TRANSPORT (tcp; shm for the shared-memory transport against Open MPI's vader:
#   OUT=bench/results-shm TRANSPORT=shm NPS=2 COLLS=all_reduce REPS=3 MAX_BYTES=64M bench/results.sh).
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
OMPI="${OMPI:-auto}"
RUN_TIMEOUT="${RUN_TIMEOUT:-900}"
# jccl-perf's transport: tcp for the side-by-side with Open MPI's TCP path (auto would pick shm on one host)
TRANSPORT="${TRANSPORT:-tcp}"
case "$TRANSPORT" in
  tcp) default_out=bench/results ;;
  *) default_out="bench/results-$TRANSPORT" ;;
esac
OUT="${OUT:-$default_out}"

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
  echo "| JDK | $(timeout 30 java -version 2>&1 | sed -n 2p) |"
  if command -v mpirun >/dev/null 2>&1; then
    echo "| Open MPI | $(timeout 30 mpirun --version 2>/dev/null | head -1) |"
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

# cell_at MD SIZE_LABEL COLUMN: a cell of a median table (column 5: out-of-place busbw, 3: its
# time, 8: in-place busbw); "-" when the table or the row is missing.
cell_at() {
  local v=""
  [[ -f "$1" ]] && v="$(awk -F'|' -v label="$2" -v col="$3" '{ gsub(/^ +| +$/, "", $2) } $2 == label { v = $(col + 1); gsub(/ /, "", v); print v; exit }' "$1")"
  echo "${v:--}"
}

# bounded CMD...: runs CMD, killed after RUN_TIMEOUT seconds (exit 124) so a stuck rank never hangs the script.
bounded() {
  timeout --kill-after=30 "$RUN_TIMEOUT" "$@"
}

# --- loopback floor ---------------------------------------------------------------------------
# What the machine allows, measured beside each np=2 allreduce run (its speed swings by a quarter
# from hour to hour, and by more from minute to minute): bench/tools/exchange.c, two processes
# bound to CPUs 0 and 1 swapping the bytes each way over one loopback connection under reno (as
# JCCL's local links), no JCCL code and no reduction. An np=2 allreduce of S bytes moves S each way
# at least (recursive doubling in one exchange, the ring in two of S/2), so S / (that exchange's
# time) is about the best busbw it can show; at 8 B the exchange is one round trip. 1 MiB takes
# the fastest of three write sizes. Not past 16 MiB: there the C program's own buffers (64 MiB
# each way) outgrow the caches and it falls below JCCL's ring, so it bounds nothing.
floor_specs=("8 B|8 1 20000" "64 KiB|65536 1 20000" "1 MiB|1048576 1 2000" "1 MiB|524288 2 2000" "1 MiB|262144 4 2000"
  "16 MiB|1048576 16 200")
floor_ok=""
if [[ "$TRANSPORT" == tcp ]] && [[ " $NPS " == *" 2 "* ]] && [[ " $COLLS " == *" all_reduce "* ]]; then
  if command -v gcc >/dev/null 2>&1 && timeout 120 gcc -O2 -o "$OUT/raw/exchange" bench/tools/exchange.c; then
    floor_ok=1
  else
    echo "results.sh: no gcc: skipping the loopback floor (bench/tools/exchange.c)" >&2
  fi
fi
# floor_run REP: one pass over floor_specs into raw/floor-runREP.txt ("LABEL<TAB>us" lines).
floor_run() {
  local spec label args us
  : > "$OUT/raw/floor-run$1.txt"
  for spec in "${floor_specs[@]}"; do
    IFS='|' read -r label args <<< "$spec"
    # shellcheck disable=SC2086
    us="$(bounded "$OUT/raw/exchange" $args reno | sed -n 's/.*: \([0-9.]*\) us per exchange.*/\1/p')"
    [[ -n "$us" ]] || { echo "results.sh: exchange $args failed" >&2; exit 1; }
    printf '%s\t%s\n' "$label" "$us" >> "$OUT/raw/floor-run$1.txt"
  done
}
# floor_table FILE...: per size the fastest spec of each run, then the median over runs.
floor_table() {
  awk -F'\t' '
    FNR == 1 { run++ }
    { key = $1 SUBSEP run; if (!(key in best) || $2 < best[key]) best[key] = $2
      if (!($1 in seen)) { seen[$1] = 1; order[++labels] = $1 } }
    function bytes(label,   v) { split(label, v, " "); return v[1] * (v[2] == "MiB" ? 1048576 : v[2] == "KiB" ? 1024 : 1) }
    END {
      print "| size each way | bare loopback exchange (us), median of " run " | np=2 allreduce busbw bound (GB/s) |"
      print "|---:|---:|---:|"
      for (i = 1; i <= labels; i++) {
        l = order[i]; m = 0
        for (r = 1; r <= run; r++) a[++m] = best[l SUBSEP r]
        for (x = 2; x <= m; x++) { t = a[x]; for (y = x - 1; y >= 1 && a[y] > t; y--) a[y + 1] = a[y]; a[y + 1] = t }
        med = m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
        printf "| %s | %.1f | %s |\n", l, med, l == "8 B" ? "-" : sprintf("%.2f", bytes(l) / (med * 1000))
      }
    }' "$@"
}

# --- Open MPI set-up ---------------------------------------------------------------------------
# The same collectives through bench/ompi/coll_bench.c, over the Open MPI path that matches
# jccl-perf's transport: the TCP BTL, or vader (Open MPI 4's shared-memory BTL) for shm.
case "$TRANSPORT" in
  tcp) ompi_btl=tcp,self; ompi_path=tcp ;;
  shm) ompi_btl=vader,self; ompi_path=vader ;;
  *) ompi_btl=""; ompi_path="" ;;
esac
# ompi_coll COLL: coll_bench's -c for a jccl-perf collective ("" for those it does not run).
ompi_coll() {
  case "$1" in
    all_reduce) echo allreduce ;;
    broadcast) echo bcast ;;
    all_gather) echo allgather ;;
    *) echo "" ;;
  esac
}
# ompi_md COLL NP: the Open MPI table for a jccl-perf collective (allreduce keeps its first name).
ompi_md() {
  if [[ "$1" == all_reduce ]]; then echo "$OUT/ompi-allreduce-np$2.md"; else echo "$OUT/ompi-$1-np$2.md"; fi
}
ompi_ok=""
if [[ "$OMPI" == "no" ]]; then
  echo "results.sh: OMPI=no: skipping the Open MPI comparison" >&2
elif [[ -z "$ompi_btl" ]]; then
  echo "results.sh: no Open MPI counterpart to TRANSPORT=$TRANSPORT: skipping the Open MPI comparison" >&2
elif ! command -v mpicc >/dev/null 2>&1 || ! command -v mpirun >/dev/null 2>&1; then
  echo "results.sh: no mpicc/mpirun (apt-get install -y openmpi-bin libopenmpi-dev): skipping the Open MPI comparison" >&2
else
  timeout 120 mpicc -O2 -o "$OUT/raw/coll_bench" bench/ompi/coll_bench.c
  ompi_ok=1
fi
as_root=()
[[ "$(id -u)" == 0 ]] && as_root=(--allow-run-as-root)
# ompi_run COLL NP REP: one Open MPI run into raw/ompi-COLL-npNP-runREP.{txt,csv} (jccl-perf's CSV
# columns, out of place only).
ompi_run() {
  local coll="$1" np="$2" rep="$3" c base
  c="$(ompi_coll "$coll")"
  base="$OUT/raw/ompi-$coll-np$np-run$rep"
  echo "| Open MPI $c ($ompi_path) np=$np run $rep | $(load) |" >> "$OUT/machine.md"
  echo "results.sh: Open MPI $c ($ompi_path) np=$np run $rep/$REPS (load $(load))" >&2
  bounded mpirun "${as_root[@]}" --oversubscribe -np "$np" --mca btl "$ompi_btl" "$OUT/raw/coll_bench" -c "$c" \
    -b 8 -e "$MAX_BYTES" -f 2 -n "$ITERS" -w "$WARMUP" -B "$ITER_BYTES" > "$base.txt" 2> "$base.err" \
    || { echo "results.sh: Open MPI $c np=$np run $rep failed, exit $? (124: over RUN_TIMEOUT=${RUN_TIMEOUT}s; see $base.err)" >&2; exit 1; }
  awk -v coll="$coll" -v path="$ompi_path" -v np="$np" 'BEGIN { print "collective,algo,transport,nranks,size,count,type,redop,root,placement,time_us,algbw_gbs,busbw_gbs,wrong" }
    /^ *[0-9]/ { printf "%s,ompi,%s,%d,%s,%s,%s,%s,%s,out-of-place,%s,%s,%s,%s\n", coll, path, np, $1, $2, $3, $4, coll == "broadcast" ? 0 : -1, $5, $6, $7, $8 }' \
    "$base.txt" > "$base.csv"
}

# --- jccl-perf and Open MPI, run by run -------------------------------------------------------
# Each jccl-perf run is followed by its Open MPI run (and an np=2 allreduce run is preceded by the
# loopback exchange), so the two libraries of a pair meet the same machine: its speed drifts by a
# quarter within minutes, and all of one library first, then all of the other, compared hours.
ompi_ran=""
for np in $NPS; do
  # More ranks than cores needs jcclrun's consent; harmless otherwise.
  over="--oversubscribe"
  for coll in $COLLS; do
    csvs=()
    ompi_csvs=()
    for rep in $(seq 1 "$REPS"); do
      base="$OUT/raw/$coll-np$np-run$rep"
      plot=()
      [[ "$rep" == 1 ]] && plot=(--plot "$OUT/$coll-np$np.png")
      if [[ -n "$floor_ok" && "$np" == 2 && "$coll" == all_reduce ]]; then
        echo "results.sh: loopback floor run $rep/$REPS (load $(load))" >&2
        floor_run "$rep"
      fi
      echo "| jccl-perf $coll np=$np run $rep | $(load) |" >> "$OUT/machine.md"
      echo "results.sh: $coll np=$np run $rep/$REPS (load $(load))" >&2
      # shellcheck disable=SC2086
      bounded bin/jcclrun -np "$np" $over bin/jccl-perf "$coll" -b 8 -e "$MAX_BYTES" -f 2 -d float -o sum \
        -n "$ITERS" -w "$WARMUP" --iter-bytes "$ITER_BYTES" -c 1 --transport "$TRANSPORT" --csv "$base.csv" "${plot[@]}" \
        > "$base.txt" 2> "$base.err" || { echo "results.sh: $coll np=$np run $rep failed, exit $? (124: over RUN_TIMEOUT=${RUN_TIMEOUT}s; see $base.err)" >&2; exit 1; }
      csvs+=("$base.csv")
      if [[ -n "$ompi_ok" && -n "$(ompi_coll "$coll")" ]]; then
        ompi_run "$coll" "$np" "$rep"
        ompi_csvs+=("$OUT/raw/ompi-$coll-np$np-run$rep.csv")
      fi
    done
    median_table "$coll" "$np" "${csvs[@]}" > "$OUT/$coll-np$np.md"
    if [[ ${#ompi_csvs[@]} -gt 0 ]]; then
      median_table "$coll" "$np" "${ompi_csvs[@]}" | sed 's/ - | - | - |//; s/ in-place time (us) | algbw (GB\/s) | busbw (GB\/s) |//; s/|---:|---:|---:|$/|/' \
        > "$(ompi_md "$coll" "$np")"
      ompi_ran=1
    fi
  done
done
if [[ -n "$floor_ok" ]]; then
  floor_table "$OUT"/raw/floor-run*.txt > "$OUT/loopback-floor.md"
fi

# --- side by side -----------------------------------------------------------------------------
# The issues' tables: Open MPI 4.1.4 on a 2-core loopback machine, and JCCL's targets.
if [[ "$TRANSPORT" == tcp && -n "$ompi_ran" && -f "$OUT/all_reduce-np2.md" && -f "$OUT/ompi-allreduce-np2.md" ]]; then
  {
    # The bound column: loopback-floor.md (the bare exchange time at 8 B, the busbw it allows above).
    echo "| allreduce float32, np=2 | Open MPI TCP here | JCCL here (out-of-place) | bare C exchange here (bound) | Open MPI in the issue | JCCL target |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| 8 B latency (us) | $(cell_at "$OUT/ompi-allreduce-np2.md" "8 B" 3) | $(cell_at "$OUT/all_reduce-np2.md" "8 B" 3) | $(cell_at "$OUT/loopback-floor.md" "8 B" 2) | 8.7 | <= 13 |"
    for row in "64 KiB|2.46|>= 2.5" "1 MiB|4.67|>= 4.7" "16 MiB|2.72|>= 4.1" "64 MiB|1.50|>= 2.3"; do
      IFS='|' read -r label theirs target <<< "$row"
      echo "| $label busbw (GB/s) | $(cell_at "$OUT/ompi-allreduce-np2.md" "$label" 5) | $(cell_at "$OUT/all_reduce-np2.md" "$label" 5) | $(cell_at "$OUT/loopback-floor.md" "$label" 3) | $theirs | $target |"
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
if [[ "$TRANSPORT" == tcp && -f "$OUT/broadcast-np2.md" && -f "$OUT/all_gather-np2.md" ]]; then
  {
    # MPI_Bcast has one buffer, so Open MPI's broadcast compares with JCCL's in-place column (out of
    # place, the root also copies its source into its destination); MPI_Allgather here is out of place.
    echo "| np=2 busbw GB/s | Open MPI TCP here | JCCL here (out-of-place / in-place) | Open MPI in the issue (target: match or beat) |"
    echo "|---|---:|---:|---:|"
    for row in "broadcast|1 MiB|8.0" "broadcast|64 MiB|4.7" "all_gather|1 MiB|5.6" "all_gather|64 MiB|2.4"; do
      IFS='|' read -r coll label theirs <<< "$row"
      echo "| $coll $label | $(cell_at "$(ompi_md "$coll" 2)" "$label" 5) | $(cell_at "$OUT/$coll-np2.md" "$label" 5) / $(cell_at "$OUT/$coll-np2.md" "$label" 8) | $theirs |"
    done
  } > "$OUT/bcast-allgather-vs-issue.md"
fi
if [[ "$TRANSPORT" == shm && -f "$OUT/all_reduce-np2.md" ]]; then
  # Issue 8: Open MPI 4.1.4's shared-memory path on the issue's machine, and JCCL shm's targets.
  {
    echo "| allreduce float32, np=2, busbw GB/s | Open MPI vader here | JCCL shm here (out-of-place / in-place) | Open MPI shm in the issue | JCCL shm target |"
    echo "|---|---:|---:|---:|---:|"
    for row in "1 MiB|7.2|>= 7.2" "16 MiB|5.7|>= 6.5" "64 MiB|2.3|>= 6.5"; do
      IFS='|' read -r label theirs target <<< "$row"
      echo "| $label | $(cell_at "$OUT/ompi-allreduce-np2.md" "$label" 5) | $(cell_at "$OUT/all_reduce-np2.md" "$label" 5) / $(cell_at "$OUT/all_reduce-np2.md" "$label" 8) | $theirs | $target |"
    done
  } > "$OUT/shm-vs-ompi.md"
fi
echo "| end | $(load) |" >> "$OUT/machine.md"

# --- bench/RESULTS.md -------------------------------------------------------------------------
# RESULTS.md holds each generated file between "<!-- BEGIN DIR/NAME -->" and "<!-- END DIR/NAME -->",
# DIR being results (TCP) or results-shm; refresh this run's blocks in place (UPDATE_RESULTS_MD=0
# leaves it alone; only when OUT is its transport's default, so a trial run elsewhere never rewrites
# the committed page). A block whose file this run did not write keeps its text.
if [[ "${UPDATE_RESULTS_MD:-1}" == 1 && "$OUT" == "$default_out" && -f bench/RESULTS.md ]]; then
  awk -v dir="$OUT" -v begin="<!-- BEGIN ${OUT#bench/}/" '
    substr($0, 1, length(begin)) == begin && / -->$/ {
      print; name = substr($0, length(begin) + 1); sub(/ -->$/, "", name)
      file = dir "/" name
      if ((getline line < file) > 0) { print line; while ((getline line < file) > 0) print line; close(file); skip = 1 }
      else { skip = 0 }
      next
    }
    /^<!-- END .*-->$/ { skip = 0 }
    !skip { print }' bench/RESULTS.md > bench/RESULTS.md.new && mv bench/RESULTS.md.new bench/RESULTS.md
  echo "results.sh: refreshed the ${OUT#bench/}/ blocks of bench/RESULTS.md" >&2
fi
echo "results.sh: done; tables and plots in $OUT/" >&2
