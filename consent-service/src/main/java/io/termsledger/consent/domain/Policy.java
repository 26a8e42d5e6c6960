package io.termsledger.consent.domain;

import java.time.ZoneId;
import java.util.Set;

/** An agreement's policy, as carried by the agreement events (DOMAIN.md §2). */
public record Policy(int noticeDays, BindingRule bindingRule, boolean sealPrevails, Set<Method> acceptanceMethods,
                     NoticeMeasuredFrom noticeMeasuredFrom, ZoneId zone) {
}
