package dev.jccl.launcher.plan;

/**
 * One host with its slot counts, as a hostfile line or a {@code -H} entry names it.
 *
 * @param name     host name or address, as written.
 * @param slots    ranks it takes without {@code --oversubscribe}.
 * @param maxSlots hard cap even with {@code --oversubscribe}; {@code 0} means no cap.
 */
public record HostSpec(String name, int slots, int maxSlots)
{
    public HostSpec
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("empty host name");
        }
        if (slots < 0 || maxSlots < 0)
        {
            throw new IllegalArgumentException("negative slot count for host " + name);
        }
    }

    HostSpec plus(final HostSpec other)
    {
        final int max = maxSlots == 0 || other.maxSlots == 0 ? 0 : maxSlots + other.maxSlots;
        return new HostSpec(name, slots + other.slots, max);
    }
}
