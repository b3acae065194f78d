package io.eden.application.spi.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -----BEGIN X-----} blocks of a PEM file. Read by hand rather than with
 * {@code CertificateFactory} alone so one file may hold a certificate chain and its key
 * together, and so text around the blocks (openssl's "Bag Attributes") does no harm.
 */
final class PemBlocks {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** @param encrypted whether RFC 1421 headers ({@code Proc-Type: 4,ENCRYPTED}) say the body is encrypted */
    record Block(String label, byte[] der, boolean encrypted) {
    }

    private PemBlocks() {
    }

    static List<Block> read(Path file) {
        String text;
        try {
            // ISO-8859-1 never fails to decode: a stray byte outside the blocks must not hide them
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : matcher.group(2).split("\\R")) {
                if (line.contains(":")) {
                    encrypted |= line.contains("ENCRYPTED");
                } else {
                    base64.append(line.strip());
                }
            }
            try {
                blocks.add(new Block(matcher.group(1), Base64.getDecoder().decode(base64.toString()), encrypted));
            } catch (IllegalArgumentException e) {
                // the decoder's message quotes the offending character: still not key material, but say less
                throw new IllegalArgumentException(file + ": the " + matcher.group(1) + " block is not valid base64");
            }
        }
        return blocks;
    }
}
