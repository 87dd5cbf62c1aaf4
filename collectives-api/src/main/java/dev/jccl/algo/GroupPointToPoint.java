package dev.jccl.algo;

import dev.jccl.spi.PointToPoint;
import dev.jccl.wire.MessageHeader;

import java.nio.ByteBuffer;

/**
 * A group of ranks seen as a world of its own: group index {@code i} is world rank
 * {@code members[i]}. The hierarchical algorithms run the flat ones (ring, chain) inside a host
 * or across hosts through this view, over the communicator's own transport, so the messages
 * carry the collective's header and are checked as any other.
 */
final class GroupPointToPoint implements PointToPoint
{
    private final PointToPoint world;
    private final int[] members;
    private final int rank;

    GroupPointToPoint(final PointToPoint world, final int[] members)
    {
        this.world = world;
        this.members = members;
        this.rank = HierarchyPattern.indexIn(members, world.rank());
        if (rank < 0)
        {
            throw new IllegalArgumentException("rank " + world.rank() + " is not in group " + java.util.Arrays.toString(members));
        }
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return members.length;
    }

    @Override
    public long postSend(final int peer, final MessageHeader header, final ByteBuffer src, final int offset, final int length)
    {
        return world.postSend(members[peer], header, src, offset, length);
    }

    @Override
    public long postRecv(final int peer, final MessageHeader expected, final ByteBuffer dst, final int offset, final int length)
    {
        return world.postRecv(members[peer], expected, dst, offset, length);
    }

    @Override
    public void await(final long ticket)
    {
        world.await(ticket);
    }

    @Override
    public void awaitAll()
    {
        world.awaitAll();
    }
}
