package dev.jccl.examples;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a float vector's exact bits (little-endian IEEE 754), so equal digests mean bit-identical weights. */
public final class WeightDigest
{
    private WeightDigest()
    {
    }

    public static String sha256(final float[] values)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (final float v : values)
        {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
