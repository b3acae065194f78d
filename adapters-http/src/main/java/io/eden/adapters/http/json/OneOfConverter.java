package io.eden.adapters.http.json;

import com.dslplatform.json.JsonConverter;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.JsonWriter;

/** Writes a {@link OneOf} as the value it holds; responses only, so reading it is refused. */
@JsonConverter(target = OneOf.class)
public final class OneOfConverter {
    public static final JsonReader.ReadObject<OneOf> JSON_READER = reader -> {
        throw new UnsupportedOperationException("OneOf is written in responses, never read");
    };

    public static final JsonWriter.WriteObject<OneOf> JSON_WRITER = (writer, value) -> {
        if (value == null) {
            writer.writeNull();
        } else if (value.value() instanceof String text) {
            writer.writeString(text);
        } else {
            // Looks up the compiled converter of the record's class through the writer's DslJson.
            writer.serializeObject(value.value());
        }
    };

    private OneOfConverter() {
    }
}
