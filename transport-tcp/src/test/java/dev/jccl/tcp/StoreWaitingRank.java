package dev.jccl.tcp;

import dev.jccl.Communicator;
import dev.jccl.Jccl;

/**
 * A rank as a separate JVM for store-failure tests: joins from the torchrun-style environment
 * and, when {@code Jccl.init} fails, prints one {@code INIT-FAILED} line with the exception class,
 * the wall-clock time and the message. The test starts fewer ranks than {@code WORLD_SIZE}, so
 * every rank stays in the rendezvous, waiting on the store, until the test breaks it.
 */
public final class StoreWaitingRank
{
    private StoreWaitingRank()
    {
    }

    public static void main(final String[] args)
    {
        final String rank = System.getenv("RANK");
        System.out.println("rank " + rank + " JOINING pid " + ProcessHandle.current().pid());
        try (Communicator comm = Jccl.init())
        {
            System.out.println("rank " + rank + " JOINED although a rank is missing");
            System.exit(2);
        }
        catch (final RuntimeException ex)
        {
            System.out.println("rank " + rank + " INIT-FAILED " + ex.getClass().getName() + " at=" + System.currentTimeMillis() +
                " msg=" + ex.getMessage());
            System.out.flush();
            System.exit(0);
        }
    }
}
