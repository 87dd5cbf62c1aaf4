/**
 * Collective algorithms written once against {@link dev.jccl.spi.PointToPoint}, their index maths
 * ({@link dev.jccl.algo.RingPattern}, {@link dev.jccl.algo.BinomialTreePattern},
 * {@link dev.jccl.algo.BruckPattern}, {@link dev.jccl.algo.RecursiveDoublingPattern},
 * {@link dev.jccl.algo.ChainPattern}), the {@link dev.jccl.algo.AlgorithmRegistry} and the
 * {@link dev.jccl.algo.AlgorithmSelector} that reads {@code JCCL_ALGO}.
 *
 * <p>Conventions every algorithm here follows:
 * <ul>
 *   <li>The caller fills {@code ctx.header()} with the collective's fields; an algorithm sets only
 *       {@code chunk(offset, length)} per message. The chunk offset is the byte offset of the
 *       payload inside the collective's own buffer (relative to the {@code offset} argument), so
 *       sender and receiver compute the same value even when the receiver lands it in scratch.
 *       Recursive doubling and the binomial trees move whole vectors (chunk offset 0); the
 *       dissemination barrier sends zero-length messages whose chunk offset is the round.</li>
 *   <li>An algorithm returns only after every operation it posted has completed, so the caller
 *       may reuse its buffer at once.</li>
 *   <li>World size 1 and zero-length calls return at once without any message. Every rank of a
 *       call sees the same count, so they all skip together; a rank that disagrees about a zero
 *       count is therefore not reported as a mismatch by the algorithm (the caller's argument
 *       checks and the next collective's headers still catch it).</li>
 *   <li>Scratch slots 0 and 1 of {@link dev.jccl.algo.CollectiveContext} belong to the algorithms
 *       (slot 0 to the ring, tree and doubling phases, slot 1 to the hierarchical allgather and
 *       reduce-scatter's reordered vector); slots 2 and 3 belong to the communicator.</li>
 *   <li>Reductions are bit-identical on every rank: ring allreduce reduces each block once and
 *       distributes copies; recursive doubling combines partners as op(lower rank, higher rank);
 *       the binomial reduce combines op(own, child) in a fixed order.</li>
 * </ul>
 */
package dev.jccl.algo;
