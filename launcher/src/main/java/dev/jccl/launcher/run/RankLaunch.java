package dev.jccl.launcher.run;

import java.util.Map;

/** One rank to start on this host: its global rank and the variables it gets on top of the host's environment. */
public record RankLaunch(int rank, Map<String, String> env)
{
    public RankLaunch
    {
        env = Map.copyOf(env);
    }
}
