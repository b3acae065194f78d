package io.eden.application.port.out;

/** A stored object changed between reading and writing it; the caller may read again and retry. */
public class ConcurrentUpdateException extends RuntimeException {

    public ConcurrentUpdateException(String what) {
        super(what + " was changed concurrently; try again");
    }
}
