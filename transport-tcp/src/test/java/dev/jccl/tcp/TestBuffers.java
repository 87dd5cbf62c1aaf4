package dev.jccl.tcp;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every buffer form the API accepts, filled from and read back into plain byte images, so one
 * test body checks them all: typed arrays, byte[], direct and heap ByteBuffers, and Agrona buffers
 * over a direct ByteBuffer at an odd offset and over a bare address.
 */
public final class TestBuffers
{
    public enum Form
    {
        TYPED_ARRAY, BYTE_ARRAY, DIRECT_BYTE_BUFFER, HEAP_BYTE_BUFFER, AGRONA_DIRECT_ODD_OFFSET, AGRONA_ADDRESS
    }

    /** A user buffer plus the means to read its bytes back. */
    public static final class Held
    {
        public final CommBuffer buffer;
        public final Object memory;
        public final Form form;
        public final DataType type;
        public final int count;
        final ByteBuffer keepAlive;

        Held(final CommBuffer buffer, final Object memory, final Form form, final DataType type, final int count, final ByteBuffer keepAlive)
        {
            this.buffer = buffer;
            this.memory = memory;
            this.form = form;
            this.type = type;
            this.count = count;
            this.keepAlive = keepAlive;
        }

        /** The buffer's current contents as a native-order byte image. */
        public ByteBuffer image()
        {
            final ByteBuffer out = ByteBuffer.allocate(count * type.size()).order(ByteOrder.nativeOrder());
            switch (form)
            {
                case TYPED_ARRAY:
                    readTyped(memory, out);
                    break;
                case BYTE_ARRAY:
                    out.put((byte[])memory, 0, out.capacity());
                    break;
                case DIRECT_BYTE_BUFFER:
                case HEAP_BYTE_BUFFER:
                    out.put(((ByteBuffer)memory).duplicate().position(0).limit(out.capacity()));
                    break;
                default:
                    final UnsafeBuffer agrona = (UnsafeBuffer)memory;
                    agrona.getBytes(form == Form.AGRONA_DIRECT_ODD_OFFSET ? 0 : 0, out, 0, out.capacity());
                    break;
            }
            return out.clear();
        }
    }

    private TestBuffers()
    {
    }

    public static Held make(final Form form, final DataType type, final int count, final ByteBuffer image)
    {
        final int bytes = count * type.size();
        final ByteBuffer src = image.duplicate().order(ByteOrder.nativeOrder()).position(0).limit(bytes);
        switch (form)
        {
            case TYPED_ARRAY:
            {
                final Object array = typed(type, count, src);
                return new Held(wrapTyped(array, type, count), array, form, type, count, null);
            }
            case BYTE_ARRAY:
            {
                final byte[] array = new byte[bytes];
                src.get(array);
                return new Held(CommBuffer.of(array, 0, count, type), array, form, type, count, null);
            }
            case DIRECT_BYTE_BUFFER:
            case HEAP_BYTE_BUFFER:
            {
                final ByteBuffer buffer = (form == Form.DIRECT_BYTE_BUFFER ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes))
                    .order(ByteOrder.nativeOrder());
                buffer.put(src).clear();
                return new Held(CommBuffer.of(buffer, type, count), buffer, form, type, count, null);
            }
            case AGRONA_DIRECT_ODD_OFFSET:
            {
                final ByteBuffer backing = ByteBuffer.allocateDirect(bytes + 16);
                final UnsafeBuffer agrona = new UnsafeBuffer(backing, 3, bytes);
                agrona.putBytes(0, src, 0, bytes);
                return new Held(CommBuffer.of(agrona, 0, type, count), agrona, form, type, count, backing);
            }
            case AGRONA_ADDRESS:
            {
                final ByteBuffer backing = ByteBuffer.allocateDirect(bytes + 16);
                final UnsafeBuffer agrona = new UnsafeBuffer(BufferUtil.address(backing) + 5, bytes);
                agrona.putBytes(0, src, 0, bytes);
                return new Held(CommBuffer.of(agrona, 0, type, count), agrona, form, type, count, backing);
            }
            default:
                throw new AssertionError(form);
        }
    }

    private static Object typed(final DataType type, final int count, final ByteBuffer src)
    {
        switch (type)
        {
            case FLOAT32:
            {
                final float[] a = new float[count];
                src.asFloatBuffer().get(a);
                return a;
            }
            case FLOAT64:
            {
                final double[] a = new double[count];
                src.asDoubleBuffer().get(a);
                return a;
            }
            case INT32:
            case UINT32:
            {
                final int[] a = new int[count];
                src.asIntBuffer().get(a);
                return a;
            }
            case INT64:
            case UINT64:
            {
                final long[] a = new long[count];
                src.asLongBuffer().get(a);
                return a;
            }
            case FLOAT16:
            case BFLOAT16:
            {
                final short[] a = new short[count];
                src.asShortBuffer().get(a);
                return a;
            }
            default:
            {
                final byte[] a = new byte[count];
                src.get(a);
                return a;
            }
        }
    }

    private static CommBuffer wrapTyped(final Object array, final DataType type, final int count)
    {
        if (array instanceof float[])
        {
            return CommBuffer.of((float[])array);
        }
        if (array instanceof double[])
        {
            return CommBuffer.of((double[])array);
        }
        if (array instanceof int[])
        {
            return CommBuffer.of((int[])array, 0, count, type);
        }
        if (array instanceof long[])
        {
            return CommBuffer.of((long[])array, 0, count, type);
        }
        if (array instanceof short[])
        {
            return CommBuffer.of((short[])array, type);
        }
        return CommBuffer.of((byte[])array, 0, count, type);
    }

    private static void readTyped(final Object array, final ByteBuffer out)
    {
        if (array instanceof float[])
        {
            out.asFloatBuffer().put((float[])array);
        }
        else if (array instanceof double[])
        {
            out.asDoubleBuffer().put((double[])array);
        }
        else if (array instanceof int[])
        {
            out.asIntBuffer().put((int[])array);
        }
        else if (array instanceof long[])
        {
            out.asLongBuffer().put((long[])array);
        }
        else if (array instanceof short[])
        {
            out.asShortBuffer().put((short[])array);
        }
        else
        {
            out.put((byte[])array);
        }
    }
}
