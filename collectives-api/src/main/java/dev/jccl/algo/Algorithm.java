package dev.jccl.algo;

/** Common face of every collective algorithm: a stable name and a one-line description. */
public interface Algorithm
{
    /** Short name used by {@code JCCL_ALGO} and {@code jccl-perf --algo} ("ring", "rd", ...). */
    String name();

    /** One line for {@code jccl-perf --list-algos}. */
    String description();
}
