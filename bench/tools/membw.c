/*
 * Memory bandwidth of this machine as the shared-memory transport sees it: memcpy of SIZE bytes
 * between two buffers, by 1 thread and by T threads at once (each its own pair of buffers, as two
 * ranks copying through their rings do), and a float sum c[i] = a[i] + b[i] (the reduction's
 * pass). Prints GB/s of bytes copied (1 GB = 1e9 B), the median of REPS timed passes after one
 * untimed pass that faults every page in.
 *
 *   gcc -O3 -march=native -pthread -o membw bench/tools/membw.c && ./membw [threads] [reps]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct
{
    size_t bytes;
    int reps;
    int sum;
    double *seconds;
    pthread_barrier_t *barrier;
} job_t;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void *run(void *arg)
{
    job_t *job = arg;
    char *src = aligned_alloc(4096, job->bytes);
    char *dst = aligned_alloc(4096, job->bytes);
    char *other = aligned_alloc(4096, job->bytes);
    if (src == NULL || dst == NULL || other == NULL)
    {
        fprintf(stderr, "membw: out of memory for %zu bytes\n", job->bytes);
        exit(1);
    }
    memset(src, 1, job->bytes);
    memset(dst, 0, job->bytes);
    memset(other, 2, job->bytes);
    const size_t n = job->bytes / sizeof(float);
    float *a = (float *)src, *b = (float *)other, *c = (float *)dst;
    for (int r = -1; r < job->reps; r++)
    {
        pthread_barrier_wait(job->barrier);
        const double t0 = now();
        if (job->sum)
        {
            for (size_t i = 0; i < n; i++)
            {
                c[i] = a[i] + b[i];
            }
        }
        else
        {
            memcpy(dst, src, job->bytes);
        }
        const double t1 = now();
        if (r >= 0)
        {
            job->seconds[r] = t1 - t0;
        }
    }
    volatile char sink = dst[job->bytes / 2];
    (void)sink;
    free(src);
    free(dst);
    free(other);
    return NULL;
}

/* Median GB/s per thread of `threads` threads each running `reps` passes over `bytes`. */
static double measure(size_t bytes, int threads, int reps, int sum)
{
    pthread_t tid[64];
    job_t jobs[64];
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, threads);
    double *all = calloc((size_t)threads * reps, sizeof(double));
    for (int t = 0; t < threads; t++)
    {
        jobs[t] = (job_t){ bytes, reps, sum, all + (size_t)t * reps, &barrier };
        pthread_create(&tid[t], NULL, run, &jobs[t]);
    }
    for (int t = 0; t < threads; t++)
    {
        pthread_join(tid[t], NULL);
    }
    qsort(all, (size_t)threads * reps, sizeof(double), by_value);
    const double median = all[(size_t)threads * reps / 2];
    free(all);
    pthread_barrier_destroy(&barrier);
    return bytes / median / 1e9;
}

int main(int argc, char **argv)
{
    const int threads = argc > 1 ? atoi(argv[1]) : 2;
    const int reps = argc > 2 ? atoi(argv[2]) : 9;
    if (threads < 1 || threads > 64 || reps < 1)
    {
        fprintf(stderr, "usage: membw [threads 1-64] [reps >= 1]\n");
        return 2;
    }
    printf("# GB/s per thread (bytes written per second), median of %d passes\n", reps);
    printf("# %10s %12s %12s %14s %14s\n", "size", "memcpy x1", "sum x1", "memcpy x" , "sum x");
    const size_t sizes[] = { 256u << 10, 1u << 20, 16u << 20, 64u << 20 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    {
        printf("  %10zu %12.2f %12.2f %12.2f(%d) %12.2f(%d)\n", sizes[i],
            measure(sizes[i], 1, reps, 0), measure(sizes[i], 1, reps, 1),
            measure(sizes[i], threads, reps, 0), threads, measure(sizes[i], threads, reps, 1), threads);
    }
    return 0;
}
