package dev.jccl.tcp.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.jccl.tcp.store.StoreDescriptor.*;

/** Reads and writes the {@link StoreDescriptor} layouts over blocking streams, bounds first. */
final class StoreWire
{
    private StoreWire()
    {
    }

    /** A request that breaks the protocol; the server drops the connection and logs the reason. */
    static final class MalformedException extends Exception
    {
        private static final long serialVersionUID = 1L;

        MalformedException(final String reason)
        {
            super(reason, null, false, false);
        }
    }

    /** A decoded request. */
    static final class Request
    {
        byte opcode;
        long arg;
        String[] keys;
        byte[][] values;
    }

    /** A decoded response. */
    static final class Response
    {
        byte status;
        long arg;
        byte[][] parts;
    }

    static void writeRequest(
        final DataOutputStream out, final byte opcode, final long arg, final byte[][] keys, final byte[]... values)
        throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(REQUEST_HEADER_LENGTH);
        header.put(REQUEST_OPCODE_OFFSET, opcode)
            .putInt(REQUEST_KEY_COUNT_OFFSET, keys.length)
            .putInt(REQUEST_VALUE_COUNT_OFFSET, values.length)
            .putLong(REQUEST_ARG_OFFSET, arg);
        out.write(header.array());
        for (final byte[] key : keys)
        {
            out.writeInt(key.length);
            out.write(key);
        }
        for (final byte[] value : values)
        {
            out.writeInt(value.length);
            out.write(value);
        }
        out.flush();
    }

    /**
     * Reads one request, or returns null on a clean end of stream before its first byte.
     *
     * @throws MalformedException when a count, length or opcode breaks the protocol.
     */
    static Request readRequest(final DataInputStream in, final byte[] headerBytes) throws IOException, MalformedException
    {
        final int first = in.read();
        if (first < 0)
        {
            return null;
        }
        headerBytes[0] = (byte)first;
        in.readFully(headerBytes, 1, REQUEST_HEADER_LENGTH - 1);
        final ByteBuffer header = ByteBuffer.wrap(headerBytes);
        final Request request = new Request();
        request.opcode = header.get(REQUEST_OPCODE_OFFSET);
        final int keyCount = header.getInt(REQUEST_KEY_COUNT_OFFSET);
        final int valueCount = header.getInt(REQUEST_VALUE_COUNT_OFFSET);
        request.arg = header.getLong(REQUEST_ARG_OFFSET);
        final int expectedKeys = StoreDescriptor.keyCount(request.opcode);
        if (expectedKeys == -2)
        {
            throw new MalformedException("unknown opcode " + request.opcode);
        }
        if (expectedKeys == -1 ? (keyCount < 1 || keyCount > MAX_WAIT_KEYS) : keyCount != expectedKeys)
        {
            throw new MalformedException(opcodeName(request.opcode) + " with " + keyCount + " keys");
        }
        if (valueCount != StoreDescriptor.valueCount(request.opcode))
        {
            throw new MalformedException(opcodeName(request.opcode) + " with " + valueCount + " values");
        }
        request.keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++)
        {
            request.keys[i] = new String(readPart(in, MAX_KEY_LENGTH, "key"), StandardCharsets.UTF_8);
        }
        request.values = new byte[valueCount][];
        for (int i = 0; i < valueCount; i++)
        {
            request.values[i] = readPart(in, MAX_VALUE_LENGTH, "value");
        }
        return request;
    }

    private static byte[] readPart(final DataInputStream in, final int max, final String what)
        throws IOException, MalformedException
    {
        final int length = in.readInt();
        if (length < 0 || length > max)
        {
            throw new MalformedException(what + " length " + length + " outside 0.." + max);
        }
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    static void writeResponse(final DataOutputStream out, final byte status, final long arg, final byte[]... parts)
        throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(RESPONSE_HEADER_LENGTH);
        header.put(RESPONSE_STATUS_OFFSET, status).putInt(RESPONSE_PART_COUNT_OFFSET, parts.length).putLong(RESPONSE_ARG_OFFSET, arg);
        out.write(header.array());
        for (final byte[] part : parts)
        {
            out.writeInt(part.length);
            out.write(part);
        }
        out.flush();
    }

    /** @throws MalformedException when the server's answer breaks the protocol. */
    static Response readResponse(final DataInputStream in) throws IOException, MalformedException
    {
        final byte[] headerBytes = new byte[RESPONSE_HEADER_LENGTH];
        in.readFully(headerBytes);
        final ByteBuffer header = ByteBuffer.wrap(headerBytes);
        final Response response = new Response();
        response.status = header.get(RESPONSE_STATUS_OFFSET);
        final int partCount = header.getInt(RESPONSE_PART_COUNT_OFFSET);
        response.arg = header.getLong(RESPONSE_ARG_OFFSET);
        if (response.status < STATUS_OK || response.status > STATUS_ERROR)
        {
            throw new MalformedException("unknown status " + response.status);
        }
        if (partCount < 0 || partCount > MAX_WAIT_KEYS)
        {
            throw new MalformedException("response with " + partCount + " parts");
        }
        response.parts = new byte[partCount][];
        for (int i = 0; i < partCount; i++)
        {
            response.parts[i] = readPart(in, MAX_VALUE_LENGTH, "response part");
        }
        return response;
    }
}
