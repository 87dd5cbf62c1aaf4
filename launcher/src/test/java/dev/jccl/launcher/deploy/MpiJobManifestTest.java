package dev.jccl.launcher.deploy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every YAML document under {@code deploy/} parses, and every {@code MPIJob} in them is valid
 * against the {@code v2beta1} {@code openAPIV3Schema} of the MPI Operator's CRD in
 * {@code ../shared/k8s/kubeflow.org_mpijobs.yaml} (skipped, saying so, where that file is absent).
 *
 * <p>The schema check is networknt's {@code json-schema-validator} with its OpenAPI 3.0 dialect
 * (draft-04 keywords plus {@code nullable}; formats it does not know, such as {@code int32} and
 * {@code int64}, and unknown keywords such as {@code x-kubernetes-*} are ignored, not errors;
 * int-or-string fields are checked through their {@code anyOf}). One Kubernetes rule is added to
 * the schema before it is used: an object schema with {@code properties} and neither
 * {@code additionalProperties} nor {@code x-kubernetes-preserve-unknown-fields: true} gets
 * {@code additionalProperties: false}, so unknown fields (typos) are rejected as
 * {@code kubectl apply --validate=strict} rejects them.
 */
class MpiJobManifestTest
{
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path CRD = ROOT.resolve("../shared/k8s/kubeflow.org_mpijobs.yaml").normalize();
    static final YAMLMapper YAML = new YAMLMapper();

    /** The CRD's {@code v2beta1} {@code openAPIV3Schema}, as the CRD has it. */
    static ObjectNode v2beta1OpenApiSchema()
    {
        Assumptions.assumeTrue(Files.exists(CRD), "skipped: the MPIJob CRD " + CRD + " is not here");
        final JsonNode crd = YAML.readTree(CRD);
        for (final JsonNode version : crd.path("spec").path("versions"))
        {
            if ("v2beta1".equals(version.path("name").asString()))
            {
                return (ObjectNode)version.path("schema").path("openAPIV3Schema");
            }
        }
        throw new AssertionError("no v2beta1 in " + CRD);
    }

    /** {@link #v2beta1OpenApiSchema()}, with unknown fields rejected, as networknt schema. */
    static Schema v2beta1Schema()
    {
        final ObjectNode openApi = v2beta1OpenApiSchema();
        rejectUnknownFields(openApi);
        return SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30()).getSchema(openApi);
    }

    /**
     * Kubernetes prunes (and strict field validation rejects) fields a structural schema does not
     * name, unless the object says {@code x-kubernetes-preserve-unknown-fields: true} or is a map
     * ({@code additionalProperties}). JSON Schema allows them by default, so say it.
     */
    static void rejectUnknownFields(final JsonNode schema)
    {
        if (schema instanceof ObjectNode object)
        {
            if (object.has("properties")
                && !object.has("additionalProperties")
                && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false))
            {
                object.put("additionalProperties", false);
            }
            for (final JsonNode child : object.values())
            {
                rejectUnknownFields(child);
            }
        }
        else if (schema != null && schema.isArray())
        {
            for (final JsonNode child : schema)
            {
                rejectUnknownFields(child);
            }
        }
    }

    static List<JsonNode> documents(final Path file)
    {
        final List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file))
        {
            while (it.hasNext())
            {
                final JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull())
                {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    static List<String> errors(final Schema schema, final JsonNode object)
    {
        return schema.validate(object).stream().map(Error::toString).toList();
    }

    @Test
    void everyMpiJobUnderDeployIsValidAgainstTheV2beta1Schema() throws IOException
    {
        final Schema schema = v2beta1Schema();
        final List<Path> files;
        try (Stream<Path> s = Files.walk(DEPLOY))
        {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        int jobs = 0;
        for (final Path file : files)
        {
            for (final JsonNode object : documents(file))
            {
                if (!"MPIJob".equals(object.path("kind").asString()))
                {
                    continue;
                }
                jobs++;
                assertEquals("kubeflow.org/v2beta1", object.path("apiVersion").asString(), file.toString());
                assertEquals(List.of(), errors(schema, object), file.toString());
            }
        }
        assertTrue(jobs >= 2, "expected the CPU and the GPU MPIJob under " + DEPLOY + ", found " + jobs);
    }

    /** deploy/mpijob.yaml with {@code change} applied, and the validator's errors for it. */
    static String errorsForMutated(final Schema schema, final Consumer<ObjectNode> change)
    {
        final ObjectNode job = (ObjectNode)documents(DEPLOY.resolve("mpijob.yaml")).get(0);
        assertEquals(List.of(), errors(schema, job), "the unmutated job must be valid");
        change.accept(job);
        return String.join("\n", errors(schema, job));
    }

    @Test
    void theValidatorRejectsAStringForSlotsPerWorker()
    {
        final String errors = errorsForMutated(v2beta1Schema(), job -> job.withObject("/spec").put("slotsPerWorker", "two"));
        assertTrue(errors.contains("/spec/slotsPerWorker") && errors.contains("integer"), errors);
    }

    @Test
    void theValidatorRejectsAnMpiImplementationOutsideTheEnum()
    {
        final String errors = errorsForMutated(v2beta1Schema(), job -> job.withObject("/spec").put("mpiImplementation", "LAM"));
        assertTrue(errors.contains("/spec/mpiImplementation") && errors.contains("OpenMPI"), errors);
    }

    @Test
    void theValidatorRejectsAJobWithoutMpiReplicaSpecs()
    {
        final String errors = errorsForMutated(v2beta1Schema(), job -> job.withObject("/spec").remove("mpiReplicaSpecs"));
        assertTrue(errors.contains("mpiReplicaSpecs"), errors);
    }

    @Test
    void theValidatorRejectsAStringReplicaCountDeepInsideMpiReplicaSpecs()
    {
        final String errors = errorsForMutated(v2beta1Schema(),
            job -> job.withObject("/spec/mpiReplicaSpecs/Worker").put("replicas", "2"));
        assertTrue(errors.contains("/spec/mpiReplicaSpecs/Worker/replicas"), errors);
    }

    @Test
    void theValidatorRejectsUnknownFieldsButNotUnderMetadata()
    {
        final Schema schema = v2beta1Schema();
        final String typo = errorsForMutated(schema, job -> job.withObject("/spec").put("slotPerWorker", 2));
        assertTrue(typo.contains("slotPerWorker"), typo);
        // metadata is {type: object} without properties: anything goes, as for the API server's own check.
        assertEquals("", errorsForMutated(schema, job -> job.withObject("/metadata/labels").put("team", "jccl")));
    }

    @Test
    void theCrdSchemaItselfAlsoRejectsWrongTypesWithoutTheUnknownFieldRule()
    {
        final Schema plain = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30()).getSchema(v2beta1OpenApiSchema());
        final String errors = errorsForMutated(plain, job -> job.withObject("/spec").put("slotsPerWorker", "two"));
        assertTrue(errors.contains("/spec/slotsPerWorker"), errors);
    }

    @Test
    void theGpuJobAsksForGpusAndNccl() throws IOException
    {
        final String gpu = Files.readString(DEPLOY.resolve("mpijob-gpu.yaml"));
        assertTrue(gpu.contains("nvidia.com/gpu"));
        assertTrue(gpu.contains("\"--transport\", \"nccl\""));
    }
}
