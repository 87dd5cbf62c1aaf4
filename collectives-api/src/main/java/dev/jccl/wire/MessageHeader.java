package dev.jccl.wire;

import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static dev.jccl.wire.MessageHeaderDescriptor.*;

/**
 * The fields of a DATA frame header as a reusable value: algorithms fill one per collective and
 * change only the chunk offset and length per message; transports encode and decode it with
 * {@link #encode}/{@link #decode} over Agrona buffers laid out by {@link MessageHeaderDescriptor}.
 */
public final class MessageHeader
{
    private long communicatorId;
    private long sequence;
    private CollectiveKind kind;
    private DataType dataType;
    private ReduceOp op;
    private int root;
    private long count;
    private long chunkOffset;
    private int length;

    /** Sets the per-collective fields. */
    public MessageHeader collective(
        final long communicatorId, final long sequence, final CollectiveKind kind,
        final DataType dataType, final ReduceOp op, final int root, final long count)
    {
        this.communicatorId = communicatorId;
        this.sequence = sequence;
        this.kind = kind;
        this.dataType = dataType;
        this.op = op;
        this.root = root;
        this.count = count;
        return this;
    }

    /** Sets the per-message fields. */
    public MessageHeader chunk(final long chunkOffset, final int length)
    {
        this.chunkOffset = chunkOffset;
        this.length = length;
        return this;
    }

    public MessageHeader copyFrom(final MessageHeader other)
    {
        communicatorId = other.communicatorId;
        sequence = other.sequence;
        kind = other.kind;
        dataType = other.dataType;
        op = other.op;
        root = other.root;
        count = other.count;
        chunkOffset = other.chunkOffset;
        length = other.length;
        return this;
    }

    public void encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset + FRAME_TYPE_OFFSET, FRAME_DATA, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(offset + KIND_OFFSET, (byte)kind.id());
        buffer.putByte(offset + DATA_TYPE_OFFSET, (byte)(dataType == null ? 0xFF : dataType.id()));
        buffer.putByte(offset + OP_OFFSET, (byte)(op == null ? 0xFF : op.id()));
        buffer.putByte(offset + FLAGS_OFFSET, (byte)0);
        buffer.putInt(offset + ROOT_OFFSET, root, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(offset + LENGTH_OFFSET, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + COMMUNICATOR_OFFSET, communicatorId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + COUNT_OFFSET, count, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + CHUNK_OFFSET_OFFSET, chunkOffset, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Decodes a DATA frame header. Unknown enum ids decode as null and so never match an
     * expectation: the receiver reports a mismatch instead of trusting them.
     */
    public MessageHeader decode(final DirectBuffer buffer, final int offset)
    {
        kind = CollectiveKind.fromId(buffer.getByte(offset + KIND_OFFSET) & 0xFF);
        dataType = DataType.fromId(buffer.getByte(offset + DATA_TYPE_OFFSET) & 0xFF);
        op = ReduceOp.fromId(buffer.getByte(offset + OP_OFFSET) & 0xFF);
        root = buffer.getInt(offset + ROOT_OFFSET, ByteOrder.LITTLE_ENDIAN);
        length = buffer.getInt(offset + LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        communicatorId = buffer.getLong(offset + COMMUNICATOR_OFFSET, ByteOrder.LITTLE_ENDIAN);
        sequence = buffer.getLong(offset + SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
        count = buffer.getLong(offset + COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
        chunkOffset = buffer.getLong(offset + CHUNK_OFFSET_OFFSET, ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    /** Whether every field agrees (allocation-free; used on each receive). */
    public boolean matches(final MessageHeader other)
    {
        return communicatorId == other.communicatorId &&
            sequence == other.sequence &&
            kind == other.kind &&
            dataType == other.dataType &&
            op == other.op &&
            root == other.root &&
            count == other.count &&
            chunkOffset == other.chunkOffset &&
            length == other.length;
    }

    /**
     * Whether both headers describe the same call (communicator, sequence, kind, type, op, root,
     * count), ignoring the chunk: what a probe from an idle peer is checked against.
     */
    public boolean sameCall(final MessageHeader other)
    {
        return communicatorId == other.communicatorId &&
            sequence == other.sequence &&
            kind == other.kind &&
            dataType == other.dataType &&
            op == other.op &&
            root == other.root &&
            count == other.count;
    }

    /** Human description of the call this header belongs to, for mismatch messages. */
    public String describe()
    {
        return (kind == null ? "unknown-collective" : kind.apiName()) +
            "(comm " + communicatorId + ", seq " + sequence + ", count " + count +
            ", type " + dataType + ", op " + op + ", root " + root +
            ", chunk " + chunkOffset + "+" + length + ")";
    }

    public long communicatorId()
    {
        return communicatorId;
    }

    public long sequence()
    {
        return sequence;
    }

    public CollectiveKind kind()
    {
        return kind;
    }

    public DataType dataType()
    {
        return dataType;
    }

    public ReduceOp op()
    {
        return op;
    }

    public int root()
    {
        return root;
    }

    public long count()
    {
        return count;
    }

    public long chunkOffset()
    {
        return chunkOffset;
    }

    public int length()
    {
        return length;
    }

    @Override
    public String toString()
    {
        return describe();
    }
}
