package dev.jccl.nativekernels;

import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI entry points of {@code src/main/cpp/jccl_socket.h}, bound by JavaCPP into their own small
 * library. Loaded by {@link NativeSocketOptions}, never directly. Calls return 0 or an errno.
 */
@Platform(value = "linux-x86_64", include = "jccl_socket.h", library = "jniJcclSocket")
@NoException
final class NativeSocket
{
    private NativeSocket()
    {
    }

    @Name("jccl_set_tcp_congestion")
    static native int setTcpCongestion(int fd, String name);

    @Name("jccl_get_tcp_congestion")
    static native int getTcpCongestion(int fd, @Cast("char*") byte[] out, int capacity);

    @Name("jccl_error_text")
    static native void errorText(int code, @Cast("char*") byte[] out, int capacity);
}
