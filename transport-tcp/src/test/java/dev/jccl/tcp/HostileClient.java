package dev.jccl.tcp;

import dev.jccl.wire.Handshake;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;

import static dev.jccl.wire.HandshakeDescriptor.*;

/**
 * One malformed input per connection, of a kind chosen by number, sent to a store or peer port:
 * what a port scanner, a client of another job, a replaying attacker or a broken peer would send.
 * Kinds that get past the handshake use the right token (an insider's bug, not an attack) so the
 * request decoders behind it are hit too. Every socket operation is bounded by a short timeout.
 */
final class HostileClient
{
    static final int KINDS = 8;
    private static final int SOCKET_TIMEOUT_MS = 3_000;

    private final Handshake right;
    private final Handshake wrongToken;
    private final Handshake otherRun;
    private final byte[] recordedHello;
    private final byte[] recordedResponse;

    /**
     * @param recordedHello    a HELLO a real client sent earlier.
     * @param recordedResponse that client's RESPONSE to the challenge it got then.
     */
    HostileClient(final byte[] token, final String runId, final byte[] recordedHello, final byte[] recordedResponse)
    {
        this.right = new Handshake(token, runId);
        final byte[] wrong = token.clone();
        wrong[0] ^= 1;
        this.wrongToken = new Handshake(wrong, runId);
        this.otherRun = new Handshake(token, runId + "-other");
        this.recordedHello = recordedHello;
        this.recordedResponse = recordedResponse;
    }

    static String kindName(final int kind)
    {
        switch (kind)
        {
            case 0: return "random bytes";
            case 1: return "truncated handshake";
            case 2: return "wrong token";
            case 3: return "replayed handshake";
            case 4: return "other run id";
            case 5: return "impossible hello fields";
            case 6: return "oversized store lengths after a valid handshake";
            case 7: return "impossible store header after a valid handshake";
            default: return "kind " + kind;
        }
    }

