package dev.jccl.wire;

import org.junit.jupiter.api.Test;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.jccl.wire.HandshakeDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest
{
    private static final byte[] TOKEN = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static byte[] response(final Handshake as, final int connector, final int acceptor, final byte[] nonceA, final byte[] nonceC)
    {
        final ByteBuffer out = ByteBuffer.allocate(RESPONSE_LENGTH);
        as.writeResponse(out, connector, acceptor, nonceA, nonceC);
        return out.array();
    }

    @Test
    void connectorWithTheTokenIsVerifiedAndOneWithAnotherIsNot()
    {
        final Handshake acceptor = new Handshake(TOKEN, "run");
        final byte[] nonceA = Handshake.newNonce();
        final byte[] nonceC = Handshake.newNonce();
        assertTrue(acceptor.verifyConnector(response(new Handshake(TOKEN, "run"), 1, 2, nonceA, nonceC), 1, 2, nonceA, nonceC));
        final byte[] other = TOKEN.clone();
        other[31] ^= 1;
        assertFalse(acceptor.verifyConnector(response(new Handshake(other, "run"), 1, 2, nonceA, nonceC), 1, 2, nonceA, nonceC));
    }

    @Test
    void proofIsBoundToTheNoncesAndRanksSoItCannotBeReplayed()
    {
        final Handshake handshake = new Handshake(TOKEN, "run");
        final byte[] nonceA = Handshake.newNonce();
        final byte[] nonceC = Handshake.newNonce();
        final byte[] proof = response(handshake, 1, 2, nonceA, nonceC);
        assertFalse(handshake.verifyConnector(proof, 1, 2, Handshake.newNonce(), nonceC), "a fresh acceptor nonce");
        assertFalse(handshake.verifyConnector(proof, 3, 2, nonceA, nonceC), "another claimed rank");
        assertFalse(handshake.verifyConnector(proof, 1, 0, nonceA, nonceC), "another acceptor");
        assertNotEquals(ByteBuffer.wrap(Handshake.newNonce()), ByteBuffer.wrap(Handshake.newNonce()));
    }

    @Test
    void acceptorAndConnectorProofsDifferSoOneCannotBeReflectedAsTheOther()
    {
        final Handshake handshake = new Handshake(TOKEN, "run");
        final byte[] nonce = Handshake.newNonce();
        final ByteBuffer challenge = ByteBuffer.allocate(CHALLENGE_LENGTH);
        handshake.writeChallenge(challenge, STATUS_OK, 2, 1, nonce, nonce);
        final byte[] macA = new byte[MAC_LENGTH];
        challenge.position(CHALLENGE_LENGTH - MAC_LENGTH);
        challenge.get(macA);
        assertTrue(handshake.verifyAcceptor(macA, 1, 2, nonce, nonce));
        assertFalse(handshake.verifyConnector(macA, 1, 2, nonce, nonce));
    }

    @Test
    void withoutATokenTheRunIdStillDecides()
    {
        final byte[] nonceA = Handshake.newNonce();
        final byte[] nonceC = Handshake.newNonce();
        final Handshake acceptor = new Handshake(null, "job-a");
        assertTrue(acceptor.verifyConnector(response(new Handshake(null, "job-a"), 1, 2, nonceA, nonceC), 1, 2, nonceA, nonceC));
        assertFalse(acceptor.verifyConnector(response(new Handshake(null, "job-b"), 1, 2, nonceA, nonceC), 1, 2, nonceA, nonceC));
        assertFalse(acceptor.runIdMatches("job-b".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void helloRoundTripsAndAShortOneThrowsUnderflow()
    {
        final Handshake handshake = new Handshake(TOKEN, "run-42");
        final byte[] nonce = Handshake.newNonce();
        final ByteBuffer hello = ByteBuffer.allocate(handshake.helloLength());
        handshake.writeHello(hello, ROLE_PEER, 7, nonce);
        hello.flip();
        final Handshake.Hello decoded = Handshake.readHelloFixed(hello);
        assertEquals(MAGIC, decoded.magic);
        assertEquals(VERSION, decoded.version);
        assertEquals(ROLE_PEER, decoded.role);
        assertEquals(7, decoded.rank);
        assertEquals(6, decoded.runIdLength);
        assertArrayEquals(nonce, decoded.nonce);
        assertThrows(BufferUnderflowException.class, () -> Handshake.readHelloFixed(ByteBuffer.allocate(HELLO_FIXED_LENGTH - 1)));
    }

    @Test
    void runIdLongerThanItsLengthByteIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> new Handshake(TOKEN, "x".repeat(MAX_RUN_ID_LENGTH + 1)));
    }
}
