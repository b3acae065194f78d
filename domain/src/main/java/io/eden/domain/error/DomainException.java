package io.eden.domain.error;

/**
 * A rule of the domain was broken; adapters turn each kind into its own answer. Not sealed:
 * the phase error lives beside {@code Phase} in the model, and a sealed class cannot permit
 * across packages without a module, which would cost a package cycle.
 */
public abstract class DomainException extends RuntimeException {

    protected DomainException(String message) {
        super(message);
    }
}
