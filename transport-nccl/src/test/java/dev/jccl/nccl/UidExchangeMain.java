package dev.jccl.nccl;

import dev.jccl.store.PrefixStore;
import dev.jccl.store.Store;
import dev.jccl.tcp.store.StoreBootstrap;
import dev.jccl.wire.Handshake;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * One rank of the two-process unique-id test: rank 0 hosts the store and publishes a random
 * 128-byte id per communicator (as ncclGetUniqueId would produce), rank 1 receives them; both
 * print the bytes as hex, and rank 0 stays up until rank 1 says it is done.
 */
public final class UidExchangeMain
{
    static final long[] COMMUNICATORS = { 0, 7 };

    private UidExchangeMain()
    {
    }

    public static void main(final String[] args)
    {
        final int rank = Integer.parseInt(args[0]);
        final int port = Integer.parseInt(args[1]);
        final Handshake handshake = new Handshake(UniqueIdExchangeTest.TOKEN, "uid-two-process");
        final Duration timeout = Duration.ofSeconds(60);
        try (Store store = StoreBootstrap.connectOrHost("127.0.0.1", port, rank, handshake, timeout))
        {
            for (final long comm : COMMUNICATORS)
            {
                // The same namespacing Jccl.init gives each communicator's store.
                final Store scoped = new PrefixStore("jccl/uid-two-process/comm/" + comm, store);
                final byte[] id = UniqueIdExchange.exchange(scoped, rank, () ->
                {
                    final byte[] generated = new byte[UniqueIdExchange.UNIQUE_ID_BYTES];
                    new SecureRandom().nextBytes(generated);
                    generated[5] = 0;
                    return generated;
                }, timeout);
                System.out.println((rank == 0 ? "published " : "received ") + comm + " " + UniqueIdExchangeTest.hex(id));
            }
            if (rank == 0)
            {
                store.waitFor(List.of("done/1"), timeout);
            }
            else
            {
                store.set("done/1", new byte[] { 1 });
            }
        }
        System.out.flush();
    }
}
