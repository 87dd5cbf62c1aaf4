package dev.jccl.nativekernels;

import dev.jccl.spi.NativeSockets;
import org.bytedeco.javacpp.Loader;

import java.nio.charset.StandardCharsets;

/**
 * {@link NativeSockets} over {@code libjniJcclSocket.so}: setsockopt/getsockopt for the options the
 * JDK's socket API lacks. Registered for {@link java.util.ServiceLoader}; {@link #available()} is
 * false, with the reason in {@link #loadFailure()}, where the library cannot load.
 */
public final class NativeSocketOptions implements NativeSockets
{
    /** Longest algorithm name the kernel keeps (TCP_CA_NAME_MAX is 16 with the NUL). */
    private static final int NAME_CAPACITY = 16;
    private static final int TEXT_CAPACITY = 128;

    @Override
    public boolean available()
    {
        return Holder.FAILURE == null;
    }

    /** @return why the library did not load, or null when it did. */
    public static String loadFailure()
    {
        return Holder.FAILURE;
    }

    @Override
    public String setTcpCongestion(final int fd, final String algorithm)
    {
        requireLoaded();
        final int code = NativeSocket.setTcpCongestion(fd, algorithm);
        return code == 0 ? null : errorText(code);
    }

    @Override
    public String tcpCongestion(final int fd)
    {
        requireLoaded();
        final byte[] name = new byte[NAME_CAPACITY];
        final int code = NativeSocket.getTcpCongestion(fd, name, name.length);
        if (code != 0)
        {
            throw new IllegalStateException("cannot read TCP_CONGESTION of fd " + fd + ": " + errorText(code));
        }
        return cString(name);
    }

    private static String errorText(final int code)
    {
        final byte[] text = new byte[TEXT_CAPACITY];
        NativeSocket.errorText(code, text, text.length);
        return cString(text) + " (errno " + code + ")";
    }

    /** The NUL-terminated text the native side wrote into {@code bytes}. */
    private static String cString(final byte[] bytes)
    {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0)
        {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static void requireLoaded()
    {
        if (Holder.FAILURE != null)
        {
            throw new IllegalStateException(Holder.FAILURE);
        }
    }

    private static final class Holder
    {
        static final String FAILURE;

        static
        {
            String failure = NativeLibrary.platformProblem(Loader.getPlatform());
            if (failure == null)
            {
                try
                {
                    Loader.load(NativeSocket.class);
                }
                catch (final UnsatisfiedLinkError ex)
                {
                    failure = "cannot load the native socket library (" + NativeLibrary.PLATFORM + "): "
                        + NativeLibrary.firstLine(ex.getMessage());
                }
                catch (final LinkageError | RuntimeException ex)
                {
                    failure = "cannot load the native socket library: " + ex.getClass().getSimpleName() + ": "
                        + NativeLibrary.firstLine(ex.getMessage());
                }
            }
            FAILURE = failure;
        }
    }
}
