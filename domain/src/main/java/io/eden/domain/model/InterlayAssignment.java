package io.eden.domain.model;

/** One interlay taken into a migration: its endpoint when attached (source) and where it goes (target). */
public record InterlayAssignment(String interlayId, String sourceEndpointId, String targetEndpointId) {
    public InterlayAssignment {
        Check.id("interlay", interlayId);
        Check.id("source", sourceEndpointId);
        Check.id("endpoint", targetEndpointId);
        if (sourceEndpointId.equals(targetEndpointId)) {
            throw new io.eden.domain.error.InvalidValueException("endpoint",
                    "endpoint must differ from the interlay's current endpoint '" + sourceEndpointId + "'");
        }
    }
}
