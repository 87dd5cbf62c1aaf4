package dev.jccl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JcclWorldNamespaceTest
{
    private static JcclConfig config(final String runId, final int rank)
    {
        return new JcclConfig().runId(runId).rank(rank).worldSize(2);
    }

    @Test
    void laterInitsOfOneRankGetTheirOwnGeneration()
    {
        assertEquals("jccl/ns-a/comm/0", Jccl.worldNamespace(config("ns-a", 0)));
        assertEquals("jccl/ns-a/comm/0/gen1", Jccl.worldNamespace(config("ns-a", 0)));
        assertEquals("jccl/ns-a/comm/0/gen2", Jccl.worldNamespace(config("ns-a", 0)));
    }

    @Test
    void ranksAndRunsCountApart()
    {
        // ranks as threads of one JVM: each rank's first init is generation 0
        assertEquals("jccl/ns-b/comm/0", Jccl.worldNamespace(config("ns-b", 0)));
        assertEquals("jccl/ns-b/comm/0", Jccl.worldNamespace(config("ns-b", 1)));
        assertEquals("jccl/ns-c/comm/0", Jccl.worldNamespace(config("ns-c", 0)));
        assertEquals("jccl/ns-b/comm/0/gen1", Jccl.worldNamespace(config("ns-b", 1)));
    }
}
