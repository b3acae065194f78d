package io.eden.adapters.persistence;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/** Reads SQL states portably: H2 and PostgreSQL report the same SQLSTATE codes. */
final class SqlErrors {
    private static final String UNIQUE_VIOLATION = "23505";

    private SqlErrors() {
    }

    /** Runs an insert; false, with nothing stored, when its key was taken (also by a concurrent insert). */
    static boolean insertUnlessTaken(Runnable insert) {
        try {
            insert.run();
            return true;
        } catch (JdbiException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** True when the failure, or one of its causes, is a primary-key or unique-constraint violation. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
