package io.termsledger.consent.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** The formatted messages written meanwhile to a logger, or to any logger below it, that a test wants. */
public final class Logged implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler;

    /** The messages at INFO or above of {@code source}'s logger whose text {@code wanted} accepts. */
    public Logged(Class<?> source, Predicate<String> wanted) {
        this(source.getName(), r -> r.getLevel().intValue() >= Level.INFO.intValue() && wanted.test(text(r)));
    }

    /** The messages of the logger called {@code name} ("" for all) whose records {@code wanted} accepts. */
    public Logged(String name, Predicate<LogRecord> wanted) {
        logger = Logger.getLogger(name);
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (wanted.test(r)) {
                    lines.add(text(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
    }

    private static String text(LogRecord r) {
        return r instanceof ExtLogRecord e ? e.getFormattedMessage() : String.valueOf(r.getMessage());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
