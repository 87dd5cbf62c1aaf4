package dev.jccl.tcp;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusalLogTest
{
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(60);

    /** Keeps what was logged at WARNING, so the test sees exactly the lines an operator would. */
    private static final class Recorder implements System.Logger
    {
        final List<String> warnings = new ArrayList<>();
        int debug;

        @Override
        public String getName()
        {
            return "recorder";
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return true;
        }

        @Override
        public void log(final Level level, final Supplier<String> message)
        {
            if (level == Level.WARNING)
            {
                warnings.add(message.get());
            }
            else
            {
                debug++;
            }
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String msg, final Throwable thrown)
        {
            log(level, () -> msg);
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            log(level, () -> format);
        }
    }

    @Test
    void tenThousandRefusalsFromOneHostLogOneWarning()
    {
        final Recorder recorder = new Recorder();
        final AtomicLong now = new AtomicLong();
        final RefusalLog log = new RefusalLog(recorder, "rank 1 listener", WINDOW, now::get);
        for (int i = 0; i < 10_000; i++)
        {
            // A new ephemeral port each time, as a flood of connections has.
            log.refused(new InetSocketAddress("127.0.0.1", 1024 + i % 60_000), "bad magic 0x" + Integer.toHexString(i));
            now.addAndGet(1_000_000);
        }
        assertEquals(1, recorder.warnings.size(), recorder.warnings.toString());
        assertTrue(recorder.warnings.get(0).contains("127.0.0.1") && recorder.warnings.get(0).contains("bad magic 0x0"),
            recorder.warnings.get(0));
        assertEquals(9_999, recorder.debug);
        assertEquals(10_000, log.refusals());
    }

    @Test
    void eachSourceHostGetsItsOwnWarning()
    {
        final Recorder recorder = new Recorder();
        final RefusalLog log = new RefusalLog(recorder, "store", WINDOW, () -> 0L);
        for (int i = 0; i < 100; i++)
        {
            log.refused(new InetSocketAddress("10.0.0.1", 5000 + i), "wrong token");
            log.refused(new InetSocketAddress("10.0.0.2", 5000 + i), "wrong token");
        }
        assertEquals(2, recorder.warnings.size());
        assertTrue(recorder.warnings.get(1).contains("10.0.0.2"));
    }

    @Test
    void nextWindowWarnsAgainCountingWhatWasSuppressed()
    {
        final Recorder recorder = new Recorder();
        final AtomicLong now = new AtomicLong();
        final RefusalLog log = new RefusalLog(recorder, "store", WINDOW, now::get);
        for (int i = 0; i < 5; i++)
        {
            log.refused(new InetSocketAddress("10.0.0.1", 5000), "truncated handshake");
        }
        now.addAndGet(WINDOW);
        log.refused(new InetSocketAddress("10.0.0.1", 5001), "truncated handshake");
        assertEquals(2, recorder.warnings.size());
        assertTrue(recorder.warnings.get(1).contains("4 more refusals"), recorder.warnings.get(1));
    }

    @Test
    void hostsBeyondTheTrackedLimitShareOneEntry()
    {
        final Recorder recorder = new Recorder();
        final RefusalLog log = new RefusalLog(recorder, "store", WINDOW, () -> 0L);
        for (int i = 0; i < RefusalLog.MAX_SOURCES + 500; i++)
        {
            log.refused(new InetSocketAddress("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF), 7), "x");
        }
        assertEquals(RefusalLog.MAX_SOURCES + 1, recorder.warnings.size());
    }
}
