#!/usr/bin/env bash
# bench/twohosts.sh: runs one jccl-perf job on two emulated hosts of this machine, each a Linux
# network namespace with its own loopback, joined by a veth pair whose bandwidth tc limits: the
# traffic between "hosts" crosses a real, slower link, as between two machines, while ranks of one
# host share memory (/dev/shm is not namespaced). Needs root (ip netns, tc). For hierarchical
# collectives: which layout and switch point pay off once the link between hosts is the
# bottleneck, something two "hosts" on one loopback cannot show.
#
#   bench/twohosts.sh [-r RATE] [-p RANKS_PER_HOST] [-x VAR=value]... -- all_reduce -b 64K -e 64M -f 4 [--algo hier]
#   bench/twohosts.sh [-r RATE] -s SECONDS     # no job: one plain TCP stream host0 -> host1, the link's real rate
#
# RATE: tc tbf rate of each direction (default 1gbit; "none" for no limit). Ranks get torchrun's
# variables (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR/PORT on host 0's veth
# address), JCCL_HOST_NAME=hostH and JCCL_SOCKET_IFNAME of their veth; -x adds a variable to every
# rank (e.g. -x JCCL_TRANSPORT=tcp for a flat TCP job). Rank 0's output is printed; every rank's
# is kept under $LOGS (default /tmp/jccl-twohosts). Exit status: the first non-zero rank's, else 0.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RATE=1gbit
PER_HOST=2
EXTRA=()
STREAM=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -r) RATE="$2"; shift 2 ;;
    -p) PER_HOST="$2"; shift 2 ;;
    -x) EXTRA+=("$2"); shift 2 ;;
    -s) STREAM="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "twohosts.sh: unknown option '$1' (usage: see the header of $0)" >&2; exit 2 ;;
  esac
done
if [[ -n "$STREAM" ]] && ! [[ "$STREAM" =~ ^[1-9][0-9]{0,2}$ ]]; then
  echo "twohosts.sh: -s takes 1-999 seconds, got '$STREAM'" >&2
  exit 2
fi
if [[ $# -eq 0 && -z "$STREAM" ]]; then
  echo "twohosts.sh: no jccl-perf arguments after --" >&2
  exit 2
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "twohosts.sh: needs root for ip netns and tc" >&2
  exit 2
fi
if ! [[ "$PER_HOST" =~ ^[1-9][0-9]?$ ]]; then
  echo "twohosts.sh: -p takes 1-99 ranks per host, got '$PER_HOST'" >&2
  exit 2
fi
LOGS="${LOGS:-/tmp/jccl-twohosts}"
RUN_TIMEOUT="${RUN_TIMEOUT:-600}"
tag="jh$$"
ns=("${tag}a" "${tag}b")
dev=("${tag}0" "${tag}1")
addr=(10.231.0.1 10.231.0.2)
port=$((20000 + $$ % 20000))

cleanup() {
  for n in "${ns[@]}"; do
    ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$n" 2>/dev/null || true
  done
}
trap cleanup EXIT

ip netns add "${ns[0]}"
ip netns add "${ns[1]}"
ip link add "${dev[0]}" type veth peer name "${dev[1]}"
for h in 0 1; do
  ip link set "${dev[$h]}" netns "${ns[$h]}"
  ip -n "${ns[$h]}" addr add "${addr[$h]}/24" dev "${dev[$h]}"
  ip -n "${ns[$h]}" link set lo up
  ip -n "${ns[$h]}" link set "${dev[$h]}" up
  if [[ "$RATE" != none ]]; then
    # A token bucket on each egress: RATE each way, a 4 MiB burst and queue, like a switch port.
    tc -n "${ns[$h]}" qdisc add dev "${dev[$h]}" root tbf rate "$RATE" burst 4mb latency 50ms
  fi
done

if [[ -n "$STREAM" ]]; then
  # What tc really lets through: one TCP stream of 1 MiB writes for STREAM seconds, bytes counted
  # by the receiver from its first byte to end of stream.
  ip netns exec "${ns[1]}" python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(30)
c, _ = s.accept(); c.settimeout(30)
buf = memoryview(bytearray(1 << 20)); n = 0; start = None
while True:
    k = c.recv_into(buf)
    if not k:
        break
    if start is None:
        start = time.monotonic()
    n += k
print(f"stream {sys.argv[3]}: {n / 1e6:.0f} MB in {time.monotonic() - start:.2f} s = {n / (time.monotonic() - start) / 1e6:.1f} MB/s")
' "${addr[1]}" "$port" "$RATE" &
  server=$!
  sleep 1
  ip netns exec "${ns[0]}" python3 -c '
import socket, sys, time
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
chunk = bytes(1 << 20); end = time.monotonic() + float(sys.argv[3])
while time.monotonic() < end:
    c.sendall(chunk)
c.close()
' "${addr[1]}" "$port" "$STREAM"
  wait "$server"
  exit $?
fi

mkdir -p "$LOGS"
world=$((2 * PER_HOST))
pids=()
for h in 0 1; do
  for l in $(seq 0 $((PER_HOST - 1))); do
    r=$((h * PER_HOST + l))
    ip netns exec "${ns[$h]}" env RANK="$r" WORLD_SIZE="$world" LOCAL_RANK="$l" LOCAL_WORLD_SIZE="$PER_HOST" \
      MASTER_ADDR="${addr[0]}" MASTER_PORT="$port" JCCL_HOST_NAME="host$h" JCCL_SOCKET_IFNAME="${dev[$h]}" \
      "${EXTRA[@]}" timeout "$RUN_TIMEOUT" "$root/bin/jccl-perf" "$@" > "$LOGS/rank$r.log" 2>&1 &
    pids+=($!)
  done
done
status=0
for p in "${pids[@]}"; do
  if ! wait "$p"; then
    rc=$?
    [[ $status == 0 ]] && status=$rc
  fi
done
cat "$LOGS/rank0.log"
if [[ $status != 0 ]]; then
  echo "twohosts.sh: a rank failed (exit $status); logs in $LOGS" >&2
fi
exit "$status"
