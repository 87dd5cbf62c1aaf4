package dev.jccl.nccl;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Looks for a shared library where the dynamic linker would ({@code LD_LIBRARY_PATH}, the
 * {@code ld.so.cache}, the default directories) without loading anything, so a missing driver or
 * NCCL is reported before JavaCPP's loader is touched. A "maybe" answer (cache unreadable) lets
 * the guarded load decide, so this never rules out a library the linker could find.
 */
final class LibrarySearch
{
    static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");
    static final List<Path> DEFAULT_DIRS = List.of(
        Path.of("/lib"), Path.of("/usr/lib"), Path.of("/lib64"), Path.of("/usr/lib64"),
        Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
        Path.of("/usr/local/nvidia/lib64"), Path.of("/usr/local/nvidia/lib"), Path.of("/usr/lib/wsl/lib"));

    private final Map<String, String> env;
    private final String javaLibraryPath;
    private final Path ldSoCache;
    private final List<Path> defaultDirs;
    private byte[] cache;
    private boolean cacheRead;

    LibrarySearch(final Map<String, String> env, final String javaLibraryPath, final Path ldSoCache, final List<Path> defaultDirs)
    {
        this.env = env;
        this.javaLibraryPath = javaLibraryPath;
        this.ldSoCache = ldSoCache;
        this.defaultDirs = defaultDirs;
    }

    static LibrarySearch system()
    {
        return new LibrarySearch(System.getenv(), System.getProperty("java.library.path", ""), LD_SO_CACHE, DEFAULT_DIRS);
    }

    /** Where the library was seen, "ld.so.cache", "unknown" when the cache could not be read, or null: not loadable. */
    String locate(final String soname)
    {
        for (final Path dir : searchDirs())
        {
            if (Files.exists(dir.resolve(soname)))
            {
                return dir.resolve(soname).toString();
            }
        }
        if (!cacheRead)
        {
            cacheRead = true;
            try
            {
                cache = ldSoCache == null ? null : Files.readAllBytes(ldSoCache);
            }
            catch (final IOException | RuntimeException ex)
            {
                cache = null;
            }
        }
        if (cache == null)
        {
            return ldSoCache == null ? null : "unknown";
        }
        return containsName(cache, soname) ? "ld.so.cache" : null;
    }

    List<Path> searchDirs()
    {
        final List<Path> dirs = new ArrayList<>();
        addPathList(dirs, env.get("LD_LIBRARY_PATH"));
        addPathList(dirs, javaLibraryPath);
        dirs.addAll(defaultDirs);
        return dirs;
    }

    private static void addPathList(final List<Path> dirs, final String list)
    {
        if (list == null)
        {
            return;
        }
        for (final String entry : list.split(File.pathSeparator))
        {
            if (!entry.isBlank())
            {
                try
                {
                    dirs.add(Path.of(entry.trim()));
                }
                catch (final RuntimeException ignore)
                {
                    // An unparsable entry cannot hold the library.
                }
            }
        }
    }

    /** Whether {@code name} occurs in the cache's string table as a whole file name (after NUL or '/', before NUL). */
    static boolean containsName(final byte[] haystack, final String name)
    {
        final byte[] needle = name.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length < haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            final boolean startOk = i == 0 || haystack[i - 1] == 0 || haystack[i - 1] == '/';
            if (startOk && haystack[i + needle.length] == 0)
            {
                return true;
            }
        }
        return false;
    }
}
