package dev.jccl.bench;

import dev.jccl.Communicator;

import dev.jccl.algo.Algorithm;

import java.util.List;
import java.util.Map;

/** Where jccl-perf's communicators come from: JCCL itself ({@link JcclCommFactory}), or a test double. */
public interface CommFactory
{
    /** A job of ranks as threads of this JVM: each rank's thread joins it concurrently; close releases what the job shares (the store). */
    interface ThreadedJob extends AutoCloseable
    {
        Communicator join(int rank);

        @Override
        void close();
    }

    /** Sets up a job of {@code nranks} ranks as threads of this JVM for one variant. */
    ThreadedJob threaded(int nranks, PerfOptions options, PerfColl coll, PerfOptions.Variant variant, int variantIndex);

    /** This process's rank, from the environment (jcclrun, torchrun, Open MPI, PMI). */
    Communicator process(PerfOptions options, PerfColl coll, PerfOptions.Variant variant, int variantIndex);

    /** For --list-algos: JCCL_ALGO collective name to its algorithms. */
    Map<String, List<Algorithm>> algorithms();

    /**
     * Why {@code transport} (a --transport value) cannot run in this process, in one line, or null
     * when it can (or when that is only known at init). Asked before any communicator is made.
     */
    default String unavailableReason(final String transport)
    {
        return null;
    }

    /**
     * The device memory jccl-perf's buffers live in for {@code comm}'s rank, or null for host
     * memory (every host transport).
     */
    default DeviceMemory deviceMemory(final Communicator comm)
    {
        return null;
    }
}
