package dev.jccl.launcher.plan;

/** mpirun's {@code --map-by}: fill each host's slots in turn, or deal ranks round-robin over hosts. */
public enum MapBy
{
    SLOT,
    NODE
}
