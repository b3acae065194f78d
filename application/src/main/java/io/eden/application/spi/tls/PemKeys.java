package io.eden.application.spi.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * Private keys from PEM: PKCS#8 as the JDK reads it, and the two traditional OpenSSL forms
 * (PKCS#1 RSA, SEC1 EC) rewrapped as PKCS#8. Messages name the file and never its content.
 */
final class PemKeys {
    /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = Der.encode(Der.SEQUENCE,
            Der.encode(Der.OID, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1}),
            Der.encode(Der.NULL));
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    private static final byte[] EC_PUBLIC_KEY = Der.encode(Der.OID,
            new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1});
    private static final byte[] VERSION_0 = Der.encode(Der.INTEGER, new byte[] {0});
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");
    private static final String CONVERT = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem";

    private PemKeys() {
    }

    static PrivateKey read(Path file) {
        for (PemBlocks.Block block : PemBlocks.read(file)) {
            if (block.encrypted() || block.label().equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException(file + " holds an encrypted key; Eden needs it unencrypted (and"
                        + " readable by Eden's user only): openssl pkey -in KEY -out KEY.pem");
            }
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, block.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, Der.encode(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM,
                            Der.encode(Der.OCTET_STRING, block.der())));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(file, sec1ToPkcs8(file, block.der()));
                }
                default -> {
                    // certificates, EC PARAMETERS: a combined file holds more than the key
                }
            }
        }
        throw new IllegalArgumentException(file + " holds no private key (expected a PEM block BEGIN PRIVATE KEY,"
                + " BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    /** SEC1 names its curve inside the key; PKCS#8 wants it in the algorithm identifier. */
    private static byte[] sec1ToPkcs8(Path file, byte[] sec1) {
        byte[] curve;
        try {
            Der.Element key = Der.read(sec1, 0, sec1.length);
            Der.Element parameters = key.tag() == Der.SEQUENCE ? Der.child(key, Der.CONTEXT_0) : null;
            Der.Element oid = parameters == null ? null : Der.child(parameters, Der.OID);
            if (oid == null) {
                throw new IllegalArgumentException("no named curve");
            }
            curve = oid.encoded();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the EC key does not name its curve" + CONVERT);
        }
        return Der.encode(Der.SEQUENCE, VERSION_0, Der.encode(Der.SEQUENCE, EC_PUBLIC_KEY, curve),
                Der.encode(Der.OCTET_STRING, sec1));
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm's key: try the next
            }
        }
        throw new IllegalArgumentException(file + " holds a key of a kind Eden cannot read (RSA, EC and EdDSA"
                + " keys work)" + CONVERT);
    }

    /**
     * Whether {@code key} belongs to {@code certified}: a mismatch otherwise shows only as a
     * failed handshake at every client, far from its cause. Unknown kinds pass unchecked.
     */
    static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
