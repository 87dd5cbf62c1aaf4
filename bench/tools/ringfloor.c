/*
 * The floor of a two-rank shared-memory ring allreduce on this machine, with no JCCL code: two
 * threads bound to CPUs 0 and 1, one byte ring per direction, pieces of PIECE bytes published one
 * at a time. Phase 1 copies the half the peer reduces into the ring and reduces the incoming half
 * out of the ring (dst = src + ring); phase 2 copies the reduced half into the ring and copies the
 * incoming half out. That is JCCL's shm ring for n=2, message for message. Prints the time per
 * allreduce and busbw (N / time, 1 GB = 1e9 B).
 *
 * Why: JCCL's shm allreduce ran at a third of what the hardware allowed. COPY picks how bytes go
 * into the ring: "memcpy" (the C library's), "vector" (32-byte loads and stores, what the JVM's
 * copy stub does) or "stream" (non-temporal stores). A line of the ring was last read by the other
 * core; a vector store must first fetch it for ownership, memcpy and streaming stores need not.
 *
 *   gcc -O3 -march=native -pthread -o ringfloor bench/tools/ringfloor.c
 *   ./ringfloor BYTES PIECE RING ITERS [COPY]       e.g. ./ringfloor 1048576 131072 4194304 3000 vector
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*copy_fn)(char *dst, const char *src, size_t n);

typedef struct
{
    _Alignas(128) atomic_long head;
    _Alignas(128) atomic_long tail;
    _Alignas(128) char *ring;
} channel_t;

typedef struct
{
    int rank;
    double seconds;
} rank_t;

static size_t bytes, piece, ring;
static int iters;
static copy_fn copy_in;
static channel_t channels[2]; /* channels[r]: from rank r to rank 1 - r */
static pthread_barrier_t start;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void copy_memcpy(char *dst, const char *src, size_t n)
{
    memcpy(dst, src, n);
}

/* Whole multiples of 64 bytes only (pieces are). */
static void copy_vector(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i += 64)
    {
        const __m256i a = _mm256_loadu_si256((const __m256i *)(src + i));
        const __m256i b = _mm256_loadu_si256((const __m256i *)(src + i + 32));
        _mm256_storeu_si256((__m256i *)(dst + i), a);
        _mm256_storeu_si256((__m256i *)(dst + i + 32), b);
    }
}

static void copy_stream(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i += 64)
    {
        const __m256i a = _mm256_loadu_si256((const __m256i *)(src + i));
        const __m256i b = _mm256_loadu_si256((const __m256i *)(src + i + 32));
        _mm256_stream_si256((__m256i *)(dst + i), a);
        _mm256_stream_si256((__m256i *)(dst + i + 32), b);
    }
    _mm_sfence();
}

static void sum(float *restrict d, const float *restrict a, const float *restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        d[i] = a[i] + b[i];
    }
}

static void *run(void *arg)
{
    rank_t *self = arg;
    const int r = self->rank;
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(r, &cpus);
    pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
    char *src = aligned_alloc(4096, bytes), *dst = aligned_alloc(4096, bytes);
    memset(src, 1, bytes);
    memset(dst, 0, bytes);
    channel_t *out = &channels[r], *in = &channels[1 - r];
    const size_t half = bytes / 2;
    long head = 0, tail = 0;
    pthread_barrier_wait(&start);
    const double t0 = now();
    for (int it = 0; it < iters; it++)
    {
        for (int phase = 0; phase < 2; phase++)
        {
            const char *send = phase == 0 ? src + (1 - r) * half : dst + r * half;
            size_t sent = 0, received = 0;
            while (sent < half || received < half)
            {
                if (sent < half)
                {
                    const size_t n = piece < half - sent ? piece : half - sent;
                    if (head + (long)n - atomic_load_explicit(&out->tail, memory_order_acquire) <= (long)ring)
                    {
                        copy_in(out->ring + (head & (ring - 1)), send + sent, n);
                        sent += n;
                        head += n;
                        atomic_store_explicit(&out->head, head, memory_order_release);
                    }
                }
                if (received < half)
                {
                    const size_t n = piece < half - received ? piece : half - received;
                    if (atomic_load_explicit(&in->head, memory_order_acquire) - tail >= (long)n)
                    {
                        const char *from = in->ring + (tail & (ring - 1));
                        if (phase == 0)
                        {
                            sum((float *)(dst + r * half + received), (const float *)(src + r * half + received),
                                (const float *)from, n / sizeof(float));
                        }
                        else
                        {
                            memcpy(dst + (1 - r) * half + received, from, n);
                        }
                        received += n;
                        tail += n;
                        atomic_store_explicit(&in->tail, tail, memory_order_release);
                    }
                }
            }
        }
    }
    self->seconds = now() - t0;
    free(src);
    free(dst);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 5)
    {
        fprintf(stderr, "usage: %s BYTES PIECE RING ITERS [memcpy|vector|stream]\n", argv[0]);
        return 2;
    }
    bytes = strtoull(argv[1], NULL, 10);
    piece = strtoull(argv[2], NULL, 10);
    ring = strtoull(argv[3], NULL, 10);
    iters = atoi(argv[4]);
    const char *mode = argc > 5 ? argv[5] : "memcpy";
    copy_in = strcmp(mode, "vector") == 0 ? copy_vector : strcmp(mode, "stream") == 0 ? copy_stream : copy_memcpy;
    if (bytes == 0 || piece == 0 || piece % 64 != 0 || (bytes / 2) % piece != 0 || (ring & (ring - 1)) != 0 || ring % piece != 0 ||
        iters <= 0 || (strcmp(mode, "memcpy") != 0 && copy_in == copy_memcpy))
    {
        fprintf(stderr, "ringfloor: PIECE a multiple of 64 dividing BYTES / 2, RING a power of two holding whole pieces, "
                        "ITERS > 0, COPY memcpy, vector or stream\n");
        return 2;
    }
    for (int c = 0; c < 2; c++)
    {
        channels[c].ring = aligned_alloc(4096, ring);
        memset(channels[c].ring, 0, ring);
    }
    pthread_barrier_init(&start, NULL, 2);
    pthread_t threads[2];
    rank_t ranks[2] = {{0, 0}, {1, 0}};
    for (int r = 0; r < 2; r++)
    {
        pthread_create(&threads[r], NULL, run, &ranks[r]);
    }
    for (int r = 0; r < 2; r++)
    {
        pthread_join(threads[r], NULL);
    }
    const double s = ranks[0].seconds > ranks[1].seconds ? ranks[0].seconds : ranks[1].seconds;
    printf("bytes %zu piece %zu ring %zu copy %s: %.1f us per allreduce, busbw %.2f GB/s\n", bytes, piece, ring, mode,
        s / iters * 1e6, bytes * (double)iters / s / 1e9);
    return 0;
}
