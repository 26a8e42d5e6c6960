package io.termsledger.kit.messaging;

import java.util.List;

/**
 * Applies events. Runs inside the transaction that also records the events as consumed,
 * so an event has exactly one effect however often it is delivered.
 * Throw {@link MalformedEventException} for events that can never be applied.
 */
@FunctionalInterface
public interface EventHandler {

    /** Applies one event. */
    void handle(IncomingEvent event) throws Exception;

    /**
     * Applies the new events of one poll, in their order, in one transaction. One by one
     * unless a handler can do better with set-based statements; it must then have exactly
     * the effect of applying them one after the other (or, where the answers the service gives
     * do not depend on their order, in an order of its own: usage signals earliest first). When it
     * throws, nothing of the poll is kept and the events are applied one by one, in their order,
     * each in its own transaction.
     */
    default void handleAll(List<IncomingEvent> events) throws Exception {
        for (IncomingEvent event : events) {
            handle(event);
        }
    }
}
