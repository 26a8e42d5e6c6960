package io.termsledger.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link Stack} for the whole run: the first test class that asks starts it, JUnit closes it
 * when every class is done (root store). Starting three services costs ~20 s; once is enough.
 * Use with {@code @ExtendWith(SharedStack.class)} and a {@code Stack} parameter.
 */
final class SharedStack implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return get(c);
    }

    static Stack get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("e2e-stack", k -> start(), Holder.class).stack;
    }

    private static Holder start() {
        Stack s = null;
        try {
            s = new Stack();
            Stack started = s;
            // services never outlive the test JVM, even when it is killed or a start fails
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            s.start();
            return new Holder(s);
        } catch (Exception e) {
            if (s != null) {
                try {
                    s.close();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new IllegalStateException("could not start the stack: " + e.getMessage(), e);
        }
    }

    /** Closed by JUnit at the end of the run. */
    record Holder(Stack stack) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            stack.close();
        }
    }
}
