package io.eden.adapters.http.json;

import io.eden.adapters.http.json.Documents.CutoverDoc;
import io.eden.adapters.http.json.Documents.DataDoc;
import io.eden.adapters.http.json.Documents.DualWriteDoc;
import io.eden.adapters.http.json.Documents.EndpointDoc;
import io.eden.adapters.http.json.Documents.InterlayDoc;
import io.eden.adapters.http.json.Documents.MigrationDoc;
import io.eden.adapters.http.json.Documents.PhaseChangeDoc;
import io.eden.adapters.http.json.Documents.ProgressDoc;
import io.eden.adapters.http.json.Documents.RetryThenAllDoc;
import io.eden.adapters.http.json.Documents.RoutingDoc;
import io.eden.adapters.http.json.Documents.StatusDoc;
import io.eden.adapters.http.json.Documents.StrategyDoc;
import io.eden.adapters.http.json.Documents.ValidationDoc;
import io.eden.application.spi.ValidationReport;
import io.eden.application.view.EndpointView;
import io.eden.application.view.InterlayView;
import io.eden.application.view.MigrationStatus;
import io.eden.application.view.MigrationView;
import io.eden.application.view.RoutingSummary;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Migration;
import io.eden.domain.model.MigrationProgress;
import io.eden.domain.model.PhaseChange;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import java.util.TreeMap;

/** The application's views as wire documents: snake_case, wire names of enums, ISO-8601 times, nulls for absent values. */
public final class Representations {
    private Representations() {
    }

    /** The view already holds the redacted URI; the password never reaches this layer in text form. */
    public static EndpointDoc endpoint(EndpointView view) {
        return new EndpointDoc(view.id(), view.protocol(), view.uri(), view.health().wireName());
    }

    public static InterlayDoc interlay(InterlayView view) {
        return new InterlayDoc(view.id(), view.protocol(), view.endpoint().orElse(null), view.listen(),
                view.boundAddress().orElse(null), view.tls(), new TreeMap<>(view.settings()),
                view.migration().orElse(null), view.connections());
    }

    public static MigrationDoc migration(MigrationView view) {
        Migration m = view.migration();
        return new MigrationDoc(m.id(), m.description(), strategy(m.strategy()),
                new DataDoc(m.data().type().wireName(), m.data().replace().wireName()),
                failureHandling(m.failureHandling()), m.phase().wireName(), m.phaseReason().orElse(null),
                view.routing().stream().map(Representations::routing).toList(), progress(view.progress()),
                view.history().stream().map(Representations::phaseChange).toList(),
                m.createdAt().toString(), m.updatedAt().toString());
    }

    public static StatusDoc status(MigrationStatus status) {
        return new StatusDoc(status.phase().wireName(), status.phaseReason().orElse(null),
                status.replicationLagMs(), status.source().wireName(), status.target().wireName(),
                status.readyForCutover(), progress(status.progress()),
                status.lastValidation().map(Representations::validation).orElse(null));
    }

    static StrategyDoc strategy(Strategy strategy) {
        return switch (strategy) {
            case Strategy.Canary canary ->
                    new StrategyDoc(canary.wireName(), canary.readPercentage(), writeMode(canary.writeMode()));
        };
    }

    static OneOf writeMode(WriteMode mode) {
        return switch (mode) {
            case WriteMode.DualWrite dual -> OneOf.document(new DualWriteDoc(dual.wireName(), dual.policy().wireName()));
            case WriteMode.Cutover cutover -> OneOf.document(new CutoverDoc(cutover.wireName(), cutover.writePercentage()));
        };
    }

    static OneOf failureHandling(FailureHandling handling) {
        return switch (handling) {
            case FailureHandling.RetryThenAll retry ->
                    OneOf.document(new RetryThenAllDoc(retry.wireName(), retry.retryCount()));
            case FailureHandling.RollbackAll all -> OneOf.text(all.wireName());
            case FailureHandling.AllowPartial partial -> OneOf.text(partial.wireName());
        };
    }

    static RoutingDoc routing(RoutingSummary r) {
        return new RoutingDoc(r.interlay(), r.source(), r.target(), r.readSlotsOnTarget(), r.writeSlotsOnTarget(),
                r.slotsMirroredToTarget(), r.slotsMirroredToSource());
    }

    static ProgressDoc progress(MigrationProgress p) {
        return new ProgressDoc(p.keysScanned(), p.keysCopied(), p.keysTotalEstimate(), p.bytesCopied(),
                finite(p.keysPerSecond()), p.etaSeconds().isPresent() ? p.etaSeconds().getAsLong() : null,
                p.mirrorErrors(), p.divergentKeys(), p.copyComplete());
    }

    /** JSON has no NaN or infinity; a rate an adapter could not compute reads as 0. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0.0;
    }

    static PhaseChangeDoc phaseChange(PhaseChange change) {
        return new PhaseChangeDoc(change.from().wireName(), change.to().wireName(), change.reason(),
                change.at().toString());
    }

    static ValidationDoc validation(ValidationReport report) {
        return new ValidationDoc(report.at().toString(), report.keysCompared(), report.differences(),
                report.firstDifferences());
    }
}
