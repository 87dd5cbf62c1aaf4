package dev.jccl.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link NativeSockets#find()} with the two providers this module's test resources register: one
 * whose constructor throws (a jar whose dependencies are missing) and one whose library does not
 * load. Neither may break the caller: find() answers null, and the TCP transport keeps the
 * kernel's defaults.
 */
class NativeSocketsTest
{
    @Test
    void findSkipsProvidersThatCannotBeBuiltOrLoaded()
    {
        UnavailableNativeSockets.asked = 0;
        assertNull(NativeSockets.find());
        assertEquals(1, UnavailableNativeSockets.asked, "the provider after the broken one was still asked");
    }

    /** Registered first: fails as a provider does when its class cannot link. */
    public static final class BrokenNativeSockets extends UnavailableNativeSockets
    {
        public BrokenNativeSockets()
        {
            throw new NoClassDefFoundError("org/bytedeco/javacpp/Loader");
        }
    }

    /** Registered second: loads, but says its library is not there. */
    public static class UnavailableNativeSockets implements NativeSockets
    {
        static int asked;

        @Override
        public boolean available()
        {
            asked++;
            return false;
        }

        @Override
        public String setTcpCongestion(final int fd, final String algorithm)
        {
            throw new AssertionError("never called on an unavailable provider");
        }

        @Override
        public String tcpCongestion(final int fd)
        {
            throw new AssertionError("never called on an unavailable provider");
        }
    }
}
