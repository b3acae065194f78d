package io.eden.adapters.http.json;

import io.eden.application.usecase.CreateEndpoint;
import io.eden.application.usecase.CreateInterlay;

/** Request bodies of endpoints, interlays and the small action bodies, read strictly. */
public final class ResourceBodies {
    private static final String DEFAULT_ROLLBACK_REASON = "rollback requested through the API";

    private ResourceBodies() {
    }

    /** {@code {"id": "ec2_redis", "uri": "redis://10.0.1.50:6379"}} */
    public static CreateEndpoint.Command endpoint(Object tree) {
        JsonFields body = JsonFields.root(tree).only("id", "uri");
        return new CreateEndpoint.Command(body.string("id"), body.string("uri"));
    }

    /** {@code {"id", "endpoint", "listen", "tls": false, "settings": {}}}; tls and settings may be left out. */
    public static CreateInterlay.Command interlay(Object tree) {
        JsonFields body = JsonFields.root(tree).only("id", "endpoint", "listen", "tls", "settings");
        return new CreateInterlay.Command(body.string("id"), body.string("endpoint"), body.string("listen"),
                body.bool("tls", false), body.scalarMap("settings"));
    }

    /** {@code {"endpoint": "azure_redis"}}: the target of an interlay taken into a migration. */
    public static String attachTarget(Object tree) {
        return JsonFields.root(tree).only("endpoint").string("endpoint");
    }

    /** Rollback takes no body (the seed sends none) or {@code {"reason": "..."}} for the audit log. */
    public static String rollbackReason(Object treeOrNull) {
        if (treeOrNull == null) {
            return DEFAULT_ROLLBACK_REASON;
        }
        return JsonFields.root(treeOrNull).only("reason").optionalString("reason")
                .filter(reason -> !reason.isBlank()).orElse(DEFAULT_ROLLBACK_REASON);
    }

    /** migrate, validate and complete take no body; {@code {}} is tolerated, anything in it is refused. */
    public static void none(Object treeOrNull) {
        if (treeOrNull != null) {
            JsonFields.root(treeOrNull).only();
        }
    }
}
