package dev.jccl.tcp;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.wire.Handshake;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static dev.jccl.wire.HandshakeDescriptor.*;

/**
 * Runs the {@link Handshake} over a blocking socket with a read timeout, from either side. Used
 * once per connection, so it may allocate; afterwards the channel goes non-blocking.
 */
public final class HandshakeIo
{
    /**
     * How long the connector may take over the whole handshake before the acceptor drops it, and how
     * long the connector waits for each answer.
     */
    public static final int HANDSHAKE_READ_TIMEOUT_MS = 5_000;

    private HandshakeIo()
    {
    }

    /** What the acceptor learnt about an authenticated connector. */
    public static final class Accepted
    {
        public final int rank;
        public final byte role;

        Accepted(final int rank, final byte role)
        {
            this.rank = rank;
            this.role = role;
        }
    }

    /** Decides, after authentication, whether the acceptor takes a connector of this role and rank. */
    public interface Admission
    {
        /** @return STATUS_OK or the refusal status. */
        byte admit(byte role, int rank);
    }

    /** A handshake refused on purpose (as opposed to an I/O failure), with the reason to log. */
    public static final class Refused extends Exception
    {
        private static final long serialVersionUID = 1L;

        Refused(final String reason)
        {
            super(reason, null, false, false);
        }
    }

