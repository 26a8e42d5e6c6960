package io.termsledger.consent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.termsledger.consent.domain.BindingRule;
import io.termsledger.consent.domain.DefaultEffectiveVersionEngine;
import io.termsledger.consent.domain.EffectiveVersionEngine;
import io.termsledger.consent.domain.Fact;
import io.termsledger.consent.domain.Method;
import io.termsledger.consent.domain.NoticeMeasuredFrom;
import io.termsledger.consent.domain.Policy;
import io.termsledger.consent.domain.Status;
import io.termsledger.consent.domain.VersionInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bindings a user went through, as the bound events announce them: pure code over the engine. */
class BindingsTest {

    private static final EffectiveVersionEngine ENGINE = new DefaultEffectiveVersionEngine();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant day(int d) {
        return T0.plusSeconds(86_400L * d);
    }

    /**
     * A click of v3 straight from v1 passes v2 by that click: v2's binding is announced with basis CLICK.
     * It was announced as USE, though the user never used the service (and this agreement does not even
     * count use).
     */
    @Test
    void aRevisionPassedByAClickOfALaterOneBoundByThatClick() {
        Policy policy = new Policy(7, BindingRule.ON_CONTINUED_USE, false, EnumSet.of(Method.CLICK),
                NoticeMeasuredFrom.ANNOUNCEMENT, ZoneOffset.UTC);
        List<VersionInfo> versions = List.of(new VersionInfo(1, day(0), day(0), null, "a".repeat(64)),
                new VersionInfo(2, day(10), day(17), null, "b".repeat(64)),
                new VersionInfo(3, day(12), day(19), null, "c".repeat(64)));
        List<Fact> facts = List.of(new Fact.Acceptance("c1", day(1), 1, Method.CLICK),
                new Fact.Acceptance("c3", day(25), 3, Method.CLICK));
        Status now = ENGINE.status(policy, versions, facts, day(30));

        List<Bindings.Binding> bindings = Bindings.derive(now, policy.bindingRule(), facts, day(30),
                t -> ENGINE.status(policy, versions, facts, t));

        assertEquals(List.of(new Bindings.Binding(1, "CLICK", day(1), null),
                new Bindings.Binding(2, "CLICK", day(25), 1),
                new Bindings.Binding(3, "CLICK", day(25), 2)), bindings);
    }
}
