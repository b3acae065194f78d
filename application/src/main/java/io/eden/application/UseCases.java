package io.eden.application;

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
import io.eden.application.usecase.ResumeMigrations;
import io.eden.application.usecase.RollbackMigration;
import io.eden.application.usecase.StartInterlayListeners;
import io.eden.application.usecase.StartMigration;
import io.eden.application.usecase.UpdateMigrationStrategy;
import io.eden.application.usecase.ValidateMigration;

/** Every use case of the server, one per verb, as the inbound adapters call them. */
public record UseCases(CreateEndpoint createEndpoint, ListEndpoints listEndpoints, GetEndpoint getEndpoint,
                       DeleteEndpoint deleteEndpoint, CreateInterlay createInterlay, ListInterlays listInterlays,
                       GetInterlay getInterlay, CreateMigration createMigration, AttachInterlay attachInterlay,
                       StartMigration startMigration, ListMigrations listMigrations, GetMigration getMigration,
                       GetMigrationStatus getMigrationStatus, UpdateMigrationStrategy updateMigrationStrategy,
                       ValidateMigration validateMigration, RollbackMigration rollbackMigration,
                       CompleteMigration completeMigration, DeclareInterlay declareInterlay,
                       StartInterlayListeners startInterlayListeners, ResumeMigrations resumeMigrations) {
}
