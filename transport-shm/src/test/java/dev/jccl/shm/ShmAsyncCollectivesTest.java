package dev.jccl.shm;

import dev.jccl.core.AsyncCollectivesTest;

/** transport-tcp's async tests (issue order, overlap, buffer-in-use, failures) over shared memory. */
class ShmAsyncCollectivesTest extends AsyncCollectivesTest
{
    @Override
    protected String transport()
    {
        return "shm";
    }
}
