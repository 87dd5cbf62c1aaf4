package dev.jccl.spi;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Socket options the JDK does not expose, set by native code ({@code jccl-native}) on a socket's
 * file descriptor. Found through {@link ServiceLoader}: without the native jar, or where its library
 * cannot load, {@link #find()} returns null and the transport keeps the kernel's defaults.
 */
public interface NativeSockets
{
    /**
     * Sets {@code TCP_CONGESTION}, the socket's congestion control algorithm.
     *
     * @param fd the socket's file descriptor.
     * @param algorithm a name the kernel knows, e.g. "reno".
     * @return null when set, else the kernel's reason (e.g. "No such file or directory").
     */
    String setTcpCongestion(int fd, String algorithm);

    /**
     * @param fd the socket's file descriptor.
     * @return the congestion control algorithm the socket uses.
     * @throws IllegalStateException with the kernel's reason when it cannot be read.
     */
    String tcpCongestion(int fd);

    /**
     * @return the first provider whose library loads here, or null (also when a provider cannot
     * even be instantiated, e.g. jccl-native without its JavaCPP dependency: the caller then
     * keeps the kernel's defaults instead of failing).
     */
    static NativeSockets find()
    {
        final Iterator<NativeSockets> providers =
            ServiceLoader.load(NativeSockets.class, NativeSockets.class.getClassLoader()).iterator();
        for (int attempts = 0; attempts < 16; attempts++) // bounded: a provider may fail on every try
        {
            try
            {
                if (!providers.hasNext())
                {
                    return null;
                }
                final NativeSockets sockets = providers.next();
                if (sockets.available())
                {
                    return sockets;
                }
            }
            catch (final ServiceConfigurationError | LinkageError ex)
            {
                // A broken provider is skipped like one whose library does not load.
            }
        }
        return null;
    }

    /** @return whether the native code behind this provider loaded. */
    boolean available();
}
