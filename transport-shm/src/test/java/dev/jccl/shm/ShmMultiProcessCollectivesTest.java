package dev.jccl.shm;

import dev.jccl.tcp.MultiProcessCollectivesTest;

/** transport-tcp's real-JVM tests (torchrun and Open MPI environments) over one shared-memory file. */
class ShmMultiProcessCollectivesTest extends MultiProcessCollectivesTest
{
    @Override
    protected String transport()
    {
        return "shm";
    }
}
