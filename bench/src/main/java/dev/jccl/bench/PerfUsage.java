package dev.jccl.bench;

/** jccl-perf's usage text: nccl-tests' options, then JCCL's own. */
final class PerfUsage
{
    static final String TEXT = String.join("\n",
        "Usage: jccl-perf <all_reduce|all_gather|broadcast|reduce_scatter|reduce|barrier> [options]",
        "       jccl-perf --list-algos",
        "",
        "nccl-tests options:",
        "  -b, --minbytes SIZE       smallest size (default 32M; suffixes K M G)",
        "  -e, --maxbytes SIZE       largest size (default 32M)",
        "  -f, --stepfactor N        multiply the size by N each step",
        "  -i, --stepbytes SIZE      add SIZE each step when no factor is given (default 1M)",
        "  -n, --iters N             timed iterations per size (default 20)",
        "  -w, --warmup_iters N      untimed iterations before each timing (default 5; 0: no warm-up at all)",
        "      --warmup-ms MS        before the table, untimed rounds over the sizes up to 8M until the JIT is quiet,",
        "                            at most MS milliseconds (default 5000; 0: one round)",
        "      --iter-bytes SIZE     fewer iterations for large sizes: -n and -w shrink alike so that the",
        "                            timed calls of one size move about SIZE bytes (at least 3 timed, 1 warm-up)",
        "  -c, --check N             check iterations, 0 turns the check off (default 1)",
        "  -d, --datatype TYPE       float half bfloat16 double int8 uint8 int32 uint32 int64 uint64 or all",
        "  -o, --op OP               sum prod min max avg or all (default sum)",
        "  -r, --root N              root rank of broadcast and reduce; -1 runs every root (default 0)",
        "  -a, --average N           time across ranks: 0 rank 0, 1 avg, 2 min, 3 max (default 1)",
        "  -N, --run_cycles N        repeat the whole run N times, 0 forever (default 1)",
        "  -T, --timeout SECONDS     communicator timeout",
        "JCCL options:",
        "  -t, --nthreads N          run N ranks as threads in this JVM over loopback",
        "                            (without it: one rank per process, from jcclrun/torchrun/MPI env)",
        "      --transport T[,T..]   tcp, shm or nccl; several compare transports",
        "      --algo A[,A..]        algorithm for the measured collective (ring, rd, ...); several compare",
        "                            algorithms; a JCCL_ALGO tuning string with ':' is passed as is",
        "      --mem direct|heap     buffers: direct ByteBuffers (default) or heap byte[]",
        "      --list-algos          print every algorithm's name and description",
        "      --json FILE           write the results as JSON",
        "      --csv FILE            write the results as CSV",
        "      --plot FILE.png       plot busbw and algbw against size",
        "  -h, --help                this text");

    private PerfUsage()
    {
    }
}
