package io.eden.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The hexagon of ARCHITECTURE.md, enforced over every module's production classes. */
@AnalyzeClasses(packages = "io.eden", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

    @ArchTest
    static final ArchRule layers_form_an_onion_whose_adapters_never_use_each_other = onionArchitecture()
            .domainModels("io.eden.domain.model..", "io.eden.domain.error..")
            .domainServices("io.eden.domain.routing..")
            .applicationServices("io.eden.application..")
            .adapter("redis", "io.eden.adapters.redis..")
            .adapter("postgres-wire", "io.eden.adapters.pgwire..")
            .adapter("http", "io.eden.adapters.http..")
            .adapter("persistence", "io.eden.adapters.persistence..")
            // bootstrap is the composition root: it may see every layer, and the rule below keeps it honest
            .ignoreDependency(resideInAPackage("io.eden.bootstrap.."), alwaysTrue());

    @ArchTest
    static final ArchRule the_domain_depends_on_the_jdk_alone = classes()
            .that().resideInAPackage("io.eden.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.eden.domain..", "java..");

    @ArchTest
    static final ArchRule the_application_depends_on_the_domain_and_the_jdk_alone = classes()
            .that().resideInAPackage("io.eden.application..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("io.eden.application..", "io.eden.domain..", "java..");

    @ArchTest
    static final ArchRule nothing_depends_on_bootstrap = noClasses()
            .that().resideOutsideOfPackage("io.eden.bootstrap..")
            .should().dependOnClassesThat().resideInAPackage("io.eden.bootstrap..");

    @ArchTest
    static final ArchRule bootstrap_finds_protocol_adapters_only_through_the_service_loader = noClasses()
            .that().resideInAPackage("io.eden.bootstrap..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("io.eden.adapters.redis..", "io.eden.adapters.pgwire..");

    @ArchTest
    static final ArchRule the_plugin_spi_sees_only_the_domain = classes()
            .that().resideInAPackage("io.eden.application.spi..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("io.eden.application.spi..", "io.eden.domain..", "java..");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices()
            .matching("io.eden.(**)")
            .should().beFreeOfCycles();
}
