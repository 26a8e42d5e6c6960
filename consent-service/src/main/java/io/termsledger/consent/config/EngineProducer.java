package io.termsledger.consent.config;

import io.termsledger.consent.domain.EffectiveVersionEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the pure engine injectable (the domain package carries no CDI annotations). */
@ApplicationScoped
public class EngineProducer {

    static final String ENGINE_CLASS = "io.termsledger.consent.domain.DefaultEffectiveVersionEngine";

    @Produces
    @Singleton
    EffectiveVersionEngine engine() {
        try {
            return (EffectiveVersionEngine) Class.forName(ENGINE_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the effective-version engine " + ENGINE_CLASS + " is missing", e);
        }
    }
}
