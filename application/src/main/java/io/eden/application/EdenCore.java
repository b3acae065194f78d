package io.eden.application;

import io.eden.application.port.out.CheckpointRepository;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import io.eden.application.service.EndpointHealthChecker;
import io.eden.application.service.InterlayRoutes;
import io.eden.application.service.ListenerSupervisor;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationChanges;
import io.eden.application.service.MigrationRuntime;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.service.ViewAssembler;
import io.eden.application.usecase.AttachInterlay;
import io.eden.application.usecase.CompleteMigration;
import io.eden.application.usecase.CreateEndpoint;
import io.eden.application.usecase.CreateInterlay;
import io.eden.application.usecase.CreateMigration;
import io.eden.application.usecase.DeclareInterlay;
import io.eden.application.usecase.DeleteEndpoint;
import io.eden.application.usecase.GetEndpoint;
import io.eden.application.usecase.GetInterlay;
import io.eden.application.usecase.GetMigration;
import io.eden.application.usecase.GetMigrationStatus;
import io.eden.application.usecase.ListEndpoints;
import io.eden.application.usecase.ListInterlays;
import io.eden.application.usecase.ListMigrations;
import io.eden.application.usecase.MovementStarter;
import io.eden.application.usecase.ResumeMigrations;
import io.eden.application.usecase.RollbackMigration;
import io.eden.application.usecase.StartInterlayListeners;
import io.eden.application.usecase.StartMigration;
import io.eden.application.usecase.UpdateMigrationStrategy;
import io.eden.application.usecase.ValidateMigration;
import java.time.Clock;

/**
 * The application assembled from its outbound ports: the services it keeps in memory and
 * every use case. Bootstrap builds one; so do tests of the inbound adapters.
 */
public final class EdenCore implements AutoCloseable {
    private final ProtocolRegistry protocols;
    private final ListenerSupervisor listeners;
    private final MigrationRuntime runtime;
    private final UseCases useCases;

    public EdenCore(EndpointRepository endpoints, InterlayRepository interlays, MigrationRepository migrations,
                    CheckpointRepository checkpoints, ProtocolRegistry protocols, Clock clock) {
        this.protocols = protocols;
        this.runtime = new MigrationRuntime();
        Lookup lookup = new Lookup(endpoints, interlays, migrations);
        InterlayRoutes routes = new InterlayRoutes(interlays, endpoints, migrations, runtime);
        this.listeners = new ListenerSupervisor(protocols, routes);
        EndpointHealthChecker health = new EndpointHealthChecker(protocols, clock);
        ViewAssembler views = new ViewAssembler(lookup, migrations, routes, listeners, runtime, health);
        MigrationChanges changes = new MigrationChanges(lookup, migrations, routes);
        RollbackMigration rollback = new RollbackMigration(lookup, changes, interlays, runtime, views, clock);
        MovementStarter movements = new MovementStarter(lookup, protocols, runtime, checkpoints, routes, rollback);
        this.useCases = new UseCases(
                new CreateEndpoint(endpoints, interlays, protocols, routes, views),
                new ListEndpoints(endpoints, views),
                new GetEndpoint(lookup, views),
                new DeleteEndpoint(lookup, endpoints, interlays, migrations, health),
                new CreateInterlay(lookup, interlays, listeners, routes, views),
                new ListInterlays(interlays, views),
                new GetInterlay(lookup, views),
                new CreateMigration(migrations, views, clock),
                new AttachInterlay(lookup, routes, changes, views, clock),
                new StartMigration(lookup, movements, changes, views, clock),
                new ListMigrations(migrations, views),
                new GetMigration(lookup, views),
                new GetMigrationStatus(lookup, views),
                new UpdateMigrationStrategy(changes, views, clock),
                new ValidateMigration(lookup, changes, runtime, views, clock),
                rollback,
                new CompleteMigration(lookup, changes, interlays, runtime, views, clock),
                new DeclareInterlay(interlays, endpoints, protocols),
                new StartInterlayListeners(interlays, listeners),
                new ResumeMigrations(migrations, runtime, movements));
    }

    public UseCases useCases() {
        return useCases;
    }

    /** Stops listeners first (no new traffic), then data movement, then the adapters. */
    @Override
    public void close() {
        listeners.close();
        runtime.close();
        protocols.close();
    }
}
