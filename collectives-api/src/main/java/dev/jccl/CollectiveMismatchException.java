package dev.jccl;

/**
 * Ranks issued different collectives (kind, count, type, op, root or sequence). Raised on every
 * rank instead of corrupt data or a hang; the message names both sides.
 */
public class CollectiveMismatchException extends CollectiveException
{
    private static final long serialVersionUID = 1L;

    public CollectiveMismatchException(final String message)
    {
        super(message);
    }
}
