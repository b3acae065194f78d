package io.eden.domain.model;

/** How writes are placed while a migration runs. */
public sealed interface WriteMode permits WriteMode.DualWrite, WriteMode.Cutover {

    String wireName();

    /** Every write goes to both sides; the policy picks whose reply the client sees. */
    record DualWrite(WritePolicy policy) implements WriteMode {
        public DualWrite {
            Check.required("policy", policy);
        }

        @Override
        public String wireName() {
            return "dual_write";
        }
    }

    /**
     * The target becomes authoritative for the slots below {@code writePercentage x 16384};
     * those writes are mirrored back to the source so that a rollback loses nothing.
     */
    record Cutover(double writePercentage) implements WriteMode {
        public Cutover {
            writePercentage = Check.fraction("write_percentage", writePercentage);
        }

        @Override
        public String wireName() {
            return "cutover";
        }

        public boolean isFull() {
            return writePercentage == 1.0;
        }
    }
}
