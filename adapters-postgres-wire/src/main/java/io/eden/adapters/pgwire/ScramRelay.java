package io.eden.adapters.pgwire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A relayed SCRAM-SHA-256 login whose channel-binding flag the server must not see.
 *
 * <p>A TLS client that was offered no SCRAM-SHA-256-PLUS (Eden takes it off the list: the
 * binding would be to Eden's certificate, not the server's) sends the GS2 flag {@code y}:
 * "I could bind, the server seems unable to". A server that is itself on TLS takes that for
 * a downgrade attack and refuses. So towards the server Eden turns the flag into {@code n},
 * which changes the signed AuthMessage: with the role's verifier (read by the auth query)
 * Eden recovers the ClientKey from the client's proof, signs the server's AuthMessage with
 * it, and answers the client with the server signature of the client's AuthMessage. The
 * nonces, salt and iteration count stay the server's, and the server still decides: a wrong
 * password gives a wrong ClientKey, which the server rejects with its own error.
 */
final class ScramRelay {
    private final Scram.Verifier verifier;
    private final String clientFirstBare;
    private final String serverGs2Header;
    private String serverFirst;
    private String clientAuthMessage;
    private String serverAuthMessage;

    private ScramRelay(Scram.Verifier verifier, String clientGs2Header, String clientFirstBare) {
        this.verifier = verifier;
        this.clientFirstBare = clientFirstBare;
        this.serverGs2Header = "n" + clientGs2Header.substring(1);
    }

    /**
     * The client-first-message of a SASLInitialResponse body when it selects SCRAM-SHA-256
     * with the {@code y} flag; null otherwise (then the login passes untouched).
     */
    static String flaggedClientFirst(byte[] body) {
        int mechEnd = Wire.cstringEnd(body, 0, body.length);
        if (mechEnd < 0 || mechEnd + 5 > body.length
                || !Scram.MECHANISM.equals(new String(body, 0, mechEnd, StandardCharsets.US_ASCII))) {
            return null;
        }
        int len = Wire.getInt(body, mechEnd + 1);
        if (len < 0 || mechEnd + 5 + len != body.length) {
            return null;
        }
        String first = new String(body, mechEnd + 5, len, StandardCharsets.UTF_8);
        return first.startsWith("y,") ? first : null;
    }

    /** Starts a relay for {@code clientFirst} (from {@link #flaggedClientFirst}); null when it is malformed. */
    static ScramRelay start(Scram.Verifier verifier, String clientFirst) {
        int firstComma = clientFirst.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : clientFirst.indexOf(',', firstComma + 1);
        if (secondComma < 0) {
            return null;
        }
        return new ScramRelay(verifier, clientFirst.substring(0, secondComma + 1), clientFirst.substring(secondComma + 1));
    }

    /** The SASLInitialResponse body for the server: the same message with the {@code n} flag. */
    byte[] initialResponseForServer() {
        byte[] mechanism = Scram.MECHANISM.getBytes(StandardCharsets.US_ASCII);
        byte[] first = (serverGs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[mechanism.length + 1 + 4 + first.length];
        System.arraycopy(mechanism, 0, body, 0, mechanism.length);
        Wire.putInt(body, mechanism.length + 1, first.length);
        System.arraycopy(first, 0, body, mechanism.length + 5, first.length);
        return body;
    }

    /** The server's AuthenticationSASLContinue data (relayed to the client unchanged). */
    void serverFirst(String message) {
        serverFirst = message;
    }

    /**
     * The client-final-message for the server, re-signed for the {@code n} flag; null when
     * the client's message is malformed (the caller refuses the client).
     */
    String clientFinalForServer(String clientFinal) {
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (serverFirst == null || proofAt < 0 || !clientFinal.startsWith("c=")) {
            return null;
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        int bindingEnd = withoutProof.indexOf(',');
        if (bindingEnd < 0) {
            return null;
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (proof.length != verifier.storedKey().length) {
            return null;
        }
        String serverWithoutProof = "c=" + Base64.getEncoder().encodeToString(
                serverGs2Header.getBytes(StandardCharsets.UTF_8)) + withoutProof.substring(bindingEnd);
        clientAuthMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        serverAuthMessage = clientFirstBare + "," + serverFirst + "," + serverWithoutProof;
        byte[] clientKey = Scram.xor(proof, Scram.hmac(verifier.storedKey(), clientAuthMessage));
        byte[] serverProof = Scram.xor(clientKey, Scram.hmac(verifier.storedKey(), serverAuthMessage));
        return serverWithoutProof + ",p=" + Base64.getEncoder().encodeToString(serverProof);
    }

    /**
     * The AuthenticationSASLFinal data for the client: the server's signature, checked
     * against the verifier, becomes the signature of the client's AuthMessage. Null when the
     * server's signature is wrong (it did not sign what Eden sent: Eden says so, it does not
     * vouch for that server). Server errors ({@code e=}) pass unchanged.
     */
    String serverFinalForClient(String serverFinal) {
        String v = Scram.attribute(serverFinal, 'v');
        if (v == null) {
            return serverFinal;
        }
        if (serverAuthMessage == null) {
            return null;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(given, Scram.hmac(verifier.serverKey(), serverAuthMessage))) {
            return null;
        }
        return "v=" + Base64.getEncoder().encodeToString(Scram.hmac(verifier.serverKey(), clientAuthMessage));
    }
}
