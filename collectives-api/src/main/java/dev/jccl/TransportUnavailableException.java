package dev.jccl;

/** The requested transport cannot run here (missing library, device or configuration). */
public class TransportUnavailableException extends CollectiveException
{
    private static final long serialVersionUID = 1L;

    public TransportUnavailableException(final String message)
    {
        super(message);
    }

    public TransportUnavailableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
