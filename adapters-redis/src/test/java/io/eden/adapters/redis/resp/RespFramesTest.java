package io.eden.adapters.redis.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reply boundaries found without parsing, for every RESP2/RESP3 type, whole and cut anywhere. */
class RespFramesTest {

    @ParameterizedTest
    @ValueSource(strings = {"+OK\r\n", "-ERR x\r\n", ":42\r\n", "$3\r\nfoo\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n",
        "*2\r\n$1\r\na\r\n:1\r\n", "_\r\n", "#t\r\n", ",1.5\r\n", "(123\r\n", "!3\r\nerr\r\n", "=7\r\ntxt:abc\r\n",
        "%1\r\n+k\r\n*1\r\n:1\r\n", "~2\r\n+a\r\n+b\r\n", ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n",
        "|1\r\n+key\r\n+val\r\n:5\r\n", "$4\r\n\r\n\r\n\r\n"})
    void a_whole_value_ends_where_it_ends_and_every_cut_is_incomplete(String frame) {
        byte[] bytes = (frame + "+NEXT\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int length = frame.length();
        assertEquals(length, RespFrames.end(bytes, 0, bytes.length));
        for (int cut = 0; cut < length; cut++) {
            assertEquals(RespFrames.INCOMPLETE, RespFrames.end(bytes, 0, cut), "cut at " + cut);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"?x\r\n", "$x\r\nab\r\n", "*-5\r\n"})
    void garbage_is_malformed(String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(RespFrames.MALFORMED, RespFrames.end(bytes, 0, bytes.length));
    }
}
