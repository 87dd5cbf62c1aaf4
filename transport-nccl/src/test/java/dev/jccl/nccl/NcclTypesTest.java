package dev.jccl.nccl;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.bytedeco.cuda.global.nccl;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The type/op table, checked both ways against the NCCL header constants (no native code runs). */
class NcclTypesTest
{
    private static final int CURRENT = nccl.NCCL_VERSION_CODE;

    @Test
    void everyDataTypeMapsToADistinctNcclTypeAndBack()
    {
        final Set<Integer> seen = new HashSet<>();
        for (final DataType type : DataType.values())
        {
            final int ncclType = NcclTypes.ncclType(type);
            assertTrue(ncclType >= 0 && ncclType < nccl.ncclNumTypes, type + " -> " + ncclType);
            assertTrue(seen.add(ncclType), "two JCCL types map to NCCL type " + ncclType);
            assertEquals(type, NcclTypes.dataType(ncclType), "round trip of " + type);
            // DataType documents NCCL's numbering; the table must agree with it.
            assertEquals(type.id(), ncclType, type + " id");
        }
    }

    @Test
    void namedNcclTypesMapToTheExpectedJcclTypes()
    {
        assertEquals(nccl.ncclInt8, NcclTypes.ncclType(DataType.INT8));
        assertEquals(nccl.ncclUint8, NcclTypes.ncclType(DataType.UINT8));
        assertEquals(nccl.ncclInt32, NcclTypes.ncclType(DataType.INT32));
        assertEquals(nccl.ncclUint32, NcclTypes.ncclType(DataType.UINT32));
        assertEquals(nccl.ncclInt64, NcclTypes.ncclType(DataType.INT64));
        assertEquals(nccl.ncclUint64, NcclTypes.ncclType(DataType.UINT64));
        assertEquals(nccl.ncclFloat16, NcclTypes.ncclType(DataType.FLOAT16));
        assertEquals(nccl.ncclFloat32, NcclTypes.ncclType(DataType.FLOAT32));
        assertEquals(nccl.ncclFloat64, NcclTypes.ncclType(DataType.FLOAT64));
        assertEquals(nccl.ncclBfloat16, NcclTypes.ncclType(DataType.BFLOAT16));
    }

    @Test
    void everyNcclTypeIsMappedOrExplicitlyUnmapped()
    {
        final Set<Integer> unmapped = new HashSet<>();
        for (final int t : NcclTypes.UNMAPPED_NCCL_TYPES)
        {
            unmapped.add(t);
        }
        for (int t = 0; t < nccl.ncclNumTypes; t++)
        {
            final DataType type = NcclTypes.dataType(t);
            if (unmapped.contains(t))
            {
                assertNull(type, "NCCL type " + t + " is listed as unmapped");
            }
            else
            {
                assertTrue(type != null, "NCCL type " + t + " has no JCCL type and is not listed as unmapped");
                assertEquals(t, NcclTypes.ncclType(type));
            }
        }
        assertNull(NcclTypes.dataType(-1));
        assertNull(NcclTypes.dataType(nccl.ncclNumTypes));
    }

    @Test
    void everyReduceOpMapsToNcclAndBack()
    {
        final EnumSet<ReduceOp> seen = EnumSet.noneOf(ReduceOp.class);
        for (int op = 0; op < nccl.ncclNumOps; op++)
        {
            final ReduceOp reduceOp = NcclTypes.reduceOp(op);
            assertTrue(reduceOp != null, "NCCL op " + op + " unmapped");
            assertEquals(op, NcclTypes.ncclOp(reduceOp));
            seen.add(reduceOp);
        }
        assertEquals(EnumSet.allOf(ReduceOp.class), seen);
        assertEquals(nccl.ncclSum, NcclTypes.ncclOp(ReduceOp.SUM));
        assertEquals(nccl.ncclProd, NcclTypes.ncclOp(ReduceOp.PROD));
        assertEquals(nccl.ncclMax, NcclTypes.ncclOp(ReduceOp.MAX));
        assertEquals(nccl.ncclMin, NcclTypes.ncclOp(ReduceOp.MIN));
        assertEquals(nccl.ncclAvg, NcclTypes.ncclOp(ReduceOp.AVG));
        // Custom (premul-sum) ops live above ncclNumOps and have no JCCL op.
        assertNull(NcclTypes.reduceOp(nccl.ncclNumOps));
        assertNull(NcclTypes.reduceOp(-1));
    }

    @Test
    void currentNcclSupportsEveryTypeWithEveryOp()
    {
        for (final DataType type : DataType.values())
        {
            assertTrue(NcclTypes.supports(type, CURRENT));
            for (final ReduceOp op : ReduceOp.values())
            {
                assertTrue(NcclTypes.supports(type, op, CURRENT), type + " " + op);
                NcclTypes.check(type, op, CURRENT);
            }
        }
    }

    @Test
    void combinationsTheLoadedNcclLacksAreRejectedBeforeAnyCall()
    {
        final int nccl2_9 = NcclTypes.versionCode(2, 9, 9);
        final IllegalArgumentException avg = assertThrows(IllegalArgumentException.class,
            () -> NcclTypes.check(DataType.FLOAT32, ReduceOp.AVG, nccl2_9));
        assertTrue(avg.getMessage().contains("AVG") && avg.getMessage().contains("2.10.0"), avg.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NcclTypes.check(DataType.BFLOAT16, ReduceOp.SUM, nccl2_9));
        assertThrows(IllegalArgumentException.class, () -> NcclTypes.check(DataType.BFLOAT16, nccl2_9));
        assertFalse(NcclTypes.supports(DataType.INT32, ReduceOp.AVG, nccl2_9));
        NcclTypes.check(DataType.INT32, ReduceOp.SUM, nccl2_9);
        NcclTypes.check(DataType.FLOAT16, nccl2_9);
        assertTrue(NcclTypes.supports(DataType.INT32, ReduceOp.AVG, NcclProbe.MIN_NCCL_VERSION));
        assertThrows(IllegalArgumentException.class, () -> NcclTypes.check(null, ReduceOp.SUM, CURRENT));
        assertThrows(IllegalArgumentException.class, () -> NcclTypes.check(DataType.FLOAT32, null, CURRENT));
        assertThrows(IllegalArgumentException.class, () -> NcclTypes.ncclOp(null));
        assertThrows(IllegalArgumentException.class, () -> NcclTypes.ncclType(null));
    }

    @Test
    void versionStrings()
    {
        assertEquals("2.29.3", NcclTypes.versionString(22903));
        assertEquals(22903, NcclTypes.versionCode(2, 29, 3));
        assertEquals(nccl.NCCL_VERSION_CODE, NcclTypes.versionCode(nccl.NCCL_MAJOR, nccl.NCCL_MINOR, nccl.NCCL_PATCH));
    }
}
