package io.termsledger.notice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.termsledger.notice.domain.Channel;
import java.util.List;
import java.util.Map;

/** Everything notice-service can be told, under {@code ledger.notices}. */
@ConfigMapping(prefix = "ledger.notices")
public interface NoticeConfig {

    /** Channels every audience user gets one delivery on. */
    @WithDefault("SITE,IN_APP,EMAIL,SMS")
    List<Channel> channels();

    /**
     * Minimum natural days per admin notice type when the agreement's policy has no
     * {@code noticePeriods} entry for it (e.g. {@code ledger.notices.periods.DISCONTINUATION=30}).
     */
    Map<String, Integer> periods();

    /** Users fanned out per transaction (each gets one delivery per channel). */
    @WithDefault("5000")
    int fanoutChunkUsers();

    /** How often the scheduler looks for due effective dates and pending fan-outs, in milliseconds. */
    @WithDefault("1000")
    long schedulerIntervalMs();

    /** Whether this instance runs the scheduler (claims are safe with several instances). */
    @WithDefault("true")
    boolean schedulerEnabled();

    /** Largest page of deliveries a caller may ask for. */
    @WithDefault("500")
    int maxPageSize();
}
