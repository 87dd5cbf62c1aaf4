/*
 * allreduce_bench: MPI_Allreduce (float, MPI_SUM) timing with nccl-tests-like columns, so Open MPI
 * figures sit next to jccl-perf's all_reduce table (bench/results.sh runs both).
 *
 *   mpicc -O2 -o allreduce_bench bench/ompi/allreduce_bench.c
 *   mpirun --oversubscribe -np 2 --mca btl tcp,self ./allreduce_bench -b 8 -e 256M -f 2 [-n N] [-w N] [-B BYTES]
 *
 * Per size: -w untimed calls, a barrier, then the mean time of -n timed calls, averaged over
 * ranks as jccl-perf's default -a 1 does. -B is jccl-perf's --iter-bytes: -n and -w shrink alike
 * so the timed calls of one size move about BYTES (at least 3 timed, 1 warm-up). algbw = bytes / time,
 * busbw = algbw * 2(n-1)/n, GB = 1e9 bytes. One check pass per size: every rank contributes
 * (rank + 1) * small integers, so the float sum is exact in any reduction order.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t parse_size(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || v < 0)
    {
        fprintf(stderr, "allreduce_bench: bad size '%s'\n", s);
        exit(2);
    }
    switch (*end)
    {
        case 'k': case 'K': v *= 1024.0; break;
        case 'm': case 'M': v *= 1024.0 * 1024.0; break;
        case 'g': case 'G': v *= 1024.0 * 1024.0 * 1024.0; break;
        case '\0': break;
        default:
            fprintf(stderr, "allreduce_bench: bad size suffix in '%s'\n", s);
            exit(2);
    }
    return (size_t)v;
}

/* Timed iterations at one size: jccl-perf's PerfOptions.itersFor (iter_bytes 0: always n). */
static int iters_for(size_t bytes, int n, size_t iter_bytes)
{
    if (iter_bytes == 0)
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

int main(int argc, char **argv)
{
    size_t min_bytes = 8, max_bytes = (size_t)256 << 20;
    size_t iter_bytes = 0;
    int factor = 2, iters = 200, warmup = 20;
    MPI_Init(&argc, &argv);
    int rank, nranks;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    for (int i = 1; i < argc; i++)
    {
        if (i + 1 >= argc)
        {
            if (rank == 0) fprintf(stderr, "allreduce_bench: %s needs a value\n", argv[i]);
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        if (!strcmp(argv[i], "-b")) min_bytes = parse_size(argv[++i]);
        else if (!strcmp(argv[i], "-e")) max_bytes = parse_size(argv[++i]);
        else if (!strcmp(argv[i], "-f")) factor = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n")) iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-w")) warmup = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-B")) iter_bytes = parse_size(argv[++i]);
        else
        {
            if (rank == 0) fprintf(stderr, "allreduce_bench: unknown option %s (known: -b -e -f -n -w -B)\n", argv[i]);
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
    }
    if (factor < 2 || iters < 1 || warmup < 0 || min_bytes < 4)
    {
        if (rank == 0) fprintf(stderr, "allreduce_bench: need -f >= 2, -n >= 1, -w >= 0, -b >= 4\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    size_t max_count = max_bytes / sizeof(float);
    float *send = malloc(max_count * sizeof(float));
    float *recv = malloc(max_count * sizeof(float));
    if (send == NULL || recv == NULL)
    {
        fprintf(stderr, "allreduce_bench: rank %d cannot allocate %zu bytes\n", rank, 2 * max_bytes);
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    if (rank == 0)
    {
        printf("# Open MPI MPI_Allreduce float sum: %d ranks, minBytes %zu maxBytes %zu step %d(factor) warmup %d iters %d iter-bytes %zu\n",
            nranks, min_bytes, max_bytes, factor, warmup, iters, iter_bytes);
        printf("#%11s %13s %9s %7s %9s %8s %8s %7s\n", "size", "count", "type", "redop", "time", "algbw", "busbw", "#wrong");
        printf("#%11s %13s %9s %7s %9s %8s %8s %7s\n", "(B)", "(elements)", "", "", "(us)", "(GB/s)", "(GB/s)", "");
    }
    long total_wrong = 0;
    double bw_sum = 0;
    int rows = 0;
    for (size_t bytes = min_bytes; bytes <= max_bytes; bytes *= (size_t)factor)
    {
        size_t count = bytes / sizeof(float);
        for (size_t j = 0; j < count; j++)
        {
            send[j] = (float)((rank + 1) * (int)(j % 64));
        }
        int n = iters_for(bytes, iters, iter_bytes);
        int w = warmup_for(bytes, iters, warmup, iter_bytes);
        for (int i = 0; i < w; i++)
        {
            MPI_Allreduce(send, recv, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        }
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < n; i++)
        {
            MPI_Allreduce(send, recv, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        }
        double seconds = (MPI_Wtime() - start) / n, mean = 0;
        MPI_Allreduce(&seconds, &mean, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        mean /= nranks;

        memset(recv, 0, count * sizeof(float));
        MPI_Allreduce(send, recv, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        long wrong = 0, all_wrong = 0;
        float ranks_sum = (float)(nranks * (nranks + 1) / 2);
        for (size_t j = 0; j < count; j++)
        {
            if (recv[j] != ranks_sum * (float)(j % 64)) wrong++;
        }
        MPI_Allreduce(&wrong, &all_wrong, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        total_wrong += all_wrong;

        double algbw = bytes / mean / 1e9;
        double busbw = algbw * 2.0 * (nranks - 1) / nranks;
        bw_sum += busbw;
        rows++;
        if (rank == 0)
        {
            printf("%12zu %13zu %9s %7s %9.2f %8.2f %8.2f %7ld\n", bytes, count, "float", "sum", mean * 1e6, algbw, busbw, all_wrong);
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
