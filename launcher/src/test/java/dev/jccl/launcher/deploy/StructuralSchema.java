package dev.jccl.launcher.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a YAML/JSON value against a Kubernetes structural OpenAPI v3 schema: {@code type},
 * {@code properties} (unknown fields are errors unless {@code x-kubernetes-preserve-unknown-fields}),
 * {@code required}, {@code enum}, {@code items}, {@code additionalProperties},
 * {@code x-kubernetes-int-or-string}. Formats, patterns and bounds are not checked.
 */
final class StructuralSchema
{
    private StructuralSchema()
    {
    }

    static List<String> validate(final Map<String, Object> schema, final Object value)
    {
        final List<String> errors = new ArrayList<>();
        check(schema, value, "", errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void check(final Map<String, Object> schema, final Object value, final String path, final List<String> errors)
    {
        if (schema == null || value == null)
        {
            return;
        }
        final String where = path.isEmpty() ? "<root>" : path;
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string")))
        {
            if (!(value instanceof Integer || value instanceof Long || value instanceof String))
            {
                errors.add(where + ": expected integer or string, got " + value);
            }
            return;
        }
        final Object enumValues = schema.get("enum");
        if (enumValues instanceof List<?> allowed && !allowed.contains(value))
        {
            errors.add(where + ": " + value + " is not one of " + allowed);
        }
        final String type = (String)schema.get("type");
        if (type != null && !hasType(type, value))
        {
            errors.add(where + ": expected " + type + ", got " + value.getClass().getSimpleName() + " " + value);
            return;
        }
        if (value instanceof Map<?, ?> map)
        {
            final Map<String, Object> properties = (Map<String, Object>)schema.get("properties");
            final Object additional = schema.get("additionalProperties");
            final boolean preserve = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
            final Object required = schema.get("required");
            if (required instanceof List<?> names)
            {
                for (final Object name : names)
                {
                    if (!map.containsKey(name))
                    {
                        errors.add(join(path, name.toString()) + ": required");
                    }
                }
            }
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                final String key = String.valueOf(e.getKey());
                final String child = join(path, key);
                if (properties != null && properties.containsKey(key))
                {
                    check((Map<String, Object>)properties.get(key), e.getValue(), child, errors);
                }
                else if (additional instanceof Map<?, ?> additionalSchema)
                {
                    check((Map<String, Object>)additionalSchema, e.getValue(), child, errors);
                }
                else if (properties != null && !preserve && !Boolean.TRUE.equals(additional) && !isRootMetadata(path, key))
                {
                    errors.add(child + ": unknown field");
                }
            }
        }
        else if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items)
        {
            for (int i = 0; i < list.size(); i++)
            {
                check((Map<String, Object>)items, list.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    /** apiVersion, kind and metadata at the top are checked by the API server, not the CRD schema. */
    private static boolean isRootMetadata(final String path, final String key)
    {
        return path.isEmpty() && (key.equals("apiVersion") || key.equals("kind") || key.equals("metadata"));
    }

    private static boolean hasType(final String type, final Object value)
    {
        return switch (type)
        {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> true;
        };
    }

    private static String join(final String path, final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }
}
