package io.eden.adapters.http.json;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.JsonWriter;

/**
 * dsl-json set up for the API: request bodies parse into a value tree ({@link JsonFields} reads it),
 * responses are written by the converters the annotation processor generated. No reflection
 * fallback is configured, and construction fails when a converter is missing: without the processor
 * on the compiler's processor path the build silently generates nothing (see TOOLCHAIN.md).
 */
public final class JsonCodec {
    private final DslJson<Object> dsl;
    private final JsonTreeParser parser;

    public JsonCodec() {
        this.dsl = new DslJson<>(new DslJson.Settings<Object>()
                .includeServiceLoader(JsonCodec.class.getClassLoader())
                .errorInfo(JsonReader.ErrorInfo.DESCRIPTION_AND_POSITION));
        this.parser = new JsonTreeParser(dsl);
        for (Class<?> type : Documents.ALL) {
            if (dsl.tryFindWriter(type) == null) {
                throw new IllegalStateException("no compiled dsl-json converter for " + type.getName()
                        + "; the dsl-json annotation processor did not run on this module");
            }
        }
    }

    /** A value tree of the body; {@link MalformedJsonException} when it is not JSON. */
    public Object parse(byte[] body) {
        return parser.parse(body);
    }

    public byte[] write(Record document) {
        JsonWriter writer = dsl.newWriter();
        if (!dsl.serialize(writer, document.getClass(), document)) {
            throw new IllegalStateException("no dsl-json converter for " + document.getClass().getName());
        }
        return writer.toByteArray();
    }
}
