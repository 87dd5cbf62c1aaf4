package dev.jccl.tcp;

import dev.jccl.ReduceOp;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 4-rank job runs allreduce in a loop, checking every result, while two attackers send 10,000
 * malformed inputs (one per connection, {@link HostileClient}'s kinds in turn) to the store port
 * and every rank's listener port, and a few slow-loris clients trickle bytes. The job must stay
 * exact, the store must keep serving, threads and file descriptors must come back to where they
 * were, and refusals must be logged once per source host, not once per connection.
 */
class HostileInputTest
{
    private static final int RANKS = 4;
    private static final int INPUTS = 10_000;
    private static final int ATTACKERS = 2;
    private static final int SLOW_LORIS = 3;
    private static final int ELEMENTS = 4096;

    @Test
    void jobStaysCorrectUnderTenThousandMalformedInputs() throws Exception
    {
        final WarningCounter warnings = WarningCounter.attach("dev.jccl.tcp");
        try (ThreadedCluster cluster = ThreadedCluster.start(RANKS))
        {
            final InetSocketAddress store = new InetSocketAddress("127.0.0.1", cluster.storePort());
            final List<InetSocketAddress> targets = new ArrayList<>();
            targets.add(store);
            for (int rank = 0; rank < RANKS; rank++)
            {
                targets.add(listenAddressOf(cluster, rank));
            }
            final byte[][] recorded = recordRealHandshake(store, new Handshake(cluster.token(), cluster.runId()));
            final HostileClient hostile = new HostileClient(cluster.token(), cluster.runId(), recorded[0], recorded[1]);

            // Warm the job up once so its own threads exist before the baseline.
            cluster.run(comm -> allReduceChecked(comm, 0));
            final Baseline before = Baseline.settle(Long.MAX_VALUE, Long.MAX_VALUE);

            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicInteger rounds = new AtomicInteger();
            final AtomicReference<Throwable> jobFailure = new AtomicReference<>();
            final Thread job = new Thread(() ->
            {
                try
                {
                    cluster.run(comm -> loopUntilRankZeroStops(comm, stop, rounds), Duration.ofSeconds(150));
                }
                catch (final Throwable ex)
                {
                    jobFailure.set(ex);
                }
            }, "hostile-job");
            job.start();

            final List<Thread> loris = new ArrayList<>();
            final AtomicInteger lorisDropped = new AtomicInteger();
            for (int i = 0; i < SLOW_LORIS; i++)
            {
                final InetSocketAddress target = targets.get(i % 2 == 0 ? 0 : 1 + i);
                loris.add(start("slow-loris-" + i, () -> slowLoris(target, lorisDropped)));
            }

            final AtomicInteger sent = new AtomicInteger();
            final long attackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
            final List<Thread> attackers = new ArrayList<>();
            for (int a = 0; a < ATTACKERS; a++)
            {
                final Random random = new Random(1000 + a);
                attackers.add(start("attacker-" + a, () ->
                {
                    int i;
                    while ((i = sent.getAndIncrement()) < INPUTS && System.nanoTime() < attackDeadline)
                    {
                        final int target = i % targets.size();
                        hostile.send(targets.get(target), target == 0, (i / targets.size()) % HostileClient.KINDS, random);
                    }
                }));
            }
            for (final Thread attacker : attackers)
            {
                attacker.join(TimeUnit.SECONDS.toMillis(110));
            }
            for (final Thread thread : loris)
            {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            }
            stop.set(true);
            job.join(TimeUnit.SECONDS.toMillis(60));

            assertNull(jobFailure.get(), () -> "the job failed under hostile input: " + jobFailure.get());
            assertTrue(sent.get() >= INPUTS, "only " + sent.get() + " inputs sent before the time cap");
            assertTrue(rounds.get() > 0, "the job ran no allreduce during the attack");
            assertEquals(SLOW_LORIS, lorisDropped.get(), "slow-loris clients must be dropped at the handshake deadline");

            // The store still serves an honest client, and the job still computes.
            try (TcpStoreClient client = TcpStoreClient.connect("127.0.0.1", cluster.storePort(),
                new Handshake(cluster.token(), cluster.runId()), 0, Duration.ofSeconds(10)))
            {
                client.set("after-attack", new byte[] {42});
                assertArrayEquals(new byte[] {42}, client.get("after-attack"));
            }
            cluster.run(comm -> allReduceChecked(comm, 7));

            final Baseline after = Baseline.settle(before.threads + 2, before.fds + 4);
            assertTrue(after.threads <= before.threads + 2, "thread leak: " + before.threads + " before, " + after.threads + " after: " + Baseline.names());
            assertTrue(handshakeThreads() <= RANKS * 4, "handshake pools grew past their bound: " + Baseline.names());
            assertTrue(after.fds <= before.fds + 4, "fd leak: " + before.fds + " before, " + after.fds + " after");

            // One WARNING per source host per endpoint and log (all attackers are 127.0.0.1): the store's
            // refusals, the store's malformed requests, and each rank's listener.
            final int endpointsAndLogs = 2 + RANKS;
            assertTrue(warnings.refusals() >= 1 && warnings.refusals() <= endpointsAndLogs,
                warnings.refusals() + " refusal warnings for " + sent.get() + " inputs: " + warnings.sample());
            System.out.printf("hostile input: %d inputs, %d allreduce rounds, %d refusal warnings, threads %d -> %d, fds %d -> %d%n",
                sent.get(), rounds.get(), warnings.refusals(), before.threads, after.threads, before.fds, after.fds);
        }
        finally
        {
            warnings.detach();
        }
    }

    /** Rank 0 decides when to stop and tells the others inside the allreduce, so all ranks run the same rounds. */
    private static void loopUntilRankZeroStops(final dev.jccl.Communicator comm, final AtomicBoolean stop, final AtomicInteger rounds)
    {
        for (int round = 1; round < 1_000_000; round++)
        {
            final double flag = comm.rank() == 0 && stop.get() ? 1 : 0;
            if (allReduceChecked(comm, round, flag) > 0)
            {
                return;
            }
            if (comm.rank() == 0)
            {
                rounds.incrementAndGet();
            }
        }
    }

    private static void allReduceChecked(final dev.jccl.Communicator comm, final int round)
    {
        allReduceChecked(comm, round, 0);
    }

    /** Sums rank-and-round dependent data, checks every element exactly, and returns the summed stop flag. */
    private static double allReduceChecked(final dev.jccl.Communicator comm, final int round, final double flag)
    {
        final double[] data = new double[ELEMENTS + 1];
        for (int i = 0; i < ELEMENTS; i++)
        {
            data[i] = (comm.rank() + 1) * (double)(i + round);
        }
        data[ELEMENTS] = flag;
        comm.allReduce(data, ReduceOp.SUM);
        final int rankSum = RANKS * (RANKS + 1) / 2;
        for (int i = 0; i < ELEMENTS; i++)
        {
            final double expected = rankSum * (double)(i + round);
            if (data[i] != expected)
            {
                throw new AssertionError("rank " + comm.rank() + " round " + round + " element " + i + ": " + data[i] + " != " + expected);
            }
        }
        return data[ELEMENTS];
    }

    /** A valid HELLO and RESPONSE as a real client sends them, from a completed handshake. */
    private static byte[][] recordRealHandshake(final InetSocketAddress store, final Handshake handshake) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(store, 5000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] nonceC = Handshake.newNonce();
            final ByteBuffer hello = ByteBuffer.allocate(handshake.helloLength());
            handshake.writeHello(hello, HandshakeDescriptor.ROLE_STORE_CLIENT, 0, nonceC);
            out.write(hello.array());
            final byte[] challengeBytes = new byte[HandshakeDescriptor.CHALLENGE_LENGTH];
            in.readFully(challengeBytes);
            final ByteBuffer challenge = ByteBuffer.wrap(challengeBytes);
            challenge.position(8);
            final int acceptorRank = challenge.getInt();
            final byte[] nonceA = new byte[HandshakeDescriptor.NONCE_LENGTH];
            challenge.get(nonceA);
            final ByteBuffer response = ByteBuffer.allocate(HandshakeDescriptor.RESPONSE_LENGTH);
            handshake.writeResponse(response, 0, acceptorRank, nonceA, nonceC);
            out.write(response.array());
            assertEquals(HandshakeDescriptor.STATUS_OK, in.read(), "the recorded handshake must be a real, accepted one");
            return new byte[][] {hello.array(), response.array()};
        }
    }

    /** Sends a valid HELLO one byte every 300 ms; counts itself dropped when the server hangs up. */
    private static void slowLoris(final InetSocketAddress target, final AtomicInteger dropped)
    {
        final byte[] hello = HostileClient.hello(new Handshake(new byte[32], "slow"), HandshakeDescriptor.ROLE_PEER, 1);
        final long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HandshakeIo.HANDSHAKE_READ_TIMEOUT_MS * 3L);
        try (Socket socket = new Socket())
        {
            socket.connect(target, 5000);
            socket.setSoTimeout(300);
            for (int i = 0; System.nanoTime() < giveUp; i = (i + 1) % (hello.length - 1))
            {
                socket.getOutputStream().write(hello[i]);
                try
                {
                    if (socket.getInputStream().read() < 0)
                    {
                        dropped.incrementAndGet();
                        return;
                    }
                }
                catch (final java.net.SocketTimeoutException stillOpen)
                {
                    // keep trickling
                }
            }
        }
        catch (final IOException reset)
        {
            dropped.incrementAndGet();
        }
    }

    private static InetSocketAddress listenAddressOf(final ThreadedCluster cluster, final int rank)
    {
        final Handshake handshake = new Handshake(cluster.token(), cluster.runId());
        try (TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", cluster.storePort(), handshake, 99, Duration.ofSeconds(10)))
        {
            final String[] parts = new String(store.get("jccl/" + cluster.runId() + "/comm/0/addr/" + rank), StandardCharsets.UTF_8).split(" ");
            return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
        }
    }

    private static int handshakeThreads()
    {
        int count = 0;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("jccl-handshake-"))
            {
                count++;
            }
        }
        return count;
    }

    private static Thread start(final String name, final Runnable body)
    {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Live threads and open file descriptors of this JVM, read after letting both settle. */
    private static final class Baseline
    {
        final int threads;
        final int fds;

        private Baseline(final int threads, final int fds)
        {
            this.threads = threads;
            this.fds = fds;
        }

        /** Waits (at most 15 s) until both are at or under the bounds, or for 1 s when unbounded. */
        static Baseline settle(final long maxThreads, final long maxFds) throws InterruptedException
        {
            final boolean unbounded = maxThreads == Long.MAX_VALUE;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(unbounded ? 1 : 15);
            Baseline now;
            do
            {
                Thread.sleep(100);
                now = new Baseline(countThreads(), openFds());
            }
            while ((unbounded || now.threads > maxThreads || now.fds > maxFds) && System.nanoTime() < deadline);
            return now;
        }

        /**
         * Live threads, less the listeners' handshake pools: those are bounded by construction
         * ({@code TcpListener.HANDSHAKE_THREADS} per rank) and idle out after 30 s, longer than a test should wait.
         */
        private static int countThreads()
        {
            int count = 0;
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (!thread.getName().startsWith("jccl-handshake-"))
                {
                    count++;
                }
            }
            return count;
        }

        static String names()
        {
            final List<String> names = new ArrayList<>();
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                names.add(thread.getName());
            }
            java.util.Collections.sort(names);
            return names.toString();
        }

        private static int openFds()
        {
            final String[] fds = new File("/proc/self/fd").list();
            return fds == null ? -1 : fds.length;
        }
    }

    /** Counts WARNING records about refused connections under a logger name (java.util.logging backs System.Logger here). */
    private static final class WarningCounter extends Handler
    {
        private final Logger logger;
        private final AtomicInteger refusals = new AtomicInteger();
        private final List<String> sample = new ArrayList<>();

        private WarningCounter(final Logger logger)
        {
            this.logger = logger;
        }

        static WarningCounter attach(final String name)
        {
            final WarningCounter counter = new WarningCounter(Logger.getLogger(name));
            counter.logger.addHandler(counter);
            return counter;
        }

        void detach()
        {
            logger.removeHandler(this);
        }

        int refusals()
        {
            return refusals.get();
        }

        synchronized String sample()
        {
            return sample.toString();
        }

        @Override
        public synchronized void publish(final LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getMessage() != null &&
                record.getMessage().contains("refused a connection"))
            {
                refusals.incrementAndGet();
                if (sample.size() < 10)
                {
                    sample.add(record.getMessage());
                }
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