    /** Sends one input of {@code kind} to {@code target}; {@code storePort} says whether it is the store. */
    void send(final InetSocketAddress target, final boolean store, final int kind, final Random random)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(target, SOCKET_TIMEOUT_MS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.setSoLinger(true, 0);
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte role = store ? ROLE_STORE_CLIENT : ROLE_PEER;
            switch (kind)
            {
                case 0:
                    out.write(randomBytes(random, 1 + random.nextInt(300)));
                    break;
                case 1:
                {
                    final byte[] hello = hello(right, role, random.nextInt(4));
                    out.write(hello, 0, random.nextInt(hello.length));
                    break;
                }
                case 2:
                    connectorHandshake(wrongToken, role, random.nextInt(4), in, out);
                    break;
                case 3:
                    out.write(recordedHello);
                    readChallenge(in);
                    out.write(recordedResponse);
                    break;
                case 4:
                    connectorHandshake(otherRun, role, random.nextInt(4), in, out);
                    break;
                case 5:
                    out.write(impossibleHello(random));
                    break;
                case 6:
                case 7:
                    if (!store)
                    {
                        // A valid identity claiming a rank that is connected already, or no rank at all.
                        connectorHandshake(right, random.nextBoolean() ? ROLE_STORE_CLIENT : ROLE_PEER,
                            random.nextBoolean() ? -1 - random.nextInt(1000) : random.nextInt(4), in, out);
                        break;
                    }
                    if (connectorHandshake(right, ROLE_STORE_CLIENT, 1000 + random.nextInt(1000), in, out))
                    {
                        out.write(kind == 6 ? oversizedRequest(random) : impossibleRequest(random));
                    }
                    break;
                default:
                    throw new IllegalArgumentException("kind " + kind);
            }
            out.flush();
            // Half-close so a short input ends the server's read at once instead of at its deadline.
            socket.shutdownOutput();
            drain(in);
        }
        catch (final IOException refused)
        {
            // Resets and timeouts are how a server refuses; the test checks the server, not this side.
        }
    }

    /** The connector's side with whatever identity; returns whether the acceptor admitted it. */
    private static boolean connectorHandshake(
        final Handshake as, final byte role, final int rank, final DataInputStream in, final OutputStream out) throws IOException
    {
        final byte[] nonceC = Handshake.newNonce();
        final ByteBuffer hello = ByteBuffer.allocate(as.helloLength());
        as.writeHello(hello, role, rank, nonceC);
        out.write(hello.array());
        final ByteBuffer challenge = ByteBuffer.wrap(readChallenge(in));
        challenge.position(8);
        final int acceptorRank = challenge.getInt();
        final byte[] nonceA = new byte[NONCE_LENGTH];
        challenge.get(nonceA);
        final ByteBuffer response = ByteBuffer.allocate(RESPONSE_LENGTH);
        as.writeResponse(response, rank, acceptorRank, nonceA, nonceC);
        out.write(response.array());
        out.flush();
        return in.read() == STATUS_OK;
    }

    private static byte[] readChallenge(final DataInputStream in) throws IOException
    {
        final byte[] challenge = new byte[CHALLENGE_LENGTH];
        in.readFully(challenge);
        return challenge;
    }

    static byte[] hello(final Handshake as, final byte role, final int rank)
    {
        final ByteBuffer hello = ByteBuffer.allocate(as.helloLength());
        as.writeHello(hello, role, rank, Handshake.newNonce());
        return hello.array();
    }

    /** Right magic, then a version, role, run id length or rank that cannot be. */
    private static byte[] impossibleHello(final Random random)
    {
        final ByteBuffer hello = ByteBuffer.allocate(HELLO_FIXED_LENGTH + random.nextInt(300));
        hello.putInt(MAGIC)
            .putShort(random.nextBoolean() ? (short)random.nextInt() : VERSION)
            .put((byte)random.nextInt())
            .put((byte)0xFF)
            .putInt(random.nextBoolean() ? Integer.MIN_VALUE : random.nextInt());
        while (hello.hasRemaining())
        {
            hello.put((byte)random.nextInt());
        }
        return hello.array();
    }

    /** A store request whose key, value or key count claims far more than the limits (up to 2 GiB). */
    private static byte[] oversizedRequest(final Random random)
    {
        final ByteBuffer request = ByteBuffer.allocate(20 + 4 + 1 + 4);
        switch (random.nextInt(3))
        {
            case 0: // SET with a 2 GiB key
                request.put((byte)1).put(new byte[3]).putInt(1).putInt(1).putLong(0).putInt(Integer.MAX_VALUE);
                break;
            case 1: // SET with a small key and a 1 GiB value
                request.put((byte)1).put(new byte[3]).putInt(1).putInt(1).putLong(0).putInt(1).put((byte)'k').putInt(1 << 30);
                break;
            default: // WAIT on two billion keys
                request.put((byte)3).put(new byte[3]).putInt(Integer.MAX_VALUE).putInt(0).putLong(1L << 40);
                break;
        }
        return request.array();
    }

    /** A store request header with an unknown opcode, negative counts or counts the opcode does not take. */
    private static byte[] impossibleRequest(final Random random)
    {
        final ByteBuffer request = ByteBuffer.allocate(20 + 8);
        final byte opcode = random.nextBoolean() ? (byte)(8 + random.nextInt(100)) : (byte)(1 + random.nextInt(7));
        request.put(opcode).put(new byte[3]).putInt(-1 - random.nextInt(1000)).putInt(random.nextInt()).putLong(random.nextLong());
        request.putInt(-1).putInt(Integer.MIN_VALUE);
        return request.array();
    }

    private static byte[] randomBytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Reads what the server says until it closes (bounded by the socket timeout and a byte budget). */
    private static void drain(final InputStream in) throws IOException
    {
        final byte[] sink = new byte[256];
        int budget = 64 * 1024;
        int n;
        while (budget > 0 && (n = in.read(sink)) >= 0)
        {
            budget -= n;
        }
    }
}
