package io.eden.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashSlotTest {

    /** Results of CLUSTER KEYSLOT on a real Redis (Redis docs / redis-cli). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "foo|12182",
            "bar|5061",
            "hello|866",
            "somekey|11058",
            "foo{hash_tag}|2515",
    })
    void knownRedisClusterSlots(String key, int slot) {
        assertEquals(slot, HashSlot.of(key));
        assertEquals(slot, HashSlot.of(key.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void crc16IsXmodem() {
        byte[] vector = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, HashSlot.crc16(vector, 0, vector.length));
        assertEquals(0, HashSlot.crc16(new byte[0], 0, 0));
    }

    /** Eight bytes go at a time, the rest one by one: every length and offset around those steps. */
    @Test
    void crc16OfLongAndOddlyPlacedDataAgreesWithTheBitwiseDefinition() {
        Random random = new Random(7L);
        for (int length = 0; length <= 100; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] data = new byte[offset + length + 3];
                random.nextBytes(data);
                assertEquals(bitwiseCrc16(data, offset, offset + length), HashSlot.crc16(data, offset, offset + length),
                        "length " + length + " at offset " + offset);
            }
        }
    }

    @Test
    void emptyKeyIsSlotZero() {
        assertEquals(0, HashSlot.of(""));
        assertEquals(0, HashSlot.of(new byte[0]));
    }

    @Test
    void hashTags() {
        assertEquals(HashSlot.of("{user1000}.following"), HashSlot.of("{user1000}.followers"));
        assertEquals(HashSlot.of("user1000"), HashSlot.of("{user1000}.following"));
        // An empty first tag: the whole key is hashed.
        assertEquals(crcSlot("foo{}{bar}"), HashSlot.of("foo{}{bar}"));
        assertEquals(8363, HashSlot.of("foo{}{bar}"));
        // The tag runs from the first '{' to the first '}' after it.
        assertEquals(crcSlot("{bar"), HashSlot.of("foo{{bar}}zap"));
        assertEquals(4015, HashSlot.of("foo{{bar}}zap"));
        assertEquals(HashSlot.of("bar"), HashSlot.of("foo{bar}{zap}"));
        // No closing brace: the whole key.
        assertEquals(crcSlot("foo{bar"), HashSlot.of("foo{bar"));
        assertEquals(crcSlot("foo}bar{"), HashSlot.of("foo}bar{"));
    }

    @Test
    void randomKeysAgreeWithAnIndependentImplementation() {
        Random random = new Random(42L);
        byte[] alphabet = "ab{}x}{0".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(24);
            byte[] key = new byte[length];
            for (int i = 0; i < length; i++) {
                key[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            int expected = referenceSlot(key);
            assertEquals(expected, HashSlot.of(key), () -> "key " + Arrays.toString(key));
            // The offset/length variant on the same key inside a larger buffer.
            int before = random.nextInt(5);
            int after = random.nextInt(5);
            byte[] buffer = new byte[before + length + after];
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = (byte) (random.nextBoolean() ? '{' : '}');
            }
            System.arraycopy(key, 0, buffer, before, length);
            assertEquals(expected, HashSlot.of(buffer, before, length), () -> "key in buffer " + Arrays.toString(key));
        }
    }

    @Test
    void offsetVariantEqualsPlainOneForKnownKeys() {
        for (String key : new String[] {"foo", "{user1000}.following", "foo{{bar}}zap", "foo{}{bar}", ""}) {
            byte[] plain = key.getBytes(StandardCharsets.UTF_8);
            byte[] padded = ("{}{x}" + key + "}{y").getBytes(StandardCharsets.UTF_8);
            assertEquals(HashSlot.of(key), HashSlot.of(padded, 5, plain.length), key);
        }
    }

    @Test
    void nonAsciiKeysHashTheirUtf8Bytes() {
        String key = "clé-ключ-鍵";
        assertEquals(referenceSlot(key.getBytes(StandardCharsets.UTF_8)), HashSlot.of(key));
    }

    @Test
    void boundary() {
        assertEquals(0, HashSlot.boundary(0.0));
        assertEquals(819, HashSlot.boundary(0.05));
        assertEquals(8192, HashSlot.boundary(0.5));
        assertEquals(16384, HashSlot.boundary(1.0));
        assertEquals(16384, HashSlot.COUNT);
    }

    private static int crcSlot(String wholeKey) {
        byte[] b = wholeKey.getBytes(StandardCharsets.UTF_8);
        return bitwiseCrc16(b, 0, b.length) % 16384;
    }

    /** Redis's keyHashSlot, transcribed from cluster.c, over a bit-by-bit CRC16-CCITT (XMODEM). */
    private static int referenceSlot(byte[] key) {
        int s;
        for (s = 0; s < key.length; s++) {
            if (key[s] == '{') {
                break;
            }
        }
        if (s == key.length) {
            return bitwiseCrc16(key, 0, key.length) & 0x3FFF;
        }
        int e;
        for (e = s + 1; e < key.length; e++) {
            if (key[e] == '}') {
                break;
            }
        }
        if (e == key.length || e == s + 1) {
            return bitwiseCrc16(key, 0, key.length) & 0x3FFF;
        }
        return bitwiseCrc16(key, s + 1, e) & 0x3FFF;
    }

    private static int bitwiseCrc16(byte[] data, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (data[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }
}
