package io.eden.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The default store: an H2 file under the data directory. */
class H2StoreTest extends StoreContract {

    @Override
    protected String freshStoreUri() {
        return null;
    }

    @Test
    void theFileLivesInTheDataDirectory() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            assertEquals(List.of("eden.mv.db"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("h2:" + dataDir.toAbsolutePath().resolve("eden"), store.description());
    }

    @Test
    void aMissingDataDirectoryIsCreatedForItsOwnerOnly() throws IOException {
        Path nested = dataDir.resolve("a/b/data");
        try (PersistenceStore other = PersistenceStore.open("", nested)) {
            assertTrue(other.endpoints().insert(endpoint("x", "redis://x")));
        }
        assertTrue(Files.isRegularFile(nested.resolve("eden.mv.db")));
        if (nested.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
        }
    }

    @Test
    void blankMeansTheDefaultStoreToo() {
        store.endpoints().insert(endpoint("x", "redis://x"));
        store.close();
        store = PersistenceStore.open("  ", dataDir);
        assertEquals(1, store.endpoints().findAll().size());
    }

    @Test
    void aFailedStatementLeavesNoSecretInH2Files() throws IOException {
        failedStatementsDoNotEchoBoundValues();
        store.close();
        store = null;
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.filter(p -> !p.getFileName().toString().endsWith(".mv.db")).toList()) {
                assertFalse(Files.readString(file).contains(ENDPOINT_PASSWORD), file + " holds the password");
            }
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsReported() throws IOException {
        Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");
        RuntimeException e = assertThrows(RuntimeException.class, () -> PersistenceStore.open(null, file));
        assertTrue(e.getMessage().contains("not-a-dir"), e.getMessage());
    }
}
