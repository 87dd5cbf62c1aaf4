/*
 * coll_bench: Open MPI collective timing with nccl-tests-like columns, so Open MPI figures sit next
 * to jccl-perf's tables (bench/results.sh runs both). One collective per run, float:
 *
 *   -c allreduce   MPI_Allreduce SUM, out of place   busbw = algbw * 2(n-1)/n   (jccl-perf all_reduce)
 *   -c bcast       MPI_Bcast from rank 0, one buffer busbw = algbw               (jccl-perf broadcast)
 *   -c allgather   MPI_Allgather, out of place       busbw = algbw * (n-1)/n     (jccl-perf all_gather)
 *
 *   mpicc -O2 -o coll_bench bench/ompi/coll_bench.c
 *   mpirun --oversubscribe -np 2 --mca btl tcp,self ./coll_bench -c bcast -b 8 -e 256M -f 2 [-n N] [-w N] [-B BYTES]
 *
 * Sizes as jccl-perf counts them (its PerfColl.counts, nccl-tests' getCollByteCount), so rows line
 * up: for allgather each rank sends block = bytes / 4 / n elements, the size column is the gathered
 * total block * n * 4 and the count column the block; otherwise count = bytes / 4.
 * Per size: -w untimed calls, a barrier, then the mean time of -n timed calls, averaged over ranks as
 * jccl-perf's default -a 1 does. -B is jccl-perf's --iter-bytes: -n and -w shrink alike so the timed
 * calls of one size move about BYTES of the size column (at least 3 timed, 1 warm-up). GB = 1e9
 * bytes. One check pass per size on a poisoned output: small integers, exact in any reduction order.
 */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum coll { ALLREDUCE, BCAST, ALLGATHER };

static const char *const COLL_NAMES[] = { "allreduce", "bcast", "allgather" };

/* MPI_Bcast's root; jccl-perf's -r default. */
static const int ROOT = 0;

/* Written over the output before the check call: no pattern value is negative. */
static const float POISON = -1.0f;

static size_t parse_size(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || v < 0)
    {
        fprintf(stderr, "coll_bench: bad size '%s'\n", s);
        exit(2);
    }
    switch (*end)
    {
        case 'k': case 'K': v *= 1024.0; break;
        case 'm': case 'M': v *= 1024.0 * 1024.0; break;
        case 'g': case 'G': v *= 1024.0 * 1024.0 * 1024.0; break;
        case '\0': break;
        default:
            fprintf(stderr, "coll_bench: bad size suffix in '%s'\n", s);
            exit(2);
    }
    return (size_t)v;
}

/* Timed iterations at one size: jccl-perf's PerfOptions.itersFor (iter_bytes 0 or size 0: always n). */
static int iters_for(size_t bytes, int n, size_t iter_bytes)
{
    if (iter_bytes == 0 || bytes == 0)
    {
        return n;
    }
    size_t fit = iter_bytes / bytes;
    size_t floor = n < 3 ? (size_t)n : 3;
    size_t it = fit < (size_t)n ? fit : (size_t)n;
    return (int)(it > floor ? it : floor);
}

/* Warm-up iterations at one size: jccl-perf's PerfOptions.warmupFor. */
static int warmup_for(size_t bytes, int n, int w, size_t iter_bytes)
{
    int it = iters_for(bytes, n, iter_bytes);
    if (w == 0 || it == n)
    {
        return w;
    }
    long scaled = (long)w * it / n;
    return scaled < 1 ? 1 : (int)scaled;
}

/* The count the collective is called with (the count column) for a requested size. */
static size_t param_count(enum coll c, size_t bytes, int nranks)
{
    return c == ALLGATHER ? bytes / sizeof(float) / (size_t)nranks : bytes / sizeof(float);
}

/* The size column: the larger of what a rank sends and receives. */
static size_t size_bytes(enum coll c, size_t count, int nranks)
{
    return (c == ALLGATHER ? count * (size_t)nranks : count) * sizeof(float);
}

static double busbw_factor(enum coll c, int nranks)
{
    switch (c)
    {
        case ALLREDUCE: return 2.0 * (nranks - 1) / nranks;
        case ALLGATHER: return (double)(nranks - 1) / nranks;
        default: return 1.0;
    }
}

static void call(enum coll c, float *send, float *recv, size_t count)
{
    switch (c)
    {
        case ALLREDUCE: MPI_Allreduce(send, recv, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); break;
        case BCAST: MPI_Bcast(recv, (int)count, MPI_FLOAT, ROOT, MPI_COMM_WORLD); break;
        case ALLGATHER: MPI_Allgather(send, (int)count, MPI_FLOAT, recv, (int)count, MPI_FLOAT, MPI_COMM_WORLD); break;
    }
}

/* Element j of rank r's input: small integers, so every float sum below is exact. */
static float pattern(int r, size_t j)
{
    return (float)((r + 1) * (int)(j % 64));
}

/* Inputs for one size; the output poisoned, so a rank that receives nothing is caught. */
static void fill(enum coll c, int rank, float *send, float *recv, size_t count, int nranks)
{
    size_t out = c == ALLGATHER ? count * (size_t)nranks : count;
    for (size_t j = 0; j < out; j++)
    {
        recv[j] = POISON;
    }
    if (c == BCAST)
    {
        if (rank == ROOT)
        {
            for (size_t j = 0; j < count; j++) recv[j] = pattern(ROOT, j);
        }
        return;
    }
    for (size_t j = 0; j < count; j++)
    {
        send[j] = pattern(rank, j);
    }
}

