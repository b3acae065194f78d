package io.eden.bootstrap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token of the REST API. Given on the command line or in the environment, it is used
 * as is; otherwise one is generated at first start and kept in {@code <data>/api-token},
 * readable by the owner only, and reused later. {@link #toString()} never shows the value.
 */
public record ApiToken(String value, Optional<Path> file) {
    static final String FILE_NAME = "api-token";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern USABLE = Pattern.compile("[\\x21-\\x7e]{16,512}");
    private static final Logger LOG = LoggerFactory.getLogger(ApiToken.class);

    public ApiToken {
        Objects.requireNonNull(value, "value is null");
        Objects.requireNonNull(file, "file is null");
    }

    /**
     * @param given   the token from {@code --api-token} or {@code EDEN_API_TOKEN}, if any
     * @param dataDir where the generated token is kept
     */
    static ApiToken resolve(Optional<String> given, Path dataDir) {
        if (given.isPresent()) {
            String token = given.get().strip();
            if (!USABLE.matcher(token).matches()) {
                throw StartupException.usage("the API token must be 16 to 512 visible ASCII characters, no spaces");
            }
            return new ApiToken(token, Optional.empty());
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            return new ApiToken(Files.exists(file) ? read(file) : createOrRead(file), Optional.of(file));
        } catch (IOException e) {
            throw StartupException.failure("cannot keep the API token in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String createOrRead(Path file) throws IOException {
        String token = generate();
        // created with its permissions in one step, so the token is never readable by others, not even briefly
        FileAttribute<?>[] ownerOnly = isPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (FileAlreadyExistsException raced) {
            return read(file);
        }
        LOG.info("Generated a new API token in {}", file);
        return token;
    }

    private static String read(Path file) throws IOException {
        warnIfOthersCanRead(file);
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!USABLE.matcher(token).matches()) {
            throw new IOException("the file does not hold a usable token; delete it and Eden makes a new one");
        }
        return token;
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        if (isPosix()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} can be read by other users; make it owner-only with: chmod 600 {}", file, file);
            }
        }
    }

    static String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public String toString() {
        return "ApiToken[" + file.map(Path::toString).orElse("given") + "]";
    }
}
