package dev.jccl.wire;

/**
 * Layout of the frame header that precedes every message between two ranks (little-endian).
 *
 * <pre>
 *   0  int32  frame type (DATA, ABORT, HEARTBEAT)
 *   4  int8   collective kind       5 int8 data type   6 int8 reduce op   7 int8 flags
 *   8  int32  root rank
 *  12  int32  payload length in bytes (this frame)
 *  16  int64  communicator id
 *  24  int64  sequence number of the collective on that communicator
 *  32  int64  element count of the collective
 *  40  int64  chunk offset: byte offset of this payload within the collective's buffer
 *  48         end
 * </pre>
 *
 * An ABORT frame carries a UTF-8 reason as payload and an {@code AbortReason} id in the kind byte.
 */
public final class MessageHeaderDescriptor
{
    public static final int FRAME_TYPE_OFFSET = 0;
    public static final int KIND_OFFSET = 4;
    public static final int DATA_TYPE_OFFSET = 5;
    public static final int OP_OFFSET = 6;
    public static final int FLAGS_OFFSET = 7;
    public static final int ROOT_OFFSET = 8;
    public static final int LENGTH_OFFSET = 12;
    public static final int COMMUNICATOR_OFFSET = 16;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int COUNT_OFFSET = 32;
    public static final int CHUNK_OFFSET_OFFSET = 40;
    public static final int HEADER_LENGTH = 48;

    public static final int FRAME_DATA = 0x4A430001;
    public static final int FRAME_ABORT = 0x4A430002;
    public static final int FRAME_HEARTBEAT = 0x4A430003;

    /** Largest ABORT reason accepted; longer frames are a protocol error, never an allocation. */
    public static final int MAX_ABORT_REASON_LENGTH = 4096;

    private MessageHeaderDescriptor()
    {
    }
}
