package dev.jccl.launcher;

import dev.jccl.launcher.agent.RshCommand;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real OpenSSH server for tests: {@code /usr/sbin/sshd -D} as the current user, on a free port of
 * 127.0.0.2 and 127.0.0.3 (loopback addresses that are not this host's interface addresses, so
 * jcclrun treats them as two remote hosts), with generated host and client keys. Tests are
 * skipped, saying why, where sshd is not installed ({@code .ci/run} installs openssh-server).
 */
final class SshdFixture implements AutoCloseable
{
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final String HOST_A = "127.0.0.2";
    static final String HOST_B = "127.0.0.3";

    private final Path dir;
    private final int port;
    private final Process sshd;

    private SshdFixture(final Path dir, final int port, final Process sshd)
    {
        this.dir = dir;
        this.port = port;
        this.sshd = sshd;
    }

    static SshdFixture start(final Path dir) throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(SSHD), "skipped: /usr/sbin/sshd is not installed (apt-get install openssh-server)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "skipped: /usr/bin/ssh is not installed");
        Files.createDirectories(dir);
        keygen(dir.resolve("host_ed25519"));
        keygen(dir.resolve("id_ed25519"));
        Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        if ("root".equals(System.getProperty("user.name")))
        {
            Files.createDirectories(Path.of("/run/sshd")); // privilege-separation directory sshd insists on as root
        }
        final int port = freePort();
        final Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
            "ListenAddress " + HOST_A + ":" + port,
            "ListenAddress " + HOST_B + ":" + port,
            "HostKey " + dir.resolve("host_ed25519"),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin yes",
            "PrintMotd no",
            "LogLevel ERROR",
            ""));
        final Process sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        final SshdFixture fixture = new SshdFixture(dir, port, sshd);
        final long deadline = System.currentTimeMillis() + 15_000;
        while (!(reachable(HOST_A, port) && reachable(HOST_B, port)))
        {
            if (!sshd.isAlive() || System.currentTimeMillis() > deadline)
            {
                fixture.close();
                throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
            }
            Thread.sleep(50);
        }
        return fixture;
    }

    int port()
    {
        return port;
    }

    /** The {@code --rsh} value that reaches this sshd. */
    String rsh()
    {
        return "ssh -F /dev/null -p " + port + " -i " + dir.resolve("id_ed25519") + " -o IdentitiesOnly=yes"
            + " -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR";
    }

    /** The {@code --launch-agent} value: this test run's JVM and class path. */
    static String launchAgent()
    {
        return JcclrunProcess.command().stream().map(RshCommand::quote).collect(Collectors.joining(" "));
    }

    Path hostfile() throws IOException
    {
        return Files.writeString(dir.resolve("hostfile"), "# two 'remote' hosts\n" + HOST_A + " slots=2\n" + HOST_B + " slots=2\n");
    }

    @Override
    public void close() throws Exception
    {
        sshd.destroy();
        if (!sshd.waitFor(5, TimeUnit.SECONDS))
        {
            sshd.destroyForcibly();
            sshd.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void keygen(final Path key) throws Exception
    {
        final Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IllegalStateException("ssh-keygen failed: " + out);
        }
    }

    static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket())
        {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST_A), 0));
            return s.getLocalPort();
        }
    }

    private static boolean reachable(final String host, final int port)
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    static List<String> lines(final String s)
    {
        return s.lines().toList();
    }
}
