package dev.jccl.shm;

import dev.jccl.CollectiveException;
import dev.jccl.kernel.ReduceKernels;
import dev.jccl.store.Store;
import dev.jccl.wire.Handshake;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static dev.jccl.shm.ShmLayoutDescriptor.*;

/**
 * Joins one communicator's ranks through its shared-memory file, with the (already namespaced)
 * bootstrap store as the meeting point:
 *
 * <ol>
 * <li>every rank publishes {@code shm/host/<rank>}; ranks on different hosts are refused;</li>
 * <li>rank 0 creates the file (0600, run id and a random nonce in its header), fills in its own
 *     slot and publishes the path as {@code shm/file};</li>
 * <li>every other rank maps the file, checks magic, version, run id, communicator and sizes, and
 *     fills in its slot: pid, a nonce and the proof HMAC(job token, run id, rank, file nonce, rank
 *     nonce);</li>
 * <li>every rank waits until all slots are filled and verifies every peer's proof before trusting
 *     a byte from it; rank 0 then removes the file's name, so a job that is killed later leaves
 *     nothing behind in /dev/shm.</li>
 * </ol>
 */
final class ShmRendezvous
{
    /** Acceptor rank in the proof's MAC input: the file plays the acceptor's part. */
    static final int FILE_ACCEPTOR = -2;
    private static final long POLL_NANOS = 200_000;

    private ShmRendezvous()
    {
    }

    /** Joins as the class comment says; {@code copier} moves bytes into and out of the rings (the kernels' copy). */
    static ShmPointToPoint connect(
        final Store store, final Handshake handshake, final int rank, final int size, final String hostName,
        final long communicatorId, final Path directory, final int capacity, final Duration timeout, final ReduceKernels copier)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final String[] hosts = new String[size];
        hosts[rank] = hostName;
        if (size == 1)
        {
            return new ShmPointToPoint(rank, 1, hostName, hosts, null, 0, timeout, copier);
        }
        exchangeHosts(store, rank, size, hosts, deadline);
        ShmFile file = null;
        try
        {
            if (rank == 0)
            {
                final byte[] fileNonce = Handshake.newNonce();
                file = ShmFile.create(ShmFile.pathFor(directory, handshake.runId(), communicatorId),
                    handshake.runId(), communicatorId, size, capacity, fileNonce);
                attach(file.buffer(), handshake, rank);
                file.buffer().putIntVolatile(FILE_STATE_OFFSET, FILE_READY);
                store.set("shm/file", file.path().toString().getBytes(StandardCharsets.UTF_8));
            }
            else
            {
                store.waitFor(List.of("shm/file"), remaining(deadline));
                file = ShmFile.open(Path.of(new String(store.get("shm/file"), StandardCharsets.UTF_8)));
                final UnsafeBuffer buffer = file.buffer();
                if (buffer.getIntVolatile(FILE_STATE_OFFSET) != FILE_READY)
                {
                    throw new CollectiveException("shared-memory file " + file.path() + " is not ready although rank 0 published it");
                }
                final String problem = ShmFile.validate(buffer, handshake.runId(), communicatorId, size).orElse(null);
                if (problem != null)
                {
                    throw new CollectiveException("shared-memory file " + file.path() + " is not this communicator's: " + problem);
                }
                attach(buffer, handshake, rank);
            }
            awaitPeersAndVerify(file, handshake, rank, size, deadline);
            if (rank == 0)
            {
                file.unlink();
            }
            final int fileCapacity = (int)file.buffer().getLong(RING_CAPACITY_OFFSET);
            return new ShmPointToPoint(rank, size, hostName, hosts, file, fileCapacity, timeout, copier);
        }
        catch (final RuntimeException ex)
        {
            if (file != null)
            {
                if (rank == 0)
                {
                    file.unlink();
                }
                file.close();
            }
            throw ex;
        }
    }

    private static void exchangeHosts(final Store store, final int rank, final int size, final String[] hosts, final long deadline)
    {
        store.set("shm/host/" + rank, hosts[rank].getBytes(StandardCharsets.UTF_8));
        final List<String> keys = new ArrayList<>(size);
        for (int peer = 0; peer < size; peer++)
        {
            keys.add("shm/host/" + peer);
        }
        store.waitFor(keys, remaining(deadline));
        for (int peer = 0; peer < size; peer++)
        {
            hosts[peer] = new String(store.get(keys.get(peer)), StandardCharsets.UTF_8);
            if (!hosts[peer].equals(hosts[0]))
            {
                throw new CollectiveException("JCCL_TRANSPORT=shm needs every rank on one host, but rank 0 is on " + hosts[0] +
                    " and rank " + peer + " on " + hosts[peer] + " (use JCCL_TRANSPORT=auto or tcp)");
            }
        }
    }

    /** Fills this rank's slot: pid, nonce, proof, then ATTACHED with a release store. */
    private static void attach(final UnsafeBuffer buffer, final Handshake handshake, final int rank)
    {
        final int slot = (int)slotOffset(rank);
        final byte[] fileNonce = new byte[NONCE_LENGTH];
        buffer.getBytes(FILE_NONCE_OFFSET, fileNonce);
        final byte[] rankNonce = Handshake.newNonce();
        final ByteBuffer proof = ByteBuffer.allocate(PROOF_LENGTH);
        handshake.writeResponse(proof, rank, FILE_ACCEPTOR, fileNonce, rankNonce);
        buffer.putLong(slot + SLOT_PID_OFFSET, ProcessHandle.current().pid());
        buffer.putBytes(slot + SLOT_NONCE_OFFSET, rankNonce);
        buffer.putBytes(slot + SLOT_PROOF_OFFSET, proof.array());
        buffer.putIntVolatile(slot + SLOT_STATE_OFFSET, SLOT_ATTACHED);
    }

    private static void awaitPeersAndVerify(
        final ShmFile file, final Handshake handshake, final int rank, final int size, final long deadline)
    {
        final UnsafeBuffer buffer = file.buffer();
        final byte[] fileNonce = new byte[NONCE_LENGTH];
        buffer.getBytes(FILE_NONCE_OFFSET, fileNonce);
        for (int peer = 0; peer < size; peer++)
        {
            if (peer == rank)
            {
                continue;
            }
            final int slot = (int)slotOffset(peer);
            while (buffer.getIntVolatile(slot + SLOT_STATE_OFFSET) == SLOT_EMPTY)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    throw new CollectiveException("rank " + rank + ": rank " + peer + " never attached to shared-memory file " +
                        file.path() + " before the timeout");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            final byte[] peerNonce = new byte[NONCE_LENGTH];
            final byte[] proof = new byte[PROOF_LENGTH];
            buffer.getBytes(slot + SLOT_NONCE_OFFSET, peerNonce);
            buffer.getBytes(slot + SLOT_PROOF_OFFSET, proof);
            if (!handshake.verifyConnector(proof, peer, FILE_ACCEPTOR, fileNonce, peerNonce))
            {
                throw new CollectiveException("rank " + rank + ": rank " + peer + " did not prove the job token in shared-memory file " +
                    file.path() + " (wrong token or run id); not trusting it");
            }
        }
    }

    private static Duration remaining(final long deadline)
    {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
