package dev.jccl.launcher.run;

import dev.jccl.launcher.LaunchException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the program to run as the shell would ({@code PATH} search unless the name has a slash). */
public final class ProgramLocator
{
    private ProgramLocator()
    {
    }

    /**
     * @return the program's path, absolute.
     * @throws LaunchException 127 when missing, 126 when not executable.
     */
    public static Path locate(final String program, final String path, final Path cwd)
    {
        if (program.contains("/"))
        {
            final Path p = cwd.resolve(program).toAbsolutePath().normalize();
            if (!Files.exists(p))
            {
                throw new LaunchException(LaunchException.NOT_FOUND, "program '" + program + "' not found");
            }
            if (Files.isDirectory(p) || !Files.isExecutable(p))
            {
                throw new LaunchException(LaunchException.NOT_EXECUTABLE, "program '" + program + "' is not executable");
            }
            return p;
        }
        boolean seen = false;
        for (final String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(File.pathSeparator, -1))
        {
            final Path p = cwd.resolve(dir.isEmpty() ? "." : dir).resolve(program).toAbsolutePath().normalize();
            if (Files.isRegularFile(p))
            {
                if (Files.isExecutable(p))
                {
                    return p;
                }
                seen = true;
            }
        }
        if (seen)
        {
            throw new LaunchException(LaunchException.NOT_EXECUTABLE, "program '" + program + "' is not executable");
        }
        throw new LaunchException(LaunchException.NOT_FOUND, "program '" + program + "' not found in PATH");
    }
}
