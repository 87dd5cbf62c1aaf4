package dev.jccl.launcher.plan;

import dev.jccl.launcher.LaunchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads hostfiles in Open MPI's format ({@code host slots=N max_slots=M}, {@code #} comments,
 * blank lines) and MPICH's ({@code host:N}). A host named on several lines gets the sum of their
 * slots. A line without a slot count gives one slot (Open MPI would count the remote host's cores,
 * which the launcher cannot know before it connects).
 */
public final class Hostfile
{
    private Hostfile()
    {
    }

    /** Reads and parses {@code file}; missing, unreadable or empty files are {@link LaunchException}s with exit code 2. */
    public static List<HostSpec> read(final Path file, final String origin)
    {
        final String what = origin == null ? "hostfile " + file : "hostfile " + file + " (" + origin + ")";
        if (!Files.exists(file))
        {
            throw new LaunchException(LaunchException.USAGE, what + " does not exist");
        }
        if (Files.isDirectory(file))
        {
            throw new LaunchException(LaunchException.USAGE, what + " is a directory");
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException | RuntimeException e)
        {
            throw new LaunchException(LaunchException.USAGE, what + " cannot be read: " + e);
        }
        final List<HostSpec> hosts = parse(lines, what);
        if (hosts.isEmpty())
        {
            throw new LaunchException(LaunchException.USAGE, what + " names no hosts");
        }
        return hosts;
    }

    /** Parses hostfile lines; {@code what} names the source in error messages. */
    public static List<HostSpec> parse(final List<String> lines, final String what)
    {
        final Map<String, HostSpec> hosts = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            String line = lines.get(i);
            final int hash = line.indexOf('#');
            if (hash >= 0)
            {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty())
            {
                continue;
            }
            final String where = what + " line " + (i + 1);
            final String[] tokens = line.split("\\s+");
            String name = tokens[0];
            Integer slots = null;
            int maxSlots = 0;
            final int colon = name.lastIndexOf(':');
            if (colon > 0 && name.indexOf(':') == colon) // host:N (MPICH); IPv6 literals have several colons
            {
                slots = positive(name.substring(colon + 1), where);
                name = name.substring(0, colon);
            }
            for (int t = 1; t < tokens.length; t++)
            {
                final String token = tokens[t];
                final int eq = token.indexOf('=');
                if (eq <= 0)
                {
                    throw new LaunchException(LaunchException.USAGE, where + ": cannot parse '" + token + "'");
                }
                final String key = token.substring(0, eq).toLowerCase(java.util.Locale.ROOT);
                final String value = token.substring(eq + 1);
                switch (key)
                {
                    case "slots", "cpu", "count" -> slots = positive(value, where);
                    case "max_slots", "max-slots" -> maxSlots = positive(value, where);
                    default -> throw new LaunchException(LaunchException.USAGE, where + ": unknown key '" + key + "'");
                }
            }
            final int s = slots == null ? 1 : slots;
            if (maxSlots != 0 && maxSlots < s)
            {
                throw new LaunchException(LaunchException.USAGE, where + ": max_slots=" + maxSlots + " is below slots=" + s);
            }
            hosts.merge(name, new HostSpec(name, s, maxSlots), HostSpec::plus);
        }
        return new ArrayList<>(hosts.values());
    }

    /** Parses {@code -H host[:slots],...}; a host listed twice without counts has two slots, as in mpirun. */
    public static List<HostSpec> parseHostList(final List<String> values)
    {
        final List<String> lines = new ArrayList<>();
        for (final String value : values)
        {
            for (final String entry : value.split(","))
            {
                if (entry.isBlank())
                {
                    throw new LaunchException(LaunchException.USAGE, "-H " + value + ": empty host entry");
                }
                lines.add(entry.strip());
            }
        }
        final List<HostSpec> hosts = parse(lines, "-H");
        if (hosts.isEmpty())
        {
            throw new LaunchException(LaunchException.USAGE, "-H names no hosts");
        }
        return hosts;
    }

    private static int positive(final String value, final String where)
    {
        try
        {
            final int n = Integer.parseInt(value);
            if (n > 0)
            {
                return n;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // fall through
        }
        throw new LaunchException(LaunchException.USAGE, where + ": '" + value + "' is not a positive slot count");
    }
}
