package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.store.PrefixStore;
import dev.jccl.store.Store;
import dev.jccl.tcp.store.StoreBootstrap;
import dev.jccl.wire.Handshake;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 128-byte unique id through a real TCP store: in one JVM, and between two real processes. */
class UniqueIdExchangeTest
{
    static final byte[] TOKEN = "nccl-uid-test-token-0123456789".getBytes(StandardCharsets.UTF_8);

    @Test
    void idTravelsIntactAndPerCommunicatorThroughARealStore()
    {
        final int port = NcclTestSupport.freePort();
        final Handshake handshake = new Handshake(TOKEN, "uid-inproc");
        try (Store host = StoreBootstrap.connectOrHost("127.0.0.1", port, 0, handshake, Duration.ofSeconds(10));
             Store client = StoreBootstrap.connectOrHost("127.0.0.1", port, 1, handshake, Duration.ofSeconds(10)))
        {
            final byte[] world = randomId(1);
            final byte[] sub = randomId(2);
            UniqueIdExchange.publish(new PrefixStore("jccl/run/comm/0", host), world);
            UniqueIdExchange.publish(new PrefixStore("jccl/run/comm/7", host), sub);
            assertArrayEquals(world, UniqueIdExchange.await(new PrefixStore("jccl/run/comm/0", client), Duration.ofSeconds(5)));
            assertArrayEquals(sub, UniqueIdExchange.await(new PrefixStore("jccl/run/comm/7", client), Duration.ofSeconds(5)));
            assertTrue(client.check("jccl/run/comm/0/" + UniqueIdExchange.KEY));

            // Rank 0 generates; everyone gets rank 0's id.
            final byte[] gen = randomId(3);
            assertArrayEquals(gen, UniqueIdExchange.exchange(new PrefixStore("c9", host), 0, () -> gen, Duration.ofSeconds(5)));
            assertArrayEquals(gen, UniqueIdExchange.exchange(new PrefixStore("c9", client), 1,
                () -> { throw new AssertionError("only rank 0 generates"); }, Duration.ofSeconds(5)));

            // Bounded: a rank 0 that never publishes is a timeout naming the key, not a hang.
            final CollectiveTimeoutException timeout = assertThrows(CollectiveTimeoutException.class,
                () -> UniqueIdExchange.await(new PrefixStore("jccl/run/comm/99", client), Duration.ofMillis(300)));
            assertTrue(timeout.getMessage().contains("jccl/run/comm/99/nccl/uid"), timeout.getMessage());

            // A value of the wrong size is refused.
            client.set("bad/" + UniqueIdExchange.KEY, new byte[127]);
            assertThrows(CollectiveException.class, () -> UniqueIdExchange.await(new PrefixStore("bad", client), Duration.ofSeconds(5)));
            assertThrows(CollectiveException.class, () -> UniqueIdExchange.publish(host, new byte[129]));
        }
    }

    @Test
    void idTravelsIntactBetweenTwoProcesses() throws Exception
    {
        final int port = NcclTestSupport.freePort();
        final List<NcclTestSupport.Child> children = List.of(
            NcclTestSupport.start(NcclTestSupport.javaCommand(List.of(), UidExchangeMain.class.getName(), "0", Integer.toString(port)), Map.of()),
            NcclTestSupport.start(NcclTestSupport.javaCommand(List.of(), UidExchangeMain.class.getName(), "1", Integer.toString(port)), Map.of()));
        try
        {
            final String out0;
            final String out1;
            assertEquals(0, children.get(0).await(120), children.get(0).output());
            assertEquals(0, children.get(1).await(120), children.get(1).output());
            out0 = children.get(0).output();
            out1 = children.get(1).output();
            for (final long comm : UidExchangeMain.COMMUNICATORS)
            {
                final String published = line(out0, "published " + comm + " ");
                final String received = line(out1, "received " + comm + " ");
                assertEquals(256, published.length(), "128 bytes as hex");
                assertEquals(published, received, "communicator " + comm);
                assertFalse(published.matches("0+"));
            }
            assertNotEquals(line(out0, "published 0 "), line(out0, "published 7 "), "each communicator has its own id");
        }
        finally
        {
            for (final NcclTestSupport.Child child : children)
            {
                child.destroy();
            }
        }
    }

    private static String line(final String output, final String prefix)
    {
        for (final String line : output.split("\n"))
        {
            if (line.startsWith(prefix))
            {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new AssertionError("no line starting '" + prefix + "' in:\n" + output);
    }

    static byte[] randomId(final long seed)
    {
        final byte[] id = new byte[UniqueIdExchange.UNIQUE_ID_BYTES];
        new Random(seed).nextBytes(id);
        id[0] = 0; // NUL bytes must survive too
        id[127] = (byte)0xff;
        return id;
    }

    static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }
}
