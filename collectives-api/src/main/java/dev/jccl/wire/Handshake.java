package dev.jccl.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import static dev.jccl.wire.HandshakeDescriptor.*;

/**
 * Encodes, decodes and authenticates the handshake laid out by {@link HandshakeDescriptor}. Pure
 * (no I/O), so every transport and the store share it and tests drive it with bytes.
 */
public final class Handshake
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final String runId;
    private final byte[] runIdBytes;

    /**
     * @param token job token bytes; when null the run id itself keys the MAC, so only the run id
     *              is checked (manual runs without a launcher).
     * @param runId the job's run id, at most 255 UTF-8 bytes.
     */
    public Handshake(final byte[] token, final String runId)
    {
        this.runId = runId;
        this.runIdBytes = runId.getBytes(StandardCharsets.UTF_8);
        if (runIdBytes.length > MAX_RUN_ID_LENGTH)
        {
            throw new IllegalArgumentException("run id longer than " + MAX_RUN_ID_LENGTH + " bytes: " + runId);
        }
        this.key = token != null && token.length > 0 ? token.clone() : ("jccl-run:" + runId).getBytes(StandardCharsets.UTF_8);
    }

    public String runId()
    {
        return runId;
    }

    public static byte[] newNonce()
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** Writes HELLO; the buffer must have {@code HELLO_FIXED_LENGTH + runId bytes} remaining. */
    public void writeHello(final ByteBuffer out, final byte role, final int rank, final byte[] nonceC)
    {
        out.putInt(MAGIC).putShort(VERSION).put(role).put((byte)runIdBytes.length).putInt(rank).put(nonceC).put(runIdBytes);
    }

    public int helloLength()
    {
        return HELLO_FIXED_LENGTH + runIdBytes.length;
    }

    /** Decoded HELLO, or the reason it is unacceptable. */
    public static final class Hello
    {
        public int magic;
        public int version;
        public byte role;
        public int runIdLength;
        public int rank;
        public final byte[] nonce = new byte[NONCE_LENGTH];
        public String runId;
    }

    /** Reads the fixed part of HELLO (the run id follows; its length is in the result). */
    public static Hello readHelloFixed(final ByteBuffer in)
    {
        final Hello hello = new Hello();
        hello.magic = in.getInt();
        hello.version = in.getShort();
        hello.role = in.get();
        hello.runIdLength = in.get() & 0xFF;
        hello.rank = in.getInt();
        in.get(hello.nonce);
        return hello;
    }

    public void writeChallenge(
        final ByteBuffer out, final byte status, final int acceptorRank, final int connectorRank,
        final byte[] nonceC, final byte[] nonceA)
    {
        out.putInt(MAGIC).putShort(VERSION).put(status).put((byte)0).putInt(acceptorRank).put(nonceA);
        out.put(status == STATUS_OK ? mac("JCCL-A", connectorRank, acceptorRank, nonceC, nonceA) : new byte[MAC_LENGTH]);
    }

    public void writeResponse(final ByteBuffer out, final int connectorRank, final int acceptorRank, final byte[] nonceA, final byte[] nonceC)
    {
        out.put(mac("JCCL-C", connectorRank, acceptorRank, nonceA, nonceC));
    }

    /** Constant-time check of the acceptor's proof. */
    public boolean verifyAcceptor(final byte[] macA, final int connectorRank, final int acceptorRank, final byte[] nonceC, final byte[] nonceA)
    {
        return MessageDigest.isEqual(macA, mac("JCCL-A", connectorRank, acceptorRank, nonceC, nonceA));
    }

    /** Constant-time check of the connector's proof. */
    public boolean verifyConnector(final byte[] macC, final int connectorRank, final int acceptorRank, final byte[] nonceA, final byte[] nonceC)
    {
        return MessageDigest.isEqual(macC, mac("JCCL-C", connectorRank, acceptorRank, nonceA, nonceC));
    }

    public boolean runIdMatches(final byte[] otherRunId)
    {
        return MessageDigest.isEqual(runIdBytes, otherRunId);
    }

    private byte[] mac(final String label, final int connectorRank, final int acceptorRank, final byte[] first, final byte[] second)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update(runIdBytes);
            mac.update(ByteBuffer.allocate(8).putInt(connectorRank).putInt(acceptorRank).array());
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", ex);
        }
    }
}
