package io.eden.bootstrap;

import io.eden.application.service.ProtocolRegistry;
import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.ProtocolId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code --listen} value tied to the protocol that serves it. The interlay is named after
 * the protocol ({@code redis_interlay}), so each protocol can be given once.
 */
record DeclaredListener(String interlayId, ProtocolId protocol, ListenSpec spec) {
    /** A bare {@code HOST:PORT} is Redis, as in the seed's {@code eden-server --listen 0.0.0.0:6379}. */
    static final ProtocolId DEFAULT_PROTOCOL = ProtocolId.REDIS;

    static List<DeclaredListener> resolve(List<ListenSpec> specs, ProtocolRegistry protocols) {
        List<DeclaredListener> declared = new ArrayList<>();
        Map<ProtocolId, ListenSpec> seen = new HashMap<>();
        for (ListenSpec spec : specs) {
            ProtocolId protocol = protocolOf(spec, protocols);
            ListenSpec earlier = seen.putIfAbsent(protocol, spec);
            if (earlier != null) {
                throw StartupException.usage("--listen " + earlier + " and --listen " + spec + " are both "
                        + protocol + " listeners; give one --listen per protocol (each declares the interlay "
                        + interlayName(protocol) + "), and create more interlays with POST /api/v1/interlays");
            }
            declared.add(new DeclaredListener(interlayName(protocol), protocol, spec));
        }
        return declared;
    }

    static String interlayName(ProtocolId protocol) {
        return protocol.value().replace('-', '_') + "_interlay";
    }

    /** The scheme is a protocol id ({@code redis}, {@code postgres}) or one of its endpoint schemes ({@code postgresql}). */
    private static ProtocolId protocolOf(ListenSpec spec, ProtocolRegistry protocols) {
        if (spec.scheme().isEmpty()) {
            return DEFAULT_PROTOCOL;
        }
        String scheme = spec.scheme().get();
        if (scheme.equals("rediss")) {
            // a TLS listener needs certificates that the command line cannot name yet
            throw StartupException.usage("--listen " + spec + ": TLS listeners cannot be declared on the command "
                    + "line yet; use redis://");
        }
        Optional<ProtocolId> byId = asProtocolId(scheme).filter(protocols::knows);
        if (byId.isPresent()) {
            return byId.get();
        }
        try {
            return protocols.protocolOf(EndpointUri.parse(scheme + "://localhost"));
        } catch (InvalidValueException e) {
            throw StartupException.usage("--listen " + spec + ": no protocol plugin serves '" + scheme
                    + "'; known protocols: " + String.join(", ", protocols.protocolIds()));
        }
    }

    private static Optional<ProtocolId> asProtocolId(String scheme) {
        try {
            return Optional.of(new ProtocolId(scheme));
        } catch (InvalidValueException e) {
            return Optional.empty();
        }
    }
}
