package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CommunicatorAbortedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommHealthTest
{
    @Test
    void theFirstFailureSticksAndEveryLaterCallThrowsIt()
    {
        final CommHealth health = new CommHealth(0, 7);
        assertDoesNotThrow(health::checkUsable);
        assertFalse(health.isBroken());
        final CollectiveException first = new CollectiveException("ncclAllReduce failed");
        assertSame(first, health.broken(first));
        assertSame(first, health.broken(new CommunicatorAbortedException("later")), "a later failure does not replace the first");
        assertTrue(health.isBroken());
        assertSame(first, assertThrows(CollectiveException.class, health::checkUsable));
        assertSame(first, assertThrows(CollectiveException.class, health::throwIfBroken));
    }

    @Test
    void aClosedCommunicatorRejectsCalls()
    {
        final CommHealth health = new CommHealth(1, 7);
        health.markClosed();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, health::checkUsable);
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
    }

    @Test
    void aFailureWakesTheWatchdogThread() throws Exception
    {
        final CommHealth health = new CommHealth(0, 7);
        final Thread watchdog = new Thread(() ->
        {
            while (!health.isBroken())
            {
                java.util.concurrent.locks.LockSupport.parkNanos(60_000_000_000L);
            }
        });
        health.wakeOnFailure(watchdog, null);
        watchdog.start();
        health.broken(new CollectiveException("timeout"));
        watchdog.join(10_000);
        assertFalse(watchdog.isAlive(), "the watchdog was not woken");
    }
}
