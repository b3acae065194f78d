package io.eden.application.spi;

/** An adapter was asked for something it does not do; the message says what, for the user. */
public class UnsupportedCapabilityException extends RuntimeException {

    public UnsupportedCapabilityException(String capability) {
        super(capability + " is not supported by this protocol adapter");
    }

    public UnsupportedCapabilityException(String capability, String detail) {
        super(capability + " is not supported by this protocol adapter: " + detail);
    }
}
