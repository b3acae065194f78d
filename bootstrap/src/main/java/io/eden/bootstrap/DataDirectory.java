package io.eden.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The data folder holds the API token and the embedded store with endpoint passwords: owner only. */
final class DataDirectory {
    private DataDirectory() {
    }

    static Path ensure(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(absolute)) {
                return absolute;
            }
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            if (ApiToken.isPosix()) {
                Files.createDirectory(absolute,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(absolute);
            }
            return absolute;
        } catch (IOException e) {
            throw StartupException.usage("--data: cannot create the data directory " + absolute + ": " + e);
        }
    }
}
