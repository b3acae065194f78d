package io.eden.adapters.pgwire;

/** A client broke the protocol: it gets ErrorResponse 08P01 and loses its connection, nobody else notices. */
final class ProtocolViolation extends Exception {
    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
