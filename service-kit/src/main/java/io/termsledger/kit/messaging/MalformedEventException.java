package io.termsledger.kit.messaging;

/** An event that can never be applied: it is parked for an operator, not retried. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
