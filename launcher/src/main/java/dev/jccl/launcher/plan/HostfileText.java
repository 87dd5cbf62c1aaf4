package dev.jccl.launcher.plan;

import dev.jccl.launcher.LaunchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hostfile's bytes as lines of text, bounded and strict: at most {@link #MAX_BYTES} are read
 * (a hostfile is a few lines; a bigger file is a mistake, e.g. a binary named by accident), and
 * bytes that are not UTF-8 are an error naming the file, the line and the byte, not a stack trace
 * and not silently replaced characters in a host name.
 */
final class HostfileText
{
    /** Largest hostfile read: 16 MiB, far beyond any cluster's list of hosts. */
    static final int MAX_BYTES = 16 << 20;

    private HostfileText()
    {
    }

    /** The file's lines ({@code \n} or {@code \r\n} separated); {@code what} names it in errors. */
    static List<String> readLines(final Path file, final String what)
    {
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file))
        {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        catch (final IOException | RuntimeException e)
        {
            throw new LaunchException(LaunchException.USAGE, what + " cannot be read: " + e);
        }
        if (bytes.length > MAX_BYTES)
        {
            throw new LaunchException(LaunchException.USAGE, what + " is larger than " + (MAX_BYTES >> 20) +
                " MiB; is it really a hostfile?");
        }
        return decodeLines(bytes, what);
    }

    static List<String> decodeLines(final byte[] bytes, final String what)
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++)
        {
            if (i == bytes.length || bytes[i] == '\n')
            {
                if (i == bytes.length && start == i)
                {
                    break;
                }
                final int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                lines.add(decode(decoder, bytes, start, end, what, lines.size() + 1));
                start = i + 1;
            }
        }
        return lines;
    }

    private static String decode(
        final CharsetDecoder decoder, final byte[] bytes, final int start, final int end, final String what, final int lineNumber)
    {
        try
        {
            final CharBuffer text = decoder.reset().decode(ByteBuffer.wrap(bytes, start, end - start));
            return text.toString();
        }
        catch (final CharacterCodingException e)
        {
            final int bad = firstInvalid(bytes, start, end);
            throw new LaunchException(LaunchException.USAGE, what + " line " + lineNumber + " is not UTF-8 text (byte 0x" +
                String.format("%02x", bytes[bad] & 0xFF) + " at column " + (bad - start + 1) + ")");
        }
    }

    /** Where the first byte that does not start a valid UTF-8 sequence sits (for the message only). */
    private static int firstInvalid(final byte[] bytes, final int start, final int end)
    {
        final CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = start; i < end; i++)
        {
            final int length = (bytes[i] & 0x80) == 0 ? 1 : (bytes[i] & 0xE0) == 0xC0 ? 2 : (bytes[i] & 0xF0) == 0xE0 ? 3 :
                (bytes[i] & 0xF8) == 0xF0 ? 4 : 0;
            if (length == 0 || i + length > end)
            {
                return i;
            }
            try
            {
                probe.reset().decode(ByteBuffer.wrap(bytes, i, length));
            }
            catch (final CharacterCodingException e)
            {
                return i;
            }
            i += length - 1;
        }
        return start;
    }
}
