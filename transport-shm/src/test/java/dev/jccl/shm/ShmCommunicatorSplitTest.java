package dev.jccl.shm;

import dev.jccl.core.CommunicatorSplitTest;

import java.util.List;

/** transport-tcp's split tests over shared memory: each subgroup gets a file of its own. */
class ShmCommunicatorSplitTest extends CommunicatorSplitTest
{
    @Override
    protected String transport()
    {
        return "shm";
    }

    @Override
    protected List<String> rendezvousKeys(final int rank)
    {
        // Every rank publishes its host; rank 0 also the file's path.
        return rank == 0 ? List.of("shm/host/0", "shm/file") : List.of("shm/host/" + rank);
    }
}
