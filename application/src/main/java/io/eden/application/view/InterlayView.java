package io.eden.application.view;

import java.util.Map;
import java.util.Optional;

/** An interlay with what it does now: where it listens, where it routes, who holds it, how many clients. */
public record InterlayView(String id, String protocol, String listen, Optional<String> boundAddress, boolean tls,
                           Optional<String> endpoint, Optional<String> migration, int connections,
                           Map<String, String> settings) {
}
