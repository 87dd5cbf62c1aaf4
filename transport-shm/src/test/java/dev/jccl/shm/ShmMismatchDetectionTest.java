package dev.jccl.shm;

import dev.jccl.tcp.MismatchDetectionTest;

/** transport-tcp's mismatch cases (count, type, op, root, kind, zero count, reduce, barrier) over shared memory. */
class ShmMismatchDetectionTest extends MismatchDetectionTest
{
    @Override
    protected String transport()
    {
        return "shm";
    }
}