    /**
     * Connects to {@code address}, retrying refused connections until {@code deadlineNanos}, and
     * authenticates both ways as rank {@code myRank} expecting {@code expectedRank} to answer
     * (-1: any, for the store).
     */
    public static SocketChannel connect(
        final InetSocketAddress address, final Handshake handshake, final byte role, final int myRank,
        final int expectedRank, final long deadlineNanos)
    {
        long backoffMs = 10;
        while (true)
        {
            SocketChannel channel = null;
            try
            {
                channel = SocketChannel.open();
                channel.socket().setTcpNoDelay(true);
                final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                channel.socket().connect(address, (int)Math.max(1, Math.min(remainingMs, HANDSHAKE_READ_TIMEOUT_MS)));
                channel.socket().setSoTimeout(HANDSHAKE_READ_TIMEOUT_MS);
                runConnector(channel, address, handshake, role, myRank, expectedRank);
                channel.socket().setSoTimeout(0);
                return channel;
            }
            catch (final ConnectException | SocketTimeoutException ex)
            {
                closeQuietly(channel);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) >= deadlineNanos)
                {
                    throw new CollectiveTimeoutException("could not connect to " + describe(address, expectedRank) +
                        " before the timeout: " + ex.getMessage());
                }
                sleep(backoffMs);
                backoffMs = Math.min(500, backoffMs * 2);
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                throw new CollectiveException("handshake with " + describe(address, expectedRank) + " failed: " + ex, ex);
            }
            catch (final RuntimeException ex)
            {
                closeQuietly(channel);
                throw ex;
            }
        }
    }

    private static void runConnector(
        final SocketChannel channel, final InetSocketAddress address, final Handshake handshake, final byte role,
        final int myRank, final int expectedRank) throws IOException
    {
        final OutputStream out = channel.socket().getOutputStream();
        final DataInputStream in = new DataInputStream(channel.socket().getInputStream());
        final byte[] nonceC = Handshake.newNonce();
        final ByteBuffer hello = ByteBuffer.allocate(handshake.helloLength());
        handshake.writeHello(hello, role, myRank, nonceC);
        out.write(hello.array());
        out.flush();

        final byte[] challengeBytes = new byte[CHALLENGE_LENGTH];
        readFully(in, challengeBytes, address, "challenge");
        final ByteBuffer challenge = ByteBuffer.wrap(challengeBytes);
        final int magic = challenge.getInt();
        final short version = challenge.getShort();
        final byte status = challenge.get();
        challenge.get();
        final int acceptorRank = challenge.getInt();
        final byte[] nonceA = new byte[NONCE_LENGTH];
        challenge.get(nonceA);
        final byte[] macA = new byte[MAC_LENGTH];
        challenge.get(macA);
        if (magic != MAGIC)
        {
            throw new CollectiveException(describe(address, expectedRank) + " is not a JCCL endpoint (bad magic)");
        }
        if (status != STATUS_OK)
        {
            throw new CollectiveException(describe(address, expectedRank) + " refused this rank: " + statusText(status));
        }
        if (version != VERSION)
        {
            throw new CollectiveException(describe(address, expectedRank) + " speaks protocol version " + version + ", this rank " + VERSION);
        }
        if (expectedRank >= 0 && acceptorRank != expectedRank)
        {
            throw new CollectiveException("expected rank " + expectedRank + " at " + address + " but rank " + acceptorRank + " answered");
        }
        if (!handshake.verifyAcceptor(macA, myRank, acceptorRank, nonceC, nonceA))
        {
            throw new CollectiveException(describe(address, expectedRank) +
                " failed authentication: its job token differs (check JCCL_TOKEN_FILE)");
        }
        final ByteBuffer response = ByteBuffer.allocate(RESPONSE_LENGTH);
        handshake.writeResponse(response, myRank, acceptorRank, nonceA, nonceC);
        out.write(response.array());
        out.flush();
        final int verdict = in.read();
        if (verdict < 0)
        {
            throw new CollectiveException(describe(address, expectedRank) + " closed the connection during the handshake");
        }
        if (verdict != STATUS_OK)
        {
            throw new CollectiveException(describe(address, expectedRank) + " refused this rank: " + statusText(verdict));
        }
    }

    /**
     * Acceptor side. The whole handshake must arrive within {@link #HANDSHAKE_READ_TIMEOUT_MS} (one
     * deadline, so a byte-at-a-time client is dropped as surely as a silent one). On success returns
     * who connected; on refusal answers the connector where the protocol allows it and throws
     * {@link Refused} with the reason to log.
     */
    public static Accepted accept(final SocketChannel channel, final Handshake handshake, final int myRank, final Admission admission)
        throws IOException, Refused
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_READ_TIMEOUT_MS);
        final InputStream in = new DeadlineInputStream(channel.socket(), deadline);
        final Accepted accepted = accept(in, channel.socket().getOutputStream(), handshake, myRank, admission);
        channel.socket().setSoTimeout(0);
        return accepted;
    }

    /**
     * The acceptor's protocol over plain streams, bounds first: nothing is allocated from a length
     * the connector sent except the run id, whose length is one unsigned byte. For any input it
     * returns an authenticated connector, or throws {@link Refused} (bad or truncated handshake) or
     * an {@link IOException} from the streams; the decoder fuzz test holds it to that.
     */
    public static Accepted accept(
        final InputStream input, final OutputStream out, final Handshake handshake, final int myRank, final Admission admission)
        throws IOException, Refused
    {
        final DataInputStream in = new DataInputStream(input);
        final byte[] fixed = new byte[HELLO_FIXED_LENGTH];
        readFullyOrRefuse(in, fixed, "hello");
        final Handshake.Hello hello = Handshake.readHelloFixed(ByteBuffer.wrap(fixed));
        if (hello.magic != MAGIC)
        {
            throw new Refused("bad magic 0x" + Integer.toHexString(hello.magic) + " (not a JCCL peer)");
        }
        final byte[] nonceA = Handshake.newNonce();
        if (hello.version != VERSION)
        {
            answer(out, handshake, STATUS_BAD_VERSION, myRank, hello, nonceA);
            throw new Refused("protocol version " + hello.version + " (this rank speaks " + VERSION + ")");
        }
        final byte[] runId = new byte[hello.runIdLength];
        readFullyOrRefuse(in, runId, "run id");
        if (!handshake.runIdMatches(runId))
        {
            answer(out, handshake, STATUS_BAD_RUN_ID, myRank, hello, nonceA);
            throw new Refused("run id '" + printable(runId) + "' is not this job's");
        }
        answer(out, handshake, STATUS_OK, myRank, hello, nonceA);
        final byte[] macC = new byte[MAC_LENGTH];
        readFullyOrRefuse(in, macC, "response");
        if (!handshake.verifyConnector(macC, hello.rank, myRank, nonceA, hello.nonce))
        {
            out.write(STATUS_BAD_TOKEN);
            out.flush();
            throw new Refused("authentication failed for claimed rank " + hello.rank + " (job token differs)");
        }
        final byte status = admission.admit(hello.role, hello.rank);
        out.write(status);
        out.flush();
        if (status != STATUS_OK)
        {
            throw new Refused("claimed rank " + hello.rank + " role " + hello.role + ": " + statusText(status));
        }
        return new Accepted(hello.rank, hello.role);
    }

    /** A run id from a stranger, fit for a log line: printable ASCII kept, everything else escaped. */
    private static String printable(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder(bytes.length);
        for (final byte b : bytes)
        {
            if (b >= 0x20 && b < 0x7F)
            {
                text.append((char)b);
            }
            else
            {
                text.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        return text.toString();
    }

    private static void answer(
        final OutputStream out, final Handshake handshake, final byte status, final int myRank,
        final Handshake.Hello hello, final byte[] nonceA) throws IOException
    {
        final ByteBuffer challenge = ByteBuffer.allocate(CHALLENGE_LENGTH);
        handshake.writeChallenge(challenge, status, myRank, hello.rank, hello.nonce, nonceA);
        out.write(challenge.array());
        out.flush();
    }

    private static void readFullyOrRefuse(final DataInputStream in, final byte[] bytes, final String what)
        throws IOException, Refused
    {
        try
        {
            in.readFully(bytes);
        }
        catch (final EOFException ex)
        {
            throw new Refused("connection closed during the " + what + " (truncated handshake)");
        }
        catch (final SocketTimeoutException ex)
        {
            throw new Refused("handshake not complete within " + HANDSHAKE_READ_TIMEOUT_MS + " ms (stalled in the " + what + ")");
        }
    }

    private static void readFully(final InputStream in, final byte[] bytes, final InetSocketAddress address, final String what)
        throws IOException
    {
        try
        {
            new DataInputStream(in).readFully(bytes);
        }
        catch (final EOFException ex)
        {
            throw new CollectiveException(address + " closed the connection before sending its " + what +
                " (not a JCCL peer of this job, or it refused us)");
        }
    }

    private static String describe(final InetSocketAddress address, final int rank)
    {
        return rank >= 0 ? "rank " + rank + " at " + address : address.toString();
    }

    public static void closeQuietly(final SocketChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Nothing to do: the connection is being dropped anyway.
            }
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CollectiveException("interrupted while connecting", ex);
        }
    }
}
