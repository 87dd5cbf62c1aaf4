package dev.jccl.algo;

/** Returns on each rank only after every rank has entered. */
public interface BarrierAlgorithm extends Algorithm
{
    void barrier(CollectiveContext ctx);
}
