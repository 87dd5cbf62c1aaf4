package dev.jccl.nccl;

import dev.jccl.CommBuffer;
import dev.jccl.ReduceOp;
import dev.jccl.core.BufferRef;
import org.bytedeco.cuda.global.nccl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks made before any CUDA call, and the per-rank counts handed to NCCL (no native code runs). */
class CollectiveArgumentsTest
{
    private static final int VERSION = nccl.NCCL_VERSION_CODE;

    private static BufferRef floats(final int count)
    {
        return new BufferRef().set(CommBuffer.of(new float[count]));
    }

    @Test
    void allGatherCountsWhatEachRankSends()
    {
        assertEquals(4, CollectiveArguments.allGatherBlockCount(floats(4), floats(12), 3, VERSION));
        final BufferRef inPlace = floats(12);
        assertEquals(4, CollectiveArguments.allGatherBlockCount(inPlace, inPlace, 3, VERSION));
    }

    @Test
    void allGatherRejectsRecvThatIsNotRanksTimesSend()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.allGatherBlockCount(floats(4), floats(8), 3, VERSION));
        assertTrue(ex.getMessage().contains("recv count 8 must be 3 x send count 4"), ex.getMessage());
        final BufferRef inPlace = floats(10);
        assertThrows(IllegalArgumentException.class, () -> CollectiveArguments.allGatherBlockCount(inPlace, inPlace, 3, VERSION));
    }

    @Test
    void reduceScatterCountsWhatEachRankReceives()
    {
        assertEquals(4, CollectiveArguments.reduceScatterBlockCount(floats(12), floats(4), ReduceOp.SUM, 3, VERSION));
        final BufferRef inPlace = floats(12);
        assertEquals(4, CollectiveArguments.reduceScatterBlockCount(inPlace, inPlace, ReduceOp.AVG, 3, VERSION));
    }

    @Test
    void reduceScatterRejectsSendThatIsNotRanksTimesRecv()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.reduceScatterBlockCount(floats(12), floats(3), ReduceOp.SUM, 3, VERSION));
        assertTrue(ex.getMessage().contains("send count 12 must be 3 x recv count 3"), ex.getMessage());
        final BufferRef inPlace = floats(13);
        assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.reduceScatterBlockCount(inPlace, inPlace, ReduceOp.SUM, 3, VERSION));
    }

    @Test
    void reduceChecksTheRecvCountOnTheRootOnly()
    {
        assertDoesNotThrow(() -> CollectiveArguments.reduce(floats(8), floats(1), ReduceOp.MAX, 0, false, 2, VERSION));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.reduce(floats(8), floats(1), ReduceOp.MAX, 0, true, 2, VERSION));
        assertTrue(ex.getMessage().contains("send count 8 != recv count 1"), ex.getMessage());
    }

    @Test
    void rootOutsideTheCommunicatorIsRejected()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.broadcast(floats(2), floats(2), 2, 2, VERSION));
        assertTrue(ex.getMessage().contains("root 2 out of range [0, 2)"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CollectiveArguments.reduce(floats(2), floats(2), ReduceOp.SUM, -1, false, 2, VERSION));
    }

    @Test
    void mismatchedTypesAndCountsAreRejected()
    {
        final BufferRef ints = new BufferRef().set(CommBuffer.of(new int[4]));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.allReduce(floats(4), ints, ReduceOp.SUM, VERSION));
        assertTrue(ex.getMessage().contains("send type FLOAT32 differs from recv type INT32"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CollectiveArguments.allReduce(floats(4), floats(5), ReduceOp.SUM, VERSION));
    }

    @Test
    void reductionsNcclCannotDoAreRejectedBeforeAnyCall()
    {
        // ncclAvg arrived in NCCL 2.10.
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CollectiveArguments.allReduce(floats(4), floats(4), ReduceOp.AVG, NcclTypes.versionCode(2, 9, 9)));
        assertTrue(ex.getMessage().contains("cannot reduce FLOAT32 with AVG"), ex.getMessage());
    }
}
