package dev.jccl.launcher.plan;

/**
 * Where one rank runs.
 *
 * @param rank           global rank, 0-based.
 * @param host           host name as the hostfile or {@code -H} wrote it.
 * @param localRank      index among the ranks on the same host, in rank order.
 * @param localWorldSize ranks on that host.
 */
public record RankSlot(int rank, String host, int localRank, int localWorldSize)
{
}
