package dev.jccl.env;

import dev.jccl.JcclConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentContractTest
{
    private static Map<String, String> env(final String... kv)
    {
        final Map<String, String> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2)
        {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    private static Map<String, String> jccl()
    {
        return env("JCCL_RANK", "2", "JCCL_WORLD_SIZE", "4", "JCCL_LOCAL_RANK", "0", "JCCL_LOCAL_WORLD_SIZE", "2",
            "JCCL_STORE", "node0:29500", "JCCL_RUN_ID", "run-42", "JCCL_TOKEN_FILE", "/tmp/jccl/jccl.token");
    }

    private static Map<String, String> torchrun()
    {
        return env("RANK", "3", "WORLD_SIZE", "8", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "2",
            "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29500");
    }

    private static IllegalArgumentException fails(final Map<String, String> env)
    {
        return assertThrows(IllegalArgumentException.class, () -> EnvironmentContract.fromEnvironment(env));
    }

    private static void assertMentions(final Exception ex, final String... words)
    {
        for (final String word : words)
        {
            assertTrue(ex.getMessage().contains(word), () -> "'" + ex.getMessage() + "' should mention " + word);
        }
    }

    @Test
    void jcclSetFillsEveryField()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(jccl());
        assertEquals(2, config.rank());
        assertEquals(4, config.worldSize());
        assertEquals(0, config.localRank());
        assertEquals(2, config.localWorldSize());
        assertEquals("node0", config.storeHost());
        assertEquals(29500, config.storePort());
        assertEquals("run-42", config.runId());
        assertEquals(Path.of("/tmp/jccl/jccl.token"), config.tokenFile());
        assertEquals(EnvironmentContract.SOURCE_JCCL, config.source());
        config.conclude();
    }

    @Test
    void jcclSetWinsOverTorchrunAndMpiSets()
    {
        final Map<String, String> env = jccl();
        env.putAll(torchrun());
        env.putAll(env("OMPI_COMM_WORLD_RANK", "5", "OMPI_COMM_WORLD_SIZE", "6", "PMI_RANK", "1", "PMI_SIZE", "7"));
        final JcclConfig config = EnvironmentContract.fromEnvironment(env);
        assertEquals(2, config.rank());
        assertEquals(4, config.worldSize());
        assertEquals("node0", config.storeHost());
        assertEquals(EnvironmentContract.SOURCE_JCCL, config.source());
    }

    @Test
    void jcclStoreAcceptsBracketedIpv6()
    {
        final Map<String, String> env = jccl();
        env.put("JCCL_STORE", "[::1]:1234");
        final JcclConfig config = EnvironmentContract.fromEnvironment(env);
        assertEquals("::1", config.storeHost());
        assertEquals(1234, config.storePort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"node0", "node0:", ":29500", "node0:0", "node0:65536", "node0:http", "::1:29500", "[::1]29500",
        "[::1]"})
    void malformedJcclStoreIsRejectedNamingTheVariable(final String store)
    {
        final Map<String, String> env = jccl();
        env.put("JCCL_STORE", store);
        assertMentions(fails(env), "JCCL_STORE");
    }

    @Test
    void jcclSetWithoutStoreIsRejectedWhenWorldSizeAboveOne()
    {
        final Map<String, String> env = jccl();
        env.remove("JCCL_STORE");
        assertMentions(fails(env), "JCCL_STORE", "JCCL_WORLD_SIZE=4");
    }

    @Test
    void jcclSetIgnoresMasterAddrForTheStore()
    {
        final Map<String, String> env = jccl();
        env.remove("JCCL_STORE");
        env.put("MASTER_ADDR", "10.0.0.1");
        env.put("MASTER_PORT", "29500");
        assertMentions(fails(env), "JCCL_STORE");
    }

    @Test
    void singleRankJcclSetNeedsNoStore()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env("JCCL_RANK", "0", "JCCL_WORLD_SIZE", "1"));
        assertEquals(0, config.rank());
        assertEquals(1, config.worldSize());
        assertNull(config.storeHost());
        assertEquals("default", config.runId());
        config.conclude();
    }

    @Test
    void rankWithoutWorldSizeIsAPartialSetNamingTheMissingVariable()
    {
        final IllegalArgumentException ex = fails(env("RANK", "0", "MASTER_ADDR", "h", "MASTER_PORT", "1"));
        assertMentions(ex, "WORLD_SIZE", "missing", "torchrun");
    }

    @Test
    void jcclRankWithoutWorldSizeIsRejectedEvenWhenTorchrunIsComplete()
    {
        final Map<String, String> env = torchrun();
        env.put("JCCL_RANK", "1");
        assertMentions(fails(env), "JCCL_WORLD_SIZE", "missing");
    }

    @Test
    void jcclLocalRankAloneIsAPartialSet()
    {
        assertMentions(fails(env("JCCL_LOCAL_RANK", "0")), "JCCL_RANK", "JCCL_WORLD_SIZE");
    }

    @Test
    void torchrunSetFillsRanksAndStore()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(torchrun());
        assertEquals(3, config.rank());
        assertEquals(8, config.worldSize());
        assertEquals(1, config.localRank());
        assertEquals(2, config.localWorldSize());
        assertEquals("10.0.0.1", config.storeHost());
        assertEquals(29500, config.storePort());
        assertEquals(EnvironmentContract.SOURCE_TORCHRUN, config.source());
        config.conclude();
    }

    @Test
    void torchrunWithoutLocalWorldSizeDefaultsItToWorldSize()
    {
        final Map<String, String> env = torchrun();
        env.remove("LOCAL_WORLD_SIZE");
        final JcclConfig config = EnvironmentContract.fromEnvironment(env);
        assertEquals(1, config.localRank());
        assertEquals(8, config.localWorldSize());
    }

    @Test
    void absentLocalRankAndSizeDefaultToRankAndWorldSize()
    {
        final Map<String, String> env = torchrun();
        env.remove("LOCAL_WORLD_SIZE");
        env.remove("LOCAL_RANK");
        final JcclConfig config = EnvironmentContract.fromEnvironment(env);
        assertEquals(3, config.localRank());
        assertEquals(8, config.localWorldSize());
        config.conclude();
    }

    @Test
    void absentLocalRankWithLocalSizeIsRankModuloLocalSize()
    {
        final Map<String, String> env = torchrun();
        env.remove("LOCAL_RANK");
        final JcclConfig config = EnvironmentContract.fromEnvironment(env);
        assertEquals(1, config.localRank());
        assertEquals(2, config.localWorldSize());
    }

    @Test
    void torchrunRunIdDefaultsToStoreAddressSoEveryRankAgrees()
    {
        final JcclConfig rank3 = EnvironmentContract.fromEnvironment(torchrun());
        final Map<String, String> other = torchrun();
        other.put("RANK", "0");
        other.put("LOCAL_RANK", "0");
        final JcclConfig rank0 = EnvironmentContract.fromEnvironment(other);
        assertEquals("job-10.0.0.1-29500-8", rank3.runId());
        assertEquals(rank0.runId(), rank3.runId());
    }

    @Test
    void explicitRunIdWinsOverTheDerivedOne()
    {
        final Map<String, String> env = torchrun();
        env.put("JCCL_RUN_ID", "my-run");
        assertEquals("my-run", EnvironmentContract.fromEnvironment(env).runId());
    }

    @Test
    void overlongDerivedRunIdIsHashedToFit()
    {
        final String id = EnvironmentContract.defaultRunId("h".repeat(300), 1, 2);
        assertTrue(id.startsWith("job-") && id.length() <= 255, id);
        assertEquals(id, EnvironmentContract.defaultRunId("h".repeat(300), 1, 2));
    }

    @Test
    void tokenFileIsHonouredForTorchrun()
    {
        final Map<String, String> env = torchrun();
        env.put("JCCL_TOKEN_FILE", "/run/secrets/jccl");
        assertEquals(Path.of("/run/secrets/jccl"), EnvironmentContract.fromEnvironment(env).tokenFile());
    }

    @Test
    void torchrunWithoutMasterAddrIsRejectedNamingIt()
    {
        final Map<String, String> env = torchrun();
        env.remove("MASTER_ADDR");
        assertMentions(fails(env), "MASTER_ADDR", "missing");
    }

    @Test
    void torchrunWithoutMasterPortIsRejectedNamingIt()
    {
        final Map<String, String> env = torchrun();
        env.remove("MASTER_PORT");
        assertMentions(fails(env), "MASTER_PORT", "missing");
    }

    @Test
    void torchrunWithoutAnyStoreIsRejectedWhenWorldSizeAboveOne()
    {
        final Map<String, String> env = torchrun();
        env.remove("MASTER_PORT");
        env.remove("MASTER_ADDR");
        assertMentions(fails(env), "MASTER_ADDR", "MASTER_PORT", "JCCL_STORE");
    }

    @Test
    void jcclStoreOverridesMasterAddrInTorchrunSet()
    {
        final Map<String, String> env = torchrun();
        env.put("JCCL_STORE", "store-host:4000");
        final JcclConfig config = EnvironmentContract.fromEnvironment(env);
        assertEquals("store-host", config.storeHost());
        assertEquals(4000, config.storePort());
    }

    @Test
    void bracketedIpv6MasterAddrIsUnbracketed()
    {
        final Map<String, String> env = torchrun();
        env.put("MASTER_ADDR", "[fd00::1]");
        assertEquals("fd00::1", EnvironmentContract.fromEnvironment(env).storeHost());
        env.put("MASTER_ADDR", "fd00::1");
        assertEquals("fd00::1", EnvironmentContract.fromEnvironment(env).storeHost());
    }

    @ParameterizedTest
    @CsvSource({"RANK,x", "RANK,-1", "RANK,1.5", "WORLD_SIZE,0", "WORLD_SIZE,-3", "WORLD_SIZE,eight",
        "LOCAL_RANK,-1", "LOCAL_RANK,one", "LOCAL_WORLD_SIZE,0", "MASTER_PORT,70000", "MASTER_PORT,port"})
    void invalidNumberIsRejectedNamingVariableAndValue(final String variable, final String value)
    {
        final Map<String, String> env = torchrun();
        env.put(variable, value);
        assertMentions(fails(env), variable, value);
    }

    @Test
    void rankNotBelowWorldSizeIsRejectedNamingBoth()
    {
        final Map<String, String> env = torchrun();
        env.put("RANK", "8");
        assertMentions(fails(env), "RANK=8", "WORLD_SIZE=8");
    }

    @Test
    void localRankNotBelowLocalWorldSizeIsRejected()
    {
        final Map<String, String> env = torchrun();
        env.put("LOCAL_RANK", "2");
        assertMentions(fails(env), "LOCAL_RANK=2", "LOCAL_WORLD_SIZE=2");
    }

    @Test
    void localWorldSizeAboveWorldSizeIsRejected()
    {
        final Map<String, String> env = torchrun();
        env.put("LOCAL_WORLD_SIZE", "9");
        assertMentions(fails(env), "LOCAL_WORLD_SIZE=9", "WORLD_SIZE=8");
    }

    @Test
    void everyProblemOfASetIsReportedAtOnce()
    {
        assertMentions(fails(env("RANK", "x", "MASTER_ADDR", "h", "MASTER_PORT", "1")), "RANK", "'x'", "WORLD_SIZE");
    }

    @Test
    void openMpiSetFillsRanksWithMasterAddr()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env(
            "OMPI_COMM_WORLD_RANK", "5", "OMPI_COMM_WORLD_SIZE", "6", "OMPI_COMM_WORLD_LOCAL_RANK", "2",
            "OMPI_COMM_WORLD_LOCAL_SIZE", "3", "MASTER_ADDR", "head", "MASTER_PORT", "29500"));
        assertEquals(5, config.rank());
        assertEquals(6, config.worldSize());
        assertEquals(2, config.localRank());
        assertEquals(3, config.localWorldSize());
        assertEquals("head", config.storeHost());
        assertEquals(EnvironmentContract.SOURCE_OPEN_MPI, config.source());
        config.conclude();
    }

    @Test
    void openMpiSetAcceptsJcclStore()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env(
            "OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "2", "JCCL_STORE", "head:7000"));
        assertEquals("head", config.storeHost());
        assertEquals(7000, config.storePort());
        assertEquals(0, config.localRank());
        assertEquals(2, config.localWorldSize());
    }

    @Test
    void openMpiSetWithoutStoreIsRejected()
    {
        assertMentions(fails(env("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "2")),
            "MASTER_ADDR", "JCCL_STORE", "OMPI_COMM_WORLD_SIZE=2");
    }

    @Test
    void openMpiSizeWithoutRankIsAPartialSet()
    {
        assertMentions(fails(env("OMPI_COMM_WORLD_SIZE", "2", "JCCL_STORE", "h:1")), "OMPI_COMM_WORLD_RANK", "missing");
    }

    @Test
    void mpichSetFillsRanksAndOptionalLocalRanks()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env(
            "PMI_RANK", "3", "PMI_SIZE", "4", "MPI_LOCALRANKID", "1", "MPI_LOCALNRANKS", "2", "JCCL_STORE", "h:5000"));
        assertEquals(3, config.rank());
        assertEquals(4, config.worldSize());
        assertEquals(1, config.localRank());
        assertEquals(2, config.localWorldSize());
        assertEquals(EnvironmentContract.SOURCE_MPICH, config.source());
        config.conclude();
    }

    @Test
    void mpichSetWithoutLocalRanksDefaultsThem()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env(
            "PMI_RANK", "3", "PMI_SIZE", "4", "MASTER_ADDR", "h", "MASTER_PORT", "5000"));
        assertEquals(3, config.localRank());
        assertEquals(4, config.localWorldSize());
        assertEquals("job-h-5000-4", config.runId());
    }

    @Test
    void mpichRankWithoutSizeIsAPartialSet()
    {
        assertMentions(fails(env("PMI_RANK", "0")), "PMI_SIZE", "missing");
    }

    @Test
    void openMpiSetWinsOverMpichSet()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env(
            "OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "2", "PMI_RANK", "0", "PMI_SIZE", "3", "JCCL_STORE", "h:1"));
        assertEquals(EnvironmentContract.SOURCE_OPEN_MPI, config.source());
        assertEquals(2, config.worldSize());
    }

    @Test
    void noVariablesMeansASingleRank()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env());
        assertEquals(0, config.rank());
        assertEquals(1, config.worldSize());
        assertEquals(0, config.localRank());
        assertEquals(1, config.localWorldSize());
        assertEquals(EnvironmentContract.SOURCE_NONE, config.source());
        assertEquals(JcclConfig.singleRank().source(), config.source());
        assertEquals(JcclConfig.DEFAULT_TIMEOUT, config.timeout());
        assertEquals("auto", config.transport());
        config.conclude();
    }

    @Test
    void singleRankStillReadsCommonVariables()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env("JCCL_TRANSPORT", "tcp", "JCCL_TIMEOUT", "30s",
            "JCCL_SOCKET_IFNAME", "eth0", "JCCL_ALGO", "allreduce:0-inf:ring", "JCCL_KERNELS", "java"));
        assertEquals("tcp", config.transport());
        assertEquals(Duration.ofSeconds(30), config.timeout());
        assertEquals("eth0", config.socketIfname());
        assertEquals("allreduce:0-inf:ring", config.algo());
        assertEquals("java", config.kernels());
    }

    @Test
    void blankValuesCountAsAbsent()
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env("RANK", " ", "JCCL_TIMEOUT", ""));
        assertEquals(EnvironmentContract.SOURCE_NONE, config.source());
        assertEquals(JcclConfig.DEFAULT_TIMEOUT, config.timeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "tcp", "shm", "nccl", "TCP"})
    void knownTransportsAreAccepted(final String transport)
    {
        final Map<String, String> env = torchrun();
        env.put("JCCL_TRANSPORT", transport);
        assertEquals(transport.toLowerCase(), EnvironmentContract.fromEnvironment(env).transport());
    }

    @Test
    void unknownTransportIsRejectedNamingTheVariable()
    {
        final Map<String, String> env = torchrun();
        env.put("JCCL_TRANSPORT", "rdma");
        assertMentions(fails(env), "JCCL_TRANSPORT", "rdma");
    }

    @Test
    void unknownKernelsAreRejectedNamingTheVariable()
    {
        assertMentions(fails(env("JCCL_KERNELS", "cuda")), "JCCL_KERNELS", "cuda");
    }

    @ParameterizedTest
    @CsvSource({"600,PT10M", "30s,PT30S", "500ms,PT0.5S", "10m,PT10M", "1h,PT1H", "PT10M,PT10M", "pt90s,PT1M30S",
        "' 45 ',PT45S", "2d,PT48H", "5 s,PT5S"})
    void timeoutFormatsAreParsed(final String text, final String expected)
    {
        final JcclConfig config = EnvironmentContract.fromEnvironment(env("JCCL_TIMEOUT", text));
        assertEquals(Duration.parse(expected), config.timeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "-5", "-5s", "PT0S", "-PT1M", "abc", "10x", "1.5s", "s", "PT", "99999999999999999999"})
    void badTimeoutIsRejectedNamingTheVariable(final String text)
    {
        assertMentions(fails(env("JCCL_TIMEOUT", text)), "JCCL_TIMEOUT", text);
    }

    @Test
    void heartbeatTimeoutIsReadAndDefaultsToThirtySeconds()
    {
        assertEquals(JcclConfig.DEFAULT_HEARTBEAT_TIMEOUT, EnvironmentContract.fromEnvironment(env()).heartbeatTimeout());
        assertEquals(Duration.ofSeconds(30), JcclConfig.DEFAULT_HEARTBEAT_TIMEOUT);
        final JcclConfig config = EnvironmentContract.fromEnvironment(env("JCCL_HEARTBEAT_TIMEOUT", "5s"));
        assertEquals(Duration.ofSeconds(5), config.heartbeatTimeout());
        config.conclude();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3s", "abc", "100ms"})
    void badHeartbeatTimeoutIsRejectedNamingTheVariable(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> EnvironmentContract.fromEnvironment(env("JCCL_HEARTBEAT_TIMEOUT", text)).conclude());
        assertMentions(ex, "JCCL_HEARTBEAT_TIMEOUT");
    }

    @Test
    void overlongRunIdIsRejectedNamingTheVariable()
    {
        assertMentions(fails(env("JCCL_RUN_ID", "r".repeat(256))), "JCCL_RUN_ID");
    }

    @Test
    void fromSystemEnvironmentReadsTheProcessEnvironment()
    {
        final Map<String, String> real = System.getenv();
        JcclConfig config = null;
        try
        {
            config = EnvironmentContract.fromSystemEnvironment();
        }
        catch (final IllegalArgumentException ex)
        {
            // the build's own environment may hold a partial set; then both must fail alike
            assertThrows(IllegalArgumentException.class, () -> EnvironmentContract.fromEnvironment(real));
            return;
        }
        assertNotNull(config);
        assertEquals(EnvironmentContract.fromEnvironment(real).source(), config.source());
    }
}
