/*
 * Cross-core hand-off bandwidth, second by second: a producer thread bound to CPU A copies a
 * 1 MiB source into a ring of four 256 KiB slots and a consumer bound to CPU B copies each slot
 * out as soon as it is full: the shape of a shared-memory transport's data path between two ranks
 * without any of its code. Prints GB/s moved (1 GB = 1e9 B) once per second for SECONDS seconds.
 *
 * Why: the shared-memory allreduce at 256 KiB-4 MiB was fast in some runs and 3x slower in
 * others, steady within a run. If this C loop varies the same way, the cause is below JCCL (where
 * the host places the two virtual CPUs, what else runs beside them), not in JCCL.
 *
 *   gcc -O2 -pthread -o handoff bench/tools/handoff.c && ./handoff [seconds] [cpuA] [cpuB]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOT_BYTES (256 * 1024)
#define SLOTS 4
#define SOURCE_BYTES (1024 * 1024)

static char *ring;
static _Atomic long produced;
static _Atomic long consumed;
static _Atomic int stop;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bind_to(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *producer(void *arg)
{
    if (bind_to(*(int *)arg) != 0)
    {
        fprintf(stderr, "handoff: cannot bind the producer to CPU %d\n", *(int *)arg);
        exit(2);
    }
    char *source = aligned_alloc(4096, SOURCE_BYTES);
    memset(source, 1, SOURCE_BYTES);
    long offset = 0;
    while (!atomic_load(&stop))
    {
        const long p = atomic_load(&produced);
        if (p - atomic_load(&consumed) >= SLOTS)
        {
            continue;  /* ring full: spin, as a rank with a core of its own does */
        }
        memcpy(ring + (p % SLOTS) * SLOT_BYTES, source + offset, SLOT_BYTES);
        offset = (offset + SLOT_BYTES) % SOURCE_BYTES;
        atomic_store(&produced, p + 1);
    }
    free(source);
    return NULL;
}

int main(int argc, char **argv)
{
    const double seconds = argc > 1 ? atof(argv[1]) : 10;
    int cpu_a = argc > 2 ? atoi(argv[2]) : 0;
    const int cpu_b = argc > 3 ? atoi(argv[3]) : 1;
    if (seconds <= 0 || seconds > 3600)
    {
        fprintf(stderr, "handoff: seconds must be in (0, 3600], got %s\n", argv[1]);
        return 2;
    }
    ring = aligned_alloc(4096, (size_t)SLOT_BYTES * SLOTS);
    char *dest = aligned_alloc(4096, SOURCE_BYTES);
    memset(ring, 0, (size_t)SLOT_BYTES * SLOTS);
    memset(dest, 0, SOURCE_BYTES);
    pthread_t thread;
    pthread_create(&thread, NULL, producer, &cpu_a);
    if (bind_to(cpu_b) != 0)
    {
        fprintf(stderr, "handoff: cannot bind the consumer to CPU %d\n", cpu_b);
        return 2;
    }
    const double start = now();
    double last = start;
    long moved = 0;
    long offset = 0;
    while (now() - start < seconds)
    {
        const long c = atomic_load(&consumed);
        if (atomic_load(&produced) == c)
        {
            continue;
        }
        memcpy(dest + offset, ring + (c % SLOTS) * SLOT_BYTES, SLOT_BYTES);
        offset = (offset + SLOT_BYTES) % SOURCE_BYTES;
        atomic_store(&consumed, c + 1);
        moved += SLOT_BYTES;
        const double t = now();
        if (t - last >= 1.0)
        {
            printf("%6.1f s  %6.2f GB/s\n", t - start, moved / (t - last) / 1e9);
            fflush(stdout);
            moved = 0;
            last = t;
        }
    }
    atomic_store(&stop, 1);
    pthread_join(thread, NULL);
    return 0;
}
