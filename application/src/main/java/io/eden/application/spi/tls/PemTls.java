package io.eden.application.spi.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM certificates and keys, the files openssl, certbot and every database server use, as
 * the {@link KeyStore}s that {@code javax.net.ssl} factories take. Plugins build their
 * {@code SSLContext} from these: the SPI itself stays on {@code java..} (the layer rule),
 * and a KeyStore is the JDK's own hand-over point between key material and TLS.
 *
 * <p>Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and
 * SEC1 ({@code BEGIN EC PRIVATE KEY}), unencrypted. Every failure is an
 * {@link IllegalArgumentException} naming the file, never quoting its content.
 */
public final class PemTls {
    /** The alias of the key entry in {@link #keyStore}. */
    public static final String KEY_ALIAS = "eden";

    private PemTls() {
    }

    /** The password of the key entry in {@link #keyStore}: a fresh copy, the store lives in memory only. */
    public static char[] keyPassword() {
        return new char[0];
    }

    /**
     * A server's (or client's) identity: the certificate chain, leaf first, and its private key,
     * checked to belong to the leaf certificate.
     */
    public static KeyStore keyStore(Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = certificates(certificateChain);
        PrivateKey key = PemKeys.read(privateKey);
        if (!PemKeys.belongTogether(key, chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException("the key in " + privateKey + " does not belong to the first"
                    + " certificate in " + certificateChain);
        }
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry(KEY_ALIAS, key, keyPassword(), chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the key in " + privateKey + ": " + e.getMessage(), e);
        }
    }

    /** Certificate authorities to trust, e.g. a private CA's bundle. */
    public static KeyStore trustStore(Path caBundle) {
        List<X509Certificate> authorities = certificates(caBundle);
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the certificates in " + caBundle + ": " + e.getMessage(), e);
        }
    }

    /** Every {@code CERTIFICATE} block of the file, in file order; at least one. */
    public static List<X509Certificate> certificates(Path pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlocks.Block block : PemBlocks.read(pem)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(pem + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(pem + " holds no certificate (expected PEM blocks BEGIN CERTIFICATE)");
        }
        return certificates;
    }

    /** The first private key of the file. */
    public static PrivateKey privateKey(Path pem) {
        return PemKeys.read(pem);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }
}
