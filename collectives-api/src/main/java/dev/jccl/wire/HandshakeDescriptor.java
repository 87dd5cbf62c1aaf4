package dev.jccl.wire;

/**
 * Layouts of the connection handshake (big-endian, network order), used by every host
 * transport and the store. Four messages, connector first:
 *
 * <pre>
 * HELLO      connector to acceptor  magic int32 | version int16 | role int8 | runIdLength int8 |
 *                                   rank int32 | nonceC[32] | runId[runIdLength] (UTF-8)
 * CHALLENGE  acceptor to connector  magic int32 | version int16 | status int8 | pad int8 |
 *                                   rank int32 | nonceA[32] | macA[32]
 * RESPONSE   connector to acceptor  macC[32]
 * VERDICT    acceptor to connector  status int8
 * </pre>
 *
 * macA = HMAC-SHA256(token, "JCCL-A" | runId | connectorRank | acceptorRank | nonceC | nonceA)
 * proves the acceptor holds the token; macC = HMAC-SHA256(token, "JCCL-C" | ... | nonceA | nonceC)
 * proves the connector does. Fresh nonces on both sides make a recorded handshake useless.
 */
public final class HandshakeDescriptor
{
    /** "JCCL" in ASCII. */
    public static final int MAGIC = 0x4A43434C;
    public static final short VERSION = 1;

    public static final int NONCE_LENGTH = 32;
    public static final int MAC_LENGTH = 32;
    public static final int MAX_RUN_ID_LENGTH = 255;

    public static final int HELLO_FIXED_LENGTH = 4 + 2 + 1 + 1 + 4 + NONCE_LENGTH;
    public static final int CHALLENGE_LENGTH = 4 + 2 + 1 + 1 + 4 + NONCE_LENGTH + MAC_LENGTH;
    public static final int RESPONSE_LENGTH = MAC_LENGTH;
    public static final int VERDICT_LENGTH = 1;

    public static final byte ROLE_PEER = 1;
    public static final byte ROLE_STORE_CLIENT = 2;

    public static final byte STATUS_OK = 0;
    public static final byte STATUS_BAD_VERSION = 1;
    public static final byte STATUS_BAD_RUN_ID = 2;
    public static final byte STATUS_BAD_TOKEN = 3;
    public static final byte STATUS_BAD_RANK = 4;
    public static final byte STATUS_BAD_ROLE = 5;

    private HandshakeDescriptor()
    {
    }

    public static String statusText(final int status)
    {
        switch (status)
        {
            case STATUS_OK: return "ok";
            case STATUS_BAD_VERSION: return "protocol version not supported";
            case STATUS_BAD_RUN_ID: return "run id differs (another job?)";
            case STATUS_BAD_TOKEN: return "job token differs (authentication failed)";
            case STATUS_BAD_RANK: return "rank out of range, already connected or not one this rank links";
            case STATUS_BAD_ROLE: return "wrong connection role";
            default: return "unknown status " + status;
        }
    }
}
