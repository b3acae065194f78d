package io.eden.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    @Test
    void everyKnownScriptIsOnTheClassPathAndVersionsCountUp() {
        for (int i = 0; i < SchemaMigrator.SCRIPTS.size(); i++) {
            SchemaMigrator.Script script = SchemaMigrator.SCRIPTS.get(i);
            assertEquals(i + 1, script.version());
            assertNotNull(getClass().getClassLoader().getResource(script.resource()), script.resource());
        }
    }

    @Test
    void scriptsSplitOnSemicolonsOutsideComments() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"),
                SchemaMigrator.statements("""
                        -- header; with a semicolon
                        CREATE TABLE a (x INT); -- trailing
                        INSERT INTO a VALUES (1);

                        """));
    }

    @Test
    void scriptListsMustCountUpFromOne() {
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:unused");
        assertThrows(IllegalArgumentException.class, () -> new SchemaMigrator(jdbi,
                List.of(new SchemaMigrator.Script(2, "db/V1__init.sql")), "test"));
        assertThrows(IllegalArgumentException.class, () -> new SchemaMigrator(jdbi,
                List.of(new SchemaMigrator.Script(1, "a"), new SchemaMigrator.Script(3, "b")), "test"));
    }

    @Test
    void aMissingScriptFailsTheMigration() {
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:missing;DB_CLOSE_DELAY=-1");
        SchemaMigrator migrator = new SchemaMigrator(jdbi, List.of(new SchemaMigrator.Script(1, "db/nope.sql")), "t");
        IllegalStateException e = assertThrows(IllegalStateException.class, migrator::migrate);
        assertEquals("schema script db/nope.sql is not on the class path", e.getMessage());
        assertEquals(0, (int) jdbi.withHandle(SchemaMigrator::currentVersion));
    }
}
