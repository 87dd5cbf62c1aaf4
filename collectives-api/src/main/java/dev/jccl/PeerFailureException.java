package dev.jccl;

/** A peer rank died or its connection broke; the communicator is unusable afterwards. */
public class PeerFailureException extends CollectiveException
{
    private static final long serialVersionUID = 1L;

    private final int peerRank;
    private final String peerHost;

    public PeerFailureException(final int peerRank, final String peerHost, final String detail)
    {
        this(peerRank, peerHost, detail, null);
    }

    public PeerFailureException(final int peerRank, final String peerHost, final String detail, final Throwable cause)
    {
        super("rank " + peerRank + " (host " + peerHost + ") failed: " + detail, cause);
        this.peerRank = peerRank;
        this.peerHost = peerHost;
    }

    /** Rank of the peer that failed. */
    public int peerRank()
    {
        return peerRank;
    }

    /** Host name the peer published at rendezvous. */
    public String peerHost()
    {
        return peerHost;
    }
}
