package dev.jccl;

/** Where a {@link CommBuffer}'s memory lives; transports and algorithms are selected by it. */
public enum MemoryKind
{
    /** A Java primitive array on the heap. */
    HEAP_ARRAY,
    /** A heap {@link java.nio.ByteBuffer} (backed by a byte[]). */
    HEAP_BYTE_BUFFER,
    /** Off-heap memory: a direct ByteBuffer, or an Agrona buffer over an address. */
    OFF_HEAP,
    /** CUDA device memory; only the NCCL transport moves it. */
    DEVICE
}
