import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * bench/tools/exchange.c in Java NIO, no JCCL code: two processes, one loopback connection, and
 * in every round each side writes SEGMENTS x SEGMENT_BYTES from a direct buffer (one segment per
 * write) and reads as many into another, non-blocking: write until the socket refuses, then read.
 * Prints microseconds per timed round (after 2000 warm-up rounds, which also warm the JIT).
 *
 * Why: it separates what the JVM and NIO cost on a loopback exchange from what JCCL's transport
 * (framing, posted receives, its progress loop) adds on top (bench/RESULTS.md, "Where the time goes").
 *
 *   javac -d /tmp/nio bench/tools/NioExchange.java
 *   taskset -c 0 java -cp /tmp/nio NioExchange server PORT SEGMENT_BYTES SEGMENTS ROUNDS &
 *   taskset -c 1 java -cp /tmp/nio NioExchange client PORT SEGMENT_BYTES SEGMENTS ROUNDS; wait
 *
 * Java cannot set TCP_CONGESTION, so the sockets get the kernel's default: to compare with
 * `exchange ... reno` (and JCCL, which sets reno on local links), switch the default for the run
 * (`sysctl -w net.ipv4.tcp_congestion_control=reno`, and back after).
 */
public final class NioExchange
{
    public static void main(final String[] args) throws Exception
    {
        final boolean server = args[0].equals("server");
        final int port = Integer.parseInt(args[1]);
        final int segment = Integer.parseInt(args[2]);
        final int segments = Integer.parseInt(args[3]);
        final int rounds = Integer.parseInt(args[4]);
        final SocketChannel ch;
        if (server)
        {
            final ServerSocketChannel ss = ServerSocketChannel.open();
            ss.bind(new InetSocketAddress("127.0.0.1", port));
            ch = ss.accept();
        }
        else
        {
            SocketChannel c = null;
            for (int i = 0; i < 100 && c == null; i++)
            {
                try { c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)); }
                catch (final java.io.IOException e) { Thread.sleep(50); }
            }
            ch = c;
        }
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        final int total = segment * segments;
        final ByteBuffer out = ByteBuffer.allocateDirect(total);
        final ByteBuffer in = ByteBuffer.allocateDirect(total);
        final int warm = 2000;
        long start = 0;
        for (int r = 0; r < warm + rounds; r++)
        {
            if (r == warm) start = System.nanoTime();
            int sent = 0, received = 0;
            while (sent < total || received < total)
            {
                if (sent < total)
                {
                    out.limit(Math.min(total, (sent / segment + 1) * segment)).position(sent);
                    final int n = ch.write(out);
                    if (n > 0) { sent += n; continue; }
                }
                if (received < total)
                {
                    in.limit(total).position(received);
                    final int n = ch.read(in);
                    if (n > 0) received += n;
                    else if (n < 0) throw new IllegalStateException("closed");
                }
            }
        }
        final double us = (System.nanoTime() - start) / 1e3 / rounds;
        if (server) System.out.printf("nio: %d x %d B each way: %.1f us per exchange%n", segments, segment, us);
    }
}
