package io.eden.domain.model;

import io.eden.domain.error.DomainException;

/** A migration was asked to move to a phase its current phase does not lead to. */
public final class IllegalPhaseChangeException extends DomainException {
    private final Phase current;
    private final Phase requested;

    public IllegalPhaseChangeException(Phase current, Phase requested, String why) {
        super("migration is " + current.wireName() + ": " + why);
        this.current = current;
        this.requested = requested;
    }

    public Phase current() {
        return current;
    }

    public Phase requested() {
        return requested;
    }
}
