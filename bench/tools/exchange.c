/*
 * Loopback TCP exchange time under a chosen congestion control: two processes bound to CPUs 0
 * and 1, one TCP connection, and in every round each side writes SEGMENTS x SEGMENT_BYTES to the
 * other and reads as many back (non-blocking: write until the socket refuses, then read), the
 * shape of one step of a two-rank ring or recursive doubling. Prints microseconds per round.
 *
 * Why: jccl-perf's 1-16 MiB allreduce over TCP ran 2x slower than the same rows under reno, with
 * no change in JCCL; this program shows the same step without any JCCL code, so the cause is the
 * kernel's congestion control on loopback (BBR here), not the transport.
 *
 *   gcc -O2 -o exchange bench/tools/exchange.c
 *   ./exchange SEGMENT_BYTES SEGMENTS ROUNDS [ALGORITHM]     e.g. ./exchange 262144 4 500 reno
 *
 * ALGORITHM is set with setsockopt(TCP_CONGESTION) on both ends (an unprivileged process may use
 * the names in /proc/sys/net/ipv4/tcp_allowed_congestion_control); without it, the kernel default.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP_ROUNDS 50

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void bind_to_cpu(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static void tune(int fd, const char *algorithm)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (algorithm != NULL && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, algorithm, strlen(algorithm)) != 0)
    {
        fprintf(stderr, "exchange: TCP_CONGESTION=%s: %s\n", algorithm, strerror(errno));
        exit(2);
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
}

/* Runs the rounds on one end; returns microseconds per timed round. */
static double run(int fd, size_t segment, size_t segments, int rounds)
{
    const size_t total = segment * segments;
    char *out = aligned_alloc(4096, total);
    char *in = aligned_alloc(4096, total);
    memset(out, 1, total);
    memset(in, 0, total);
    double start = 0;
    for (int round = 0; round < WARMUP_ROUNDS + rounds; round++)
    {
        if (round == WARMUP_ROUNDS)
        {
            start = seconds();
        }
        size_t sent = 0;
        size_t received = 0;
        while (sent < total || received < total)
        {
            if (sent < total)
            {
                /* one segment per write, as a ring posts them */
                const ssize_t n = write(fd, out + sent, segment - sent % segment);
                if (n > 0)
                {
                    sent += (size_t)n;
                    continue;
                }
            }
            if (received < total)
            {
                const ssize_t n = read(fd, in + received, total - received);
                if (n > 0)
                {
                    received += (size_t)n;
                }
                else if (n == 0)
                {
                    fprintf(stderr, "exchange: peer closed\n");
                    exit(1);
                }
            }
        }
    }
    const double us = (seconds() - start) / rounds * 1e6;
    free(out);
    free(in);
    return us;
}

int main(int argc, char **argv)
{
    if (argc < 4)
    {
        fprintf(stderr, "usage: exchange SEGMENT_BYTES SEGMENTS ROUNDS [ALGORITHM]\n");
        return 2;
    }
    const size_t segment = strtoul(argv[1], NULL, 10);
    const size_t segments = strtoul(argv[2], NULL, 10);
    const int rounds = atoi(argv[3]);
    const char *algorithm = argc > 4 ? argv[4] : NULL;
    if (segment == 0 || segments == 0 || rounds <= 0)
    {
        fprintf(stderr, "exchange: SEGMENT_BYTES, SEGMENTS and ROUNDS must be positive\n");
        return 2;
    }

    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { 0 };
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0
        || getsockname(listener, (struct sockaddr *)&address, &length) != 0)
    {
        perror("exchange: listen");
        return 1;
    }
    const pid_t child = fork();
    if (child == 0)
    {
        bind_to_cpu(1);
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0)
        {
            perror("exchange: connect");
            return 1;
        }
        tune(fd, algorithm);
        run(fd, segment, segments, rounds);
        return 0;
    }
    bind_to_cpu(0);
    const int fd = accept(listener, NULL, NULL);
    tune(fd, algorithm);
    const double us = run(fd, segment, segments, rounds);
    char in_use[16] = { 0 };
    socklen_t in_use_length = sizeof in_use - 1;
    getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, in_use, &in_use_length);
    printf("%s: %zu x %zu B each way: %.1f us per exchange, %.2f GB/s each way\n",
        in_use, segments, segment, us, (double)(segment * segments) / us / 1e3);
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
