// Socket options the JDK does not expose, for the TCP transport (bound by
// dev.jccl.nativekernels.NativeSocket). Each call returns 0 or the errno of the failed call.
#pragma once

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

// TCP_CONGESTION: the congestion control algorithm of one socket, by name ("reno", "cubic", "bbr").
// An unprivileged process may pick the names in /proc/sys/net/ipv4/tcp_allowed_congestion_control.
static inline int jccl_set_tcp_congestion(int fd, const char* name)
{
    return setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, (socklen_t)strlen(name)) == 0 ? 0 : errno;
}

// The algorithm in use, NUL-terminated into out[0, capacity).
static inline int jccl_get_tcp_congestion(int fd, char* out, int capacity)
{
    if (capacity <= 0)
    {
        return EINVAL;
    }
    socklen_t length = (socklen_t)(capacity - 1);
    memset(out, 0, (size_t)capacity);
    return getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, out, &length) == 0 ? 0 : errno;
}

// strerror for the codes above, into out[0, capacity).
static inline void jccl_error_text(int code, char* out, int capacity)
{
    if (capacity <= 0)
    {
        return;
    }
    const char* text = strerror(code);
    strncpy(out, text == NULL ? "unknown error" : text, (size_t)(capacity - 1));
    out[capacity - 1] = '\0';
}
