package dev.jccl.tcp.store;

import dev.jccl.wire.Handshake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

final class StoreTestSupport
{
    static final byte[] TOKEN = "test-token-0123456789".getBytes(StandardCharsets.UTF_8);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private StoreTestSupport()
    {
    }

    static Handshake handshake()
    {
        return new Handshake(TOKEN, "store-test-run");
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] b)
    {
        return new String(b, StandardCharsets.UTF_8);
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Polls until the condition holds, failing after a bounded time. */
    static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
