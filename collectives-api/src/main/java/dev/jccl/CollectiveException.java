package dev.jccl;

/**
 * Base of every failure a collective reports. Unchecked, as a broken communicator is rarely
 * something training code can handle locally; it is something it must not hang on.
 */
public class CollectiveException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public CollectiveException(final String message)
    {
        super(message);
    }

    public CollectiveException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
