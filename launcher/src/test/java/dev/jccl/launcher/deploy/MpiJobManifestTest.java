package dev.jccl.launcher.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every YAML document under {@code deploy/} parses, and every {@code MPIJob} in them is valid
 * against the {@code v2beta1} {@code openAPIV3Schema} of the MPI Operator's CRD in
 * {@code ../shared/k8s/kubeflow.org_mpijobs.yaml}.
 *
 * <p>The schema check is {@link StructuralSchema}, a small validator of the OpenAPI subset
 * Kubernetes structural schemas use (types, properties, required, enum, items,
 * additionalProperties, int-or-string, preserve-unknown-fields), with unknown fields rejected as
 * {@code kubectl apply --validate=strict} does. It stands in for a JSON-schema library, none of
 * which is in the offline Maven repository this project builds with.
 */
class MpiJobManifestTest
{
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path CRD = ROOT.resolve("../shared/k8s/kubeflow.org_mpijobs.yaml").normalize();

    @SuppressWarnings("unchecked")
    static Map<String, Object> v2beta1Schema() throws IOException
    {
        Assumptions.assumeTrue(Files.exists(CRD), "skipped: the MPIJob CRD " + CRD + " is not here");
        try (Reader r = Files.newBufferedReader(CRD))
        {
            final Map<String, Object> crd = (Map<String, Object>)yaml().load(r);
            for (final Object v : (List<Object>)((Map<String, Object>)crd.get("spec")).get("versions"))
            {
                final Map<String, Object> version = (Map<String, Object>)v;
                if ("v2beta1".equals(version.get("name")))
                {
                    return (Map<String, Object>)((Map<String, Object>)version.get("schema")).get("openAPIV3Schema");
                }
            }
        }
        throw new AssertionError("no v2beta1 in " + CRD);
    }

    static Yaml yaml()
    {
        final LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 << 20);
        return new Yaml(options);
    }

    static List<Object> documents(final Path file) throws IOException
    {
        final List<Object> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file))
        {
            for (final Object doc : yaml().loadAll(r))
            {
                if (doc != null)
                {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMpiJobUnderDeployIsValidAgainstTheV2beta1Schema() throws IOException
    {
        final Map<String, Object> schema = v2beta1Schema();
        final List<Path> files;
        try (Stream<Path> s = Files.walk(DEPLOY))
        {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        int jobs = 0;
        for (final Path file : files)
        {
            for (final Object doc : documents(file))
            {
                final Map<String, Object> object = (Map<String, Object>)doc;
                if (!"MPIJob".equals(object.get("kind")))
                {
                    continue;
                }
                jobs++;
                assertEquals("kubeflow.org/v2beta1", object.get("apiVersion"), file.toString());
                final List<String> errors = StructuralSchema.validate(schema, object);
                assertEquals(List.of(), errors, file.toString());
            }
        }
        assertTrue(jobs >= 2, "expected the CPU and the GPU MPIJob under " + DEPLOY + ", found " + jobs);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theValidatorRejectsTyposWrongTypesAndMissingFields() throws IOException
    {
        final Map<String, Object> schema = v2beta1Schema();
        final Map<String, Object> bad = (Map<String, Object>)yaml().load(String.join("\n",
            "apiVersion: kubeflow.org/v2beta1",
            "kind: MPIJob",
            "metadata: {name: x}",
            "spec:",
            "  slotPerWorker: 2",
            "  slotsPerWorker: two",
            "  mpiImplementation: LAM",
            "  runPolicy: {backoffLimit: 0}",
            ""));
        final String errors = String.join("\n", StructuralSchema.validate(schema, bad));
        assertTrue(errors.contains("spec.slotPerWorker"), errors);
        assertTrue(errors.contains("spec.slotsPerWorker"), errors);
        assertTrue(errors.contains("spec.mpiImplementation"), errors);
        assertTrue(errors.contains("spec.mpiReplicaSpecs"), errors);
    }

    @Test
    void theGpuJobAsksForGpusAndNccl() throws IOException
    {
        final String gpu = Files.readString(DEPLOY.resolve("mpijob-gpu.yaml"));
        assertTrue(gpu.contains("nvidia.com/gpu"));
        assertTrue(gpu.contains("\"--transport\", \"nccl\""));
    }
}
