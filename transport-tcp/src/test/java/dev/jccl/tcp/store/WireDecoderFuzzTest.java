package dev.jccl.tcp.store;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jccl.tcp.HandshakeIo;
import dev.jccl.wire.Handshake;
import dev.jccl.wire.HandshakeDescriptor;
import dev.jccl.wire.MessageHeader;
import dev.jccl.wire.MessageHeaderDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

import static dev.jccl.tcp.store.StoreDescriptor.*;

/**
 * Coverage-guided fuzz target (Jazzer) for every decoder that reads bytes from the network before
 * or without trusting the sender: the acceptor's handshake, the frame header, and the store's
 * request and response. Each must return a valid value or throw its documented exception, never
 * another exception, an allocation sized by the input, or a hang.
 *
 * <p>One target dispatching on the first byte, because Jazzer fuzzes one target per JVM. Without
 * {@code JAZZER_FUZZ} it replays the inputs under {@code src/test/resources} (regression mode); the
 * build's {@code fuzz-wire-decoders} execution fuzzes it for a short while on every build. A longer
 * run, from the repository root:
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -o -pl transport-tcp -am test -Djccl.fuzz.long=true -Djazzer.instrument='dev.jccl.**' \
 *     -Dtest='WireDecoderFuzzTest#wireDecodersLongRun' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Findings land as reproducer files under {@code src/test/resources/dev/jccl/tcp/store/WireDecoderFuzzTestInputs/}
 * and then run in every regression pass; the working corpus goes to {@code .cifuzz-corpus/} (git-ignored).
 */
class WireDecoderFuzzTest
{
    private static final byte[] TOKEN = "fuzz-token-fuzz-token-fuzz-token".getBytes();
    private static final Handshake HANDSHAKE = new Handshake(TOKEN, "fuzz-run");
    private static final int STORE_RANK = -1;

    @FuzzTest(maxDuration = "15s")
    void wireDecodersReturnValidValuesOrTheirDocumentedException(final FuzzedDataProvider data) throws Exception
    {
        decodeOne(data);
    }

    /** The same target for a long run (see the class comment); skipped unless asked for. */
    @FuzzTest(maxDuration = "30m")
    @EnabledIfSystemProperty(named = "jccl.fuzz.long", matches = "true")
    void wireDecodersLongRun(final FuzzedDataProvider data) throws Exception
    {
        decodeOne(data);
    }

    private static void decodeOne(final FuzzedDataProvider data) throws Exception
    {
        switch (data.consumeInt(0, 4))
        {
            case 0:
                handshakeAcceptor(data.consumeRemainingAsBytes());
                break;
            case 1:
                handshakeAcceptor(validHelloPrefixed(data));
                break;
            case 2:
                frameHeader(data.consumeRemainingAsBytes());
                break;
            case 3:
                storeRequests(data.consumeRemainingAsBytes());
                break;
            default:
                storeResponses(data.consumeRemainingAsBytes());
                break;
        }
    }

    /** The acceptor over any bytes: only an authenticated connector may come out, else Refused. */
    private static void handshakeAcceptor(final byte[] input) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            final HandshakeIo.Accepted accepted = HandshakeIo.accept(new ByteArrayInputStream(input), out, HANDSHAKE, STORE_RANK,
                (role, rank) -> HandshakeDescriptor.STATUS_OK);
            // Only a connector that answered this acceptor's fresh nonce under the token gets here,
            // which random bytes cannot do.
            throw new AssertionError("fuzzed bytes authenticated as rank " + accepted.rank);
        }
        catch (final HandshakeIo.Refused expected)
        {
            // The documented outcome.
        }
        if (out.size() > HandshakeDescriptor.CHALLENGE_LENGTH + HandshakeDescriptor.VERDICT_LENGTH)
        {
            throw new AssertionError("acceptor wrote " + out.size() + " bytes to a stranger");
        }
    }

    /** A valid HELLO for this run, then fuzzed bytes: reaches the run id, MAC and admission paths. */
    private static byte[] validHelloPrefixed(final FuzzedDataProvider data)
    {
        final ByteBuffer hello = ByteBuffer.allocate(HANDSHAKE.helloLength());
        HANDSHAKE.writeHello(hello, data.consumeByte(), data.consumeInt(), data.consumeBytes(HandshakeDescriptor.NONCE_LENGTH).length ==
            HandshakeDescriptor.NONCE_LENGTH ? new byte[HandshakeDescriptor.NONCE_LENGTH] : Handshake.newNonce());
        final byte[] tail = data.consumeRemainingAsBytes();
        final byte[] input = new byte[hello.capacity() + tail.length];
        System.arraycopy(hello.array(), 0, input, 0, hello.capacity());
        System.arraycopy(tail, 0, input, hello.capacity(), tail.length);
        return input;
    }

    /** Any 48 bytes decode to a header (unknown enums as null) that describes itself without throwing. */
    private static void frameHeader(final byte[] input)
    {
        final byte[] frame = java.util.Arrays.copyOf(input, MessageHeaderDescriptor.HEADER_LENGTH);
        final MessageHeader header = new MessageHeader().decode(new UnsafeBuffer(frame), 0);
        if (header.describe().isEmpty() || !header.matches(new MessageHeader().copyFrom(header)))
        {
            throw new AssertionError("header does not describe or match itself: " + header);
        }
    }

    /** Requests until the input ends: each is within the limits, or Malformed / EOF. */
    private static void storeRequests(final byte[] input) throws IOException
    {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
        final byte[] header = new byte[REQUEST_HEADER_LENGTH];
        try
        {
            StoreWire.Request request;
            while ((request = StoreWire.readRequest(in, header)) != null)
            {
                checkRequest(request);
            }
        }
        catch (final StoreWire.MalformedException | EOFException expected)
        {
            // The documented outcomes.
        }
    }

    private static void checkRequest(final StoreWire.Request request)
    {
        final int keys = StoreDescriptor.keyCount(request.opcode);
        if (keys == -2 || request.keys.length < 1 || request.keys.length > MAX_WAIT_KEYS ||
            (keys > 0 && request.keys.length != keys) || request.values.length != StoreDescriptor.valueCount(request.opcode))
        {
            throw new AssertionError("accepted " + opcodeName(request.opcode) + " with " + request.keys.length + " keys and " +
                request.values.length + " values");
        }
        for (final byte[] value : request.values)
        {
            if (value.length > MAX_VALUE_LENGTH)
            {
                throw new AssertionError("accepted a value of " + value.length + " bytes");
            }
        }
    }

    /** What a client reads from a hostile or broken server: bounded parts, or Malformed / EOF. */
    private static void storeResponses(final byte[] input) throws IOException
    {
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
        try
        {
            while (true)
            {
                final StoreWire.Response response = StoreWire.readResponse(in);
                if (response.status < STATUS_OK || response.status > STATUS_ERROR || response.parts.length > MAX_WAIT_KEYS)
                {
                    throw new AssertionError("accepted status " + response.status + " with " + response.parts.length + " parts");
                }
            }
        }
        catch (final StoreWire.MalformedException | EOFException expected)
        {
            // The documented outcomes.
        }
    }
}
