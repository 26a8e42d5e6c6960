package io.termsledger.kit.messaging;

/**
 * Applies one event. Runs inside the transaction that also records the event id as
 * consumed, so an event has exactly one effect however often it is delivered.
 * Throw {@link MalformedEventException} for events that can never be applied.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(IncomingEvent event) throws Exception;
}
