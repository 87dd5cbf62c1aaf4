package dev.jccl.shm;

import dev.jccl.tcp.CollectivesMatrixTest;

/** transport-tcp's collectives matrix (every collective, type, op, count, form, world size) over shared memory. */
class ShmCollectivesMatrixTest extends CollectivesMatrixTest
{
    @Override
    protected String transport()
    {
        return "shm";
    }
}
