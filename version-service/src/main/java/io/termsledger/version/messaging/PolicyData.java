package io.termsledger.version.messaging;

import io.termsledger.version.domain.AcceptanceMethod;
import io.termsledger.version.domain.BindingRule;
import io.termsledger.version.domain.NoticeMeasuredFrom;
import java.util.List;
import java.util.SortedMap;

/** The {@code policy} object of agreement events (docs/events.md). */
public record PolicyData(int noticeDays, BindingRule bindingRule, boolean sealPrevails,
                         List<AcceptanceMethod> acceptanceMethods, NoticeMeasuredFrom noticeMeasuredFrom,
                         SortedMap<String, Integer> noticePeriods) {
}
