package io.termsledger.consent.config;

import io.termsledger.consent.domain.DefaultEffectiveVersionEngine;
import io.termsledger.consent.domain.EffectiveVersionEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the pure engine injectable (the domain package carries no CDI annotations). */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @Singleton
    EffectiveVersionEngine engine() {
        return new DefaultEffectiveVersionEngine();
    }
}
