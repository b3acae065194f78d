package io.eden.domain.error;

/** A rule of the domain was broken; adapters turn each kind into its own answer. */
public abstract sealed class DomainException extends RuntimeException
        permits InvalidValueException, IllegalPhaseChangeException {

    protected DomainException(String message) {
        super(message);
    }
}
