package dev.jccl.env;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The syntax of single environment values ({@link EnvironmentContract} decides which variables
 * make up the contract): durations, {@code host:port} pairs and ports. Every error names the
 * variable and quotes the value.
 */
final class EnvironmentValues
{
    private EnvironmentValues()
    {
    }

    /**
     * Parses a duration: plain seconds ({@code "600"}), a number with a unit {@code ms}, {@code s}, {@code m},
     * {@code h} or {@code d} ({@code "500ms"}, {@code "30s"}, {@code "10m"}, {@code "1h"}), or ISO-8601
     * ({@code "PT10M"}).
     *
     * @param variable named in the error message.
     * @throws IllegalArgumentException for blank, malformed, zero or negative values.
     */
    static Duration parseDuration(final String variable, final String value)
    {
        if (value == null || value.isBlank())
        {
            throw new IllegalArgumentException(variable + " is empty; expected e.g. 600, 30s, 500ms, 10m, 1h or PT10M");
        }
        final String text = value.trim();
        Duration duration = null;
        try
        {
            if (text.length() > 1 && (text.charAt(0) == 'P' || text.charAt(0) == 'p' ||
                ((text.charAt(0) == '-' || text.charAt(0) == '+') && (text.charAt(1) == 'P' || text.charAt(1) == 'p'))))
            {
                duration = Duration.parse(text);
            }
            else
            {
                int split = 0;
                if (split < text.length() && (text.charAt(split) == '-' || text.charAt(split) == '+'))
                {
                    split++;
                }
                while (split < text.length() && Character.isDigit(text.charAt(split)))
                {
                    split++;
                }
                final String number = text.substring(0, split);
                final String unit = text.substring(split).trim().toLowerCase(Locale.ROOT);
                final long amount = Long.parseLong(number);
                switch (unit)
                {
                    case "":
                    case "s":
                        duration = Duration.ofSeconds(amount);
                        break;
                    case "ms":
                        duration = Duration.ofMillis(amount);
                        break;
                    case "m":
                    case "min":
                        duration = Duration.ofMinutes(amount);
                        break;
                    case "h":
                        duration = Duration.ofHours(amount);
                        break;
                    case "d":
                        duration = Duration.ofDays(amount);
                        break;
                    default:
                        duration = null;
                        break;
                }
            }
        }
        catch (final NumberFormatException | DateTimeParseException | ArithmeticException ex)
        {
            duration = null;
        }
        if (duration == null)
        {
            throw new IllegalArgumentException(variable + " is not a duration: '" + value +
                "'; expected e.g. 600 (seconds), 30s, 500ms, 10m, 1h or PT10M");
        }
        if (duration.isZero() || duration.isNegative())
        {
            throw new IllegalArgumentException(variable + " must be positive, got '" + value + "'");
        }
        return duration;
    }

    /** A parsed {@code host:port}. */
    record Store(String host, int port)
    {
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port}; the host is returned without brackets.
     */
    static Store parseHostPort(final String variable, final String value)
    {
        final String text = value.trim();
        final String host;
        final String portText;
        if (text.startsWith("["))
        {
            final int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':')
            {
                throw new IllegalArgumentException(variable + " must be [ipv6]:port, got '" + value + "'");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
        }
        else
        {
            final int colon = text.lastIndexOf(':');
            if (colon < 0)
            {
                throw new IllegalArgumentException(variable + " must be host:port, got '" + value + "' (no port)");
            }
            if (text.indexOf(':') != colon)
            {
                throw new IllegalArgumentException(variable + " must be host:port with an IPv6 host in brackets " +
                    "(e.g. [::1]:29500), got '" + value + "'");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
        }
        if (host.isEmpty())
        {
            throw new IllegalArgumentException(variable + " has an empty host: '" + value + "'");
        }
        return new Store(host, parsePort(variable, portText, value));
    }

    static int parsePort(final String variable, final String portText, final String whole)
    {
        try
        {
            final int port = Integer.parseInt(portText.trim());
            if (port >= 1 && port <= 65535)
            {
                return port;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // fall through to the error below
        }
        throw new IllegalArgumentException(variable + " needs a port in 1-65535, got '" + whole + "'");
    }
}
