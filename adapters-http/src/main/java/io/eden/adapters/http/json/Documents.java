package io.eden.adapters.http.json;

import com.dslplatform.json.CompiledJson;
import com.dslplatform.json.JsonAttribute;
import java.util.List;
import java.util.Map;

/**
 * The JSON documents the API answers with, one record each. dsl-json's annotation processor writes
 * a converter for every one at compile time ({@code _Documents$EndpointDoc_DslJsonConverter});
 * {@link JsonCodec} refuses to start if one is missing. Field names are the wire's snake_case;
 * absent optional values are written as {@code null}.
 */
public final class Documents {
    private Documents() {
    }

    @CompiledJson
    public record EndpointDoc(String id, String protocol, String uri, String health) {
    }

    @CompiledJson
    public record EndpointList(List<EndpointDoc> endpoints) {
    }

    // The component is not called "settings": dsl-json 2.0.2's processor cannot match a record
    // component of that name to its constructor parameter, so the wire name is set explicitly.
    @CompiledJson
    public record InterlayDoc(String id, String protocol, String endpoint, String listen,
                              @JsonAttribute(name = "bound_address") String boundAddress, boolean tls,
                              @JsonAttribute(name = "settings") Map<String, String> options, String migration,
                              int connections) {
    }

    @CompiledJson
    public record InterlayList(List<InterlayDoc> interlays) {
    }

    @CompiledJson
    public record StrategyDoc(String type, @JsonAttribute(name = "read_percentage") double readPercentage,
                              @JsonAttribute(name = "write_mode") OneOf writeMode) {
    }

    @CompiledJson
    public record DualWriteDoc(String mode, String policy) {
    }

    @CompiledJson
    public record CutoverDoc(String mode, @JsonAttribute(name = "write_percentage") double writePercentage) {
    }

    @CompiledJson
    public record DataDoc(String type, String replace) {
    }

    @CompiledJson
    public record RetryThenAllDoc(String type, @JsonAttribute(name = "retry_count") int retryCount) {
    }

    @CompiledJson
    public record RoutingDoc(String interlay, String source, String target,
                             @JsonAttribute(name = "read_slots_on_target") int readSlotsOnTarget,
                             @JsonAttribute(name = "write_slots_on_target") int writeSlotsOnTarget,
                             @JsonAttribute(name = "slots_mirrored_to_target") int slotsMirroredToTarget,
                             @JsonAttribute(name = "slots_mirrored_to_source") int slotsMirroredToSource) {
    }

    @CompiledJson
    public record ProgressDoc(@JsonAttribute(name = "keys_scanned") long keysScanned,
                              @JsonAttribute(name = "keys_copied") long keysCopied,
                              @JsonAttribute(name = "keys_total_estimate") long keysTotalEstimate,
                              @JsonAttribute(name = "bytes_copied") long bytesCopied,
                              @JsonAttribute(name = "keys_per_second") double keysPerSecond,
                              @JsonAttribute(name = "eta_seconds") Long etaSeconds,
                              @JsonAttribute(name = "mirror_errors") long mirrorErrors,
                              @JsonAttribute(name = "divergent_keys") long divergentKeys,
                              @JsonAttribute(name = "copy_complete") boolean copyComplete) {
    }

    @CompiledJson
    public record PhaseChangeDoc(String from, String to, String reason, String at) {
    }

    @CompiledJson
    public record MigrationDoc(String id, String description, StrategyDoc strategy, DataDoc data,
                               @JsonAttribute(name = "failure_handling") OneOf failureHandling, String phase,
                               @JsonAttribute(name = "phase_reason") String phaseReason,
                               List<RoutingDoc> interlays, ProgressDoc progress, List<PhaseChangeDoc> history,
                               @JsonAttribute(name = "created_at") String createdAt,
                               @JsonAttribute(name = "updated_at") String updatedAt) {
    }

    @CompiledJson
    public record MigrationList(List<MigrationDoc> migrations) {
    }

    @CompiledJson
    public record ValidationDoc(String at, @JsonAttribute(name = "keys_compared") long keysCompared,
                                long differences,
                                @JsonAttribute(name = "first_differences") List<String> firstDifferences) {
    }

    @CompiledJson
    public record StatusDoc(String phase, @JsonAttribute(name = "phase_reason") String phaseReason,
                            @JsonAttribute(name = "replication_lag_ms") long replicationLagMs, String source,
                            String target, @JsonAttribute(name = "ready_for_cutover") boolean readyForCutover,
                            ProgressDoc progress,
                            @JsonAttribute(name = "last_validation") ValidationDoc lastValidation) {
    }

    @CompiledJson
    public record HealthDoc(String status) {
    }

    /** {@code {"error": {...}}}; the inner object has only the members that apply, hence {@link OneOf}. */
    @CompiledJson
    public record ErrorDoc(OneOf error) {
    }

    @CompiledJson
    public record PlainError(String code, String message) {
    }

    @CompiledJson
    public record FieldError(String code, String message, String field) {
    }

    @CompiledJson
    public record PhaseError(String code, String message, @JsonAttribute(name = "current_phase") String currentPhase,
                             @JsonAttribute(name = "requested_phase") String requestedPhase) {
    }

    /** Every document type, so that {@link JsonCodec} can check each has its compiled converter. */
    static final List<Class<?>> ALL = List.of(EndpointDoc.class, EndpointList.class, InterlayDoc.class,
            InterlayList.class, StrategyDoc.class, DualWriteDoc.class, CutoverDoc.class, DataDoc.class,
            RetryThenAllDoc.class, RoutingDoc.class, ProgressDoc.class, PhaseChangeDoc.class, MigrationDoc.class,
            MigrationList.class, ValidationDoc.class, StatusDoc.class, HealthDoc.class, ErrorDoc.class,
            PlainError.class, FieldError.class, PhaseError.class);
}
