package dev.jccl;

/** {@link Communicator#abort()} was called, here or on a peer; the communicator is unusable. */
public class CommunicatorAbortedException extends CollectiveException
{
    private static final long serialVersionUID = 1L;

    public CommunicatorAbortedException(final String message)
    {
        super(message);
    }
}
