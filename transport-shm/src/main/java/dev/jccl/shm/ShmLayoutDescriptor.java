package dev.jccl.shm;

/**
 * Layout of one communicator's shared-memory file (native byte order; every rank is on one host).
 *
 * <pre>
 * File header, one page at offset 0:
 *    0 int32  magic "JCSM"             4 int32  layout version
 *    8 int32  state (CREATING, READY)  12 int32 world size
 *   16 int64  creator pid             24 int64 ring capacity in bytes (per ordered pair)
 *   32 int64  communicator id         40 int32 run id length
 *   64 byte[32] file nonce (the creator's random challenge)
 *  128 byte[255] run id (UTF-8)
 *
 * Rank slots, one page each, from offset PAGE (slot r at PAGE + r * PAGE):
 *    0 int32  state (EMPTY, ATTACHED, CLOSED)     8 int64 pid
 *   64 byte[32] rank nonce                       96 byte[32] proof: HMAC(token, run id, rank, file nonce, rank nonce)
 *  128 int64  heartbeat counter (own cache line pair)
 *  256 int32  call seqlock (odd while the call below is being written)
 *  320 byte[48] current call (MessageHeader layout)
 *  448 int32  abort state (NONE, WRITING, WRITTEN)  452 int32 reason id  456 int32 failed rank  460 int32 text length
 *  512 byte[MAX_ABORT_TEXT] abort reason (UTF-8)
 *
 * Channels, one per ordered pair (from, to), from offset PAGE * (1 + world size), each
 * CHANNEL_CONTROL + capacity bytes:
 *    0 int64  head: bytes ever written by the producer (its own 128-byte line pair)
 *  128 int64  tail: bytes ever consumed by the consumer (its own 128-byte line pair)
 * CHANNEL_CONTROL  byte[capacity] ring: frames of a 64-byte header area (MessageHeader, 48 bytes)
 *                  followed by the payload padded to 64 bytes, wrapping at capacity.
 * </pre>
 *
 * Head and tail sit 128 bytes apart because adjacent-line prefetchers pull cache lines in pairs:
 * producer and consumer never write the same pair, so neither stalls on the other's counter.
 */
final class ShmLayoutDescriptor
{
    static final int MAGIC = 0x4D53434A; // "JCSM" little-endian
    static final int VERSION = 1;
    static final int PAGE = 4096;
    static final int FRAME_ALIGNMENT = 64;
    static final int FRAME_HEADER_LENGTH = 64;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int FILE_STATE_OFFSET = 8;
    static final int WORLD_SIZE_OFFSET = 12;
    static final int CREATOR_PID_OFFSET = 16;
    static final int RING_CAPACITY_OFFSET = 24;
    static final int COMMUNICATOR_ID_OFFSET = 32;
    static final int RUN_ID_LENGTH_OFFSET = 40;
    static final int FILE_NONCE_OFFSET = 64;
    static final int RUN_ID_OFFSET = 128;
    static final int MAX_RUN_ID_LENGTH = 255;

    static final int FILE_CREATING = 0;
    static final int FILE_READY = 1;

    static final int SLOT_STATE_OFFSET = 0;
    static final int SLOT_PID_OFFSET = 8;
    static final int SLOT_NONCE_OFFSET = 64;
    static final int SLOT_PROOF_OFFSET = 96;
    static final int SLOT_HEARTBEAT_OFFSET = 128;
    static final int SLOT_CALL_SEQLOCK_OFFSET = 256;
    static final int SLOT_CALL_OFFSET = 320;
    static final int SLOT_ABORT_STATE_OFFSET = 448;
    static final int SLOT_ABORT_REASON_OFFSET = 452;
    static final int SLOT_ABORT_FAILED_RANK_OFFSET = 456;
    static final int SLOT_ABORT_LENGTH_OFFSET = 460;
    static final int SLOT_ABORT_TEXT_OFFSET = 512;
    static final int MAX_ABORT_TEXT = 2048;

    static final int SLOT_EMPTY = 0;
    static final int SLOT_ATTACHED = 1;
    static final int SLOT_CLOSED = 2;

    static final int ABORT_NONE = 0;
    static final int ABORT_WRITING = 1;
    static final int ABORT_WRITTEN = 2;

    static final int NONCE_LENGTH = 32;
    static final int PROOF_LENGTH = 32;

    static final int HEAD_OFFSET = 0;
    static final int TAIL_OFFSET = 128;
    static final int CHANNEL_CONTROL = PAGE;

    /** Smallest and largest ring per ordered pair; the capacity is a power of two in between. */
    static final int MIN_RING_CAPACITY = 64 * 1024;
    static final int MAX_RING_CAPACITY = 64 * 1024 * 1024;

    private ShmLayoutDescriptor()
    {
    }

    static long slotOffset(final int rank)
    {
        return PAGE + (long)rank * PAGE;
    }

    /** Index of the channel carrying bytes from {@code from} to {@code to} (the diagonal is skipped). */
    static int channelIndex(final int from, final int to, final int worldSize)
    {
        return from * (worldSize - 1) + (to < from ? to : to - 1);
    }

    static long channelOffset(final int from, final int to, final int worldSize, final int capacity)
    {
        return PAGE * (1L + worldSize) + (long)channelIndex(from, to, worldSize) * (CHANNEL_CONTROL + (long)capacity);
    }

    static long fileLength(final int worldSize, final int capacity)
    {
        final long channels = (long)worldSize * (worldSize - 1);
        return PAGE * (1L + worldSize) + channels * (CHANNEL_CONTROL + (long)capacity);
    }

    /** Bytes a frame of {@code payload} bytes occupies in the ring. */
    static long frameLength(final int payload)
    {
        return FRAME_HEADER_LENGTH + align(payload);
    }

    static long align(final long length)
    {
        return (length + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
    }
}
