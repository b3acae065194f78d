package io.eden.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    @TempDir
    Path data;

    @Test
    void isGeneratedOnceIntoAnOwnerOnlyFileAndReused() throws Exception {
        ApiToken first = ApiToken.resolve(Optional.empty(), data);
        Path file = data.resolve("api-token");
        assertEquals(Optional.of(file), first.file());
        assertTrue(first.value().matches("[A-Za-z0-9_-]{43}"), "32 random bytes, url-safe base64");
        assertEquals(first.value(), Files.readString(file).strip());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(first.toString().contains(first.value()));

        ApiToken again = ApiToken.resolve(Optional.empty(), data);
        assertEquals(first.value(), again.value());
        assertNotEquals(first.value(), ApiToken.generate());
    }

    @Test
    void aGivenTokenIsUsedAndNothingIsWritten() {
        ApiToken given = ApiToken.resolve(Optional.of("  a-long-enough-token-1234  "), data);
        assertEquals("a-long-enough-token-1234", given.value());
        assertEquals(Optional.empty(), given.file());
        assertFalse(Files.exists(data.resolve("api-token")));
    }

    @Test
    void aWeakOrUnusableTokenIsAUsageError() throws Exception {
        StartupException shortOne = assertThrows(StartupException.class,
                () -> ApiToken.resolve(Optional.of("short"), data));
        assertEquals(StartupException.USAGE, shortOne.exitCode());
        assertFalse(shortOne.getMessage().contains("short"));

        Files.writeString(data.resolve("api-token"), "\n");
        StartupException emptyFile = assertThrows(StartupException.class,
                () -> ApiToken.resolve(Optional.empty(), data));
        assertTrue(emptyFile.getMessage().contains(data.resolve("api-token").toString()), emptyFile.getMessage());
    }
}
