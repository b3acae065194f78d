package io.eden.domain.model;

/** How traffic moves from source to target. */
public sealed interface Strategy permits Strategy.Canary {

    String wireName();

    double readPercentage();

    WriteMode writeMode();

    /** Reads move by slot percentage; writes follow the write mode. */
    record Canary(double readPercentage, WriteMode writeMode) implements Strategy {
        public Canary {
            readPercentage = Check.fraction("read_percentage", readPercentage);
            Check.required("write_mode", writeMode);
        }

        @Override
        public String wireName() {
            return "canary";
        }
    }
}
