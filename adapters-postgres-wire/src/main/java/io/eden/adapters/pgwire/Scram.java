package io.eden.adapters.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** SCRAM-SHA-256 (RFC 5802/7677) and MD5 arithmetic, both as PostgreSQL uses them. */
final class Scram {
    static final String MECHANISM = "SCRAM-SHA-256";
    static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Scram() {
    }

    /** A role's verifier parts: what pg_authid keeps, never a password. */
    record Verifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
        /** Parses {@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>}; null when it is not one. */
        static Verifier parse(String text) {
            if (text == null || !text.startsWith(MECHANISM + "$")) {
                return null;
            }
            try {
                String[] parts = text.substring(MECHANISM.length() + 1).split("\\$");
                String[] iterSalt = parts[0].split(":");
                String[] keys = parts[1].split(":");
                Base64.Decoder d = Base64.getDecoder();
                return new Verifier(Integer.parseInt(iterSalt[0]), d.decode(iterSalt[1]), d.decode(keys[0]),
                        d.decode(keys[1]));
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A verifier no proof matches: used for unknown roles so they fail like a wrong password. */
        static Verifier mock() {
            return new Verifier(4096, random(16), random(32), random(32));
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String nonce() {
        return Base64.getEncoder().withoutPadding().encodeToString(random(18));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (byte) (a[i] ^ b[i]);
        }
        return r;
    }

    static String md5Hex(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer to an MD5 challenge given the stored {@code md5<hex>} hash (or computed from a password). */
    static String md5Response(String storedHash, byte[] salt) {
        return "md5" + md5Hex(storedHash.substring(3).getBytes(StandardCharsets.US_ASCII), salt);
    }

    static String md5Stored(String password, String user) {
        return "md5" + md5Hex(password.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
    }

    /** The attribute {@code name=} of a SCRAM message, or null. */
    static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }
}
