package dev.jccl;

/** A collective, or a wait inside one, ran past the communicator's timeout. */
public class CollectiveTimeoutException extends CollectiveException
{
    private static final long serialVersionUID = 1L;

    public CollectiveTimeoutException(final String message)
    {
        super(message);
    }
}
