package io.eden.adapters.redis.proxy;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Words for a failed upstream TLS handshake. The JDK's messages ("PKIX path building failed:
 * sun.security...") are right but say nothing an operator can act on; these name the remedy.
 */
final class UpstreamTlsFailure {

    private UpstreamTlsFailure() {
    }

    static String explain(SSLException e, UpstreamAddress address, String trusted) {
        String prefix = "TLS with " + address + " failed: ";
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException
                    || cause instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return prefix + "its certificate has expired or is not valid yet";
            }
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return prefix + "its certificate is not signed by a CA Eden trusts (trusted: " + trusted
                        + "; --option redis.tls-ca-file=PEM adds the CA that signed it)";
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof CertificateException
                    && (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
                return prefix + "its certificate does not name host " + address.host() + " (" + message + ")";
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.toLowerCase(Locale.ROOT).contains("unrecognized ssl message")) {
            return prefix + "it does not speak TLS (plain-text servers take redis://)";
        }
        return prefix + message;
    }
}