static long check(enum coll c, const float *recv, size_t count, int nranks)
{
    long wrong = 0;
    float ranks_sum = (float)(nranks * (nranks + 1) / 2);
    switch (c)
    {
        case ALLREDUCE:
            for (size_t j = 0; j < count; j++) wrong += recv[j] != ranks_sum * (float)(j % 64);
            break;
        case BCAST:
            for (size_t j = 0; j < count; j++) wrong += recv[j] != pattern(ROOT, j);
            break;
        case ALLGATHER:
            for (int r = 0; r < nranks; r++)
            {
                for (size_t j = 0; j < count; j++) wrong += recv[(size_t)r * count + j] != pattern(r, j);
            }
            break;
    }
    return wrong;
}

int main(int argc, char **argv)
{
    size_t min_bytes = 8, max_bytes = (size_t)256 << 20;
    size_t iter_bytes = 0;
    int factor = 2, iters = 200, warmup = 20;
    enum coll c = ALLREDUCE;
    MPI_Init(&argc, &argv);
    int rank, nranks;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    for (int i = 1; i < argc; i++)
    {
        if (i + 1 >= argc)
        {
            if (rank == 0) fprintf(stderr, "coll_bench: %s needs a value\n", argv[i]);
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        if (!strcmp(argv[i], "-c"))
        {
            const char *name = argv[++i];
            int found = 0;
            for (int k = 0; k < 3; k++)
            {
                if (!strcmp(name, COLL_NAMES[k])) { c = (enum coll)k; found = 1; }
            }
            if (!found)
            {
                if (rank == 0) fprintf(stderr, "coll_bench: unknown collective '%s' (known: allreduce bcast allgather)\n", name);
                MPI_Abort(MPI_COMM_WORLD, 2);
            }
        }
        else if (!strcmp(argv[i], "-b")) min_bytes = parse_size(argv[++i]);
        else if (!strcmp(argv[i], "-e")) max_bytes = parse_size(argv[++i]);
        else if (!strcmp(argv[i], "-f")) factor = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n")) iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-w")) warmup = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-B")) iter_bytes = parse_size(argv[++i]);
        else
        {
            if (rank == 0) fprintf(stderr, "coll_bench: unknown option %s (known: -c -b -e -f -n -w -B)\n", argv[i]);
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
    }
    if (factor < 2 || iters < 1 || warmup < 0 || min_bytes < 4 || max_bytes / sizeof(float) > INT_MAX)
    {
        if (rank == 0) fprintf(stderr, "coll_bench: need -f >= 2, -n >= 1, -w >= 0, -b >= 4, -e < 8G\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    /* Every collective's output fits max_bytes (allgather's gathered total is at most the requested size). */
    size_t max_count = max_bytes / sizeof(float);
    float *send = malloc(max_count * sizeof(float));
    float *recv = malloc(max_count * sizeof(float));
    if (send == NULL || recv == NULL)
    {
        fprintf(stderr, "coll_bench: rank %d cannot allocate %zu bytes\n", rank, 2 * max_bytes);
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    const char *redop = c == ALLREDUCE ? "sum" : "none";
    if (rank == 0)
    {
        printf("# Open MPI %s float %s: %d ranks, minBytes %zu maxBytes %zu step %d(factor) warmup %d iters %d iter-bytes %zu\n",
            COLL_NAMES[c], redop, nranks, min_bytes, max_bytes, factor, warmup, iters, iter_bytes);
        printf("#%11s %13s %9s %7s %9s %8s %8s %7s\n", "size", "count", "type", "redop", "time", "algbw", "busbw", "#wrong");
        printf("#%11s %13s %9s %7s %9s %8s %8s %7s\n", "(B)", "(elements)", "", "", "(us)", "(GB/s)", "(GB/s)", "");
    }
    long total_wrong = 0;
    double bw_sum = 0;
    int rows = 0;
    for (size_t requested = min_bytes; requested <= max_bytes; requested *= (size_t)factor)
    {
        size_t count = param_count(c, requested, nranks);
        size_t bytes = size_bytes(c, count, nranks);
        fill(c, rank, send, recv, count, nranks);
        int n = iters_for(bytes, iters, iter_bytes);
        int w = warmup_for(bytes, iters, warmup, iter_bytes);
        for (int i = 0; i < w; i++)
        {
            call(c, send, recv, count);
        }
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < n; i++)
        {
            call(c, send, recv, count);
        }
        double seconds = (MPI_Wtime() - start) / n, mean = 0;
        MPI_Allreduce(&seconds, &mean, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        mean /= nranks;

        fill(c, rank, send, recv, count, nranks);
        call(c, send, recv, count);
        long wrong = check(c, recv, count, nranks), all_wrong = 0;
        MPI_Allreduce(&wrong, &all_wrong, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        total_wrong += all_wrong;

        double algbw = mean > 0 ? bytes / mean / 1e9 : 0;
        double busbw = algbw * busbw_factor(c, nranks);
        bw_sum += busbw;
        rows++;
        if (rank == 0)
        {
            printf("%12zu %13zu %9s %7s %9.2f %8.2f %8.2f %7ld\n", bytes, count, "float", redop, mean * 1e6, algbw, busbw, all_wrong);
            fflush(stdout);
        }
    }
    if (rank == 0)
    {
        printf("# Out of bounds values : %ld %s\n", total_wrong, total_wrong == 0 ? "OK" : "FAILED");
        printf("# Avg bus bandwidth    : %g\n", rows ? bw_sum / rows : 0.0);
    }
    free(send);
    free(recv);
    MPI_Finalize();
    return total_wrong == 0 ? 0 : 1;
}
