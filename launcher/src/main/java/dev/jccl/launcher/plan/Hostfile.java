package dev.jccl.launcher.plan;

import dev.jccl.launcher.LaunchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads hostfiles in Open MPI's format ({@code host slots=N max_slots=M}, {@code #} comments,
 * blank lines) and MPICH's ({@code host:N}). A host named on several lines gets the sum of their
 * slots (as Open MPI merges them). A line without a slot count gives one slot (Open MPI would
 * count the remote host's cores, which the launcher cannot know before it connects).
 *
 * <p>Hostile or broken files get an exit-2 error naming the file and line: bytes that are not
 * UTF-8, unknown keys, host names that are not host names (one starting with {@code -} would
 * reach ssh as an option), and slot counts beyond {@link #MAX_SLOTS_PER_HOST} per host or
 * {@link #MAX_RANKS} in all, which would otherwise size arrays of ranks.
 */
public final class Hostfile
{
    /** Most slots (and max_slots) one host may have, its lines merged: far more cores than any machine has. */
    public static final int MAX_SLOTS_PER_HOST = 1 << 16;
    /** Most ranks one job may have, summed over hosts and as {@code -np}. */
    public static final int MAX_RANKS = 1 << 20;
    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.:%@\\[\\]][A-Za-z0-9_.:%@\\[\\]-]*");

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
        final List<HostSpec> hosts = parse(HostfileText.readLines(file, what), what);
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
        long total = 0;
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
                slots = positive(name.substring(colon + 1), where, "slot count");
                name = name.substring(0, colon);
            }
            if (!HOST_NAME.matcher(name).matches())
            {
                throw new LaunchException(LaunchException.USAGE, where + ": '" + printable(name) + "' is not a host name " +
                    "(letters, digits and . _ - : % @ [ ], not starting with -)");
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
                    case "slots", "cpu", "count" -> slots = positive(value, where, key);
                    case "max_slots", "max-slots" -> maxSlots = positive(value, where, key);
                    default -> throw new LaunchException(LaunchException.USAGE, where + ": unknown key '" + printable(key) +
                        "' (known: slots, max_slots)");
                }
            }
            final int s = slots == null ? 1 : slots;
            if (maxSlots != 0 && maxSlots < s)
            {
                throw new LaunchException(LaunchException.USAGE, where + ": max_slots=" + maxSlots + " is below slots=" + s);
            }
            final HostSpec merged = hosts.merge(name, new HostSpec(name, s, maxSlots), HostSpec::plus);
            if (merged.slots() > MAX_SLOTS_PER_HOST || merged.maxSlots() > MAX_SLOTS_PER_HOST)
            {
                throw new LaunchException(LaunchException.USAGE, where + ": host " + name + " now has " +
                    Math.max(merged.slots(), merged.maxSlots()) + " slots in all, over the limit of " + MAX_SLOTS_PER_HOST + " per host");
            }
            total += s;
            if (total > MAX_RANKS)
            {
                throw new LaunchException(LaunchException.USAGE, where + ": " + total + " slots in all, over the limit of " +
                    MAX_RANKS + " ranks per job");
            }
        }
        return new ArrayList<>(hosts.values());
    }

    /** A name from the file fit for an error message: control characters escaped, length bounded. */
    private static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 80; i++)
        {
            final char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int)c) : String.valueOf(c));
        }
        return text.length() > 80 ? out + "..." : out.toString();
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

    /** A count in 1..{@link #MAX_SLOTS_PER_HOST}; bigger numbers, even beyond int, get the limit in the message. */
    private static int positive(final String value, final String where, final String key)
    {
        final long n;
        try
        {
            n = new java.math.BigInteger(value).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        }
        catch (final NumberFormatException ignored)
        {
            throw new LaunchException(LaunchException.USAGE, where + ": " + key + "='" + printable(value) + "' is not a positive number");
        }
        if (n <= 0)
        {
            throw new LaunchException(LaunchException.USAGE, where + ": " + key + "=" + value + " is not a positive number");
        }
        if (n > MAX_SLOTS_PER_HOST)
        {
            throw new LaunchException(LaunchException.USAGE, where + ": " + key + "=" + printable(value) + " is over the limit of " +
                MAX_SLOTS_PER_HOST + " per host");
        }
        return (int)n;
    }
}
