package io.eden.adapters.http;

import io.eden.adapters.http.json.Documents.ErrorDoc;
import io.eden.adapters.http.json.Documents.FieldError;
import io.eden.adapters.http.json.Documents.PhaseError;
import io.eden.adapters.http.json.Documents.PlainError;
import io.eden.adapters.http.json.InvalidBodyException;
import io.eden.adapters.http.json.JsonCodec;
import io.eden.adapters.http.json.MalformedJsonException;
import io.eden.adapters.http.json.OneOf;
import io.eden.application.error.ConflictException;
import io.eden.application.error.NotFoundException;
import io.eden.application.spi.EndpointUnavailableException;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.domain.model.IllegalPhaseChangeException;
import io.eden.domain.error.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code {"error": {"code", "message", ...}}} with its status. Messages of
 * the application and domain are written for users (and never carry a password); anything else is
 * a bug, answered with a generic 500 and logged with its stack trace, but never with the request body.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final JsonCodec json;

    ErrorResponses(JsonCodec json) {
        this.json = json;
    }

    Response of(Exception failure, String method, String route) {
        return switch (failure) {
            case ApiException e -> plain(e.status(), e.code(), e.getMessage());
            case MalformedJsonException e -> plain(400, "invalid_json", e.getMessage());
            case InvalidBodyException e -> plain(400, "invalid_request", e.getMessage());
            case InvalidValueException e -> error(400, new FieldError("invalid_request", e.getMessage(), e.field()));
            case NotFoundException e -> e.field().isPresent()
                    ? error(404, new FieldError("not_found", e.getMessage(), e.field().get()))
                    : plain(404, "not_found", e.getMessage());
            case ConflictException e -> plain(409, e.code(), e.getMessage());
            case IllegalPhaseChangeException e -> error(409, new PhaseError("illegal_phase_change", e.getMessage(),
                    e.current().wireName(), e.requested().wireName()));
            case UnsupportedCapabilityException e -> plain(501, "not_implemented", e.getMessage());
            case EndpointUnavailableException e -> {
                LOG.warn("{} {}: {}", method, route, e.getMessage());
                yield plain(503, "endpoint_unavailable", e.getMessage());
            }
            default -> {
                LOG.error("{} {} failed", method, route, failure);
                yield plain(500, "internal", "internal error; the server log has the details");
            }
        };
    }

    Response plain(int status, String code, String message) {
        return error(status, new PlainError(code, message));
    }

    private Response error(int status, Record error) {
        return Response.json(status, json.write(new ErrorDoc(OneOf.document(error))));
    }
}
