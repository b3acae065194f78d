package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eden.adapters.http.json.Documents;
import io.eden.adapters.http.json.JsonCodec;
import io.eden.adapters.http.json.OneOf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Guards the TOOLCHAIN pitfall: without the processor on the processor path no converter is generated. */
class GeneratedConvertersTest {

    @Test
    void the_annotation_processor_generated_the_converters() {
        for (String name : List.of("EndpointDoc", "MigrationDoc", "StatusDoc", "ErrorDoc", "InterlayDoc")) {
            assertDoesNotThrow(() -> Class.forName("io.eden.adapters.http.json._Documents$" + name + "_DslJsonConverter"));
        }
        assertDoesNotThrow(JsonCodec::new);
    }

    @Test
    void documents_are_written_in_snake_case_with_nulls() {
        JsonCodec codec = new JsonCodec();
        String json = new String(codec.write(new Documents.InterlayDoc("i", "redis", null, "0.0.0.0:6379", null, false,
                Map.of("pool_mode", "session"), null, 0)), StandardCharsets.UTF_8);

        assertEquals("{\"id\":\"i\",\"protocol\":\"redis\",\"endpoint\":null,\"listen\":\"0.0.0.0:6379\","
                + "\"bound_address\":null,\"tls\":false,\"settings\":{\"pool_mode\":\"session\"},\"migration\":null,"
                + "\"connections\":0}", json);
        assertEquals("{\"error\":{\"code\":\"c\",\"message\":\"m\"}}", new String(codec.write(
                new Documents.ErrorDoc(OneOf.document(new Documents.PlainError("c", "m")))), StandardCharsets.UTF_8));
    }
}
