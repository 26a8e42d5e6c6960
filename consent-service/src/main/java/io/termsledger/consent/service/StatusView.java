package io.termsledger.consent.service;

import io.termsledger.consent.domain.Status;
import java.time.Instant;
import java.util.List;

/** The status answer of CONTRACT.md: governing version, basis, each pending revision's state, notes. */
public record StatusView(String userId, String agreementKey, Instant at, Integer governingVersion, Basis basis,
                         List<Pending> pending, List<Note> notes) {

    public record Basis(String method, String eventId, Instant since) {
    }

    public record Pending(int version, Instant noticeAt, Instant effectiveAt, String state, Instant effectiveForUser) {
    }

    public record Note(String code, String message, String eventId, Instant at) {
    }

    public static StatusView of(String userId, String agreementKey, Instant at, Status s) {
        return new StatusView(userId, agreementKey, at, s.governingVersion(),
                s.basis() == null ? null : new Basis(s.basis().method(), s.basis().eventId(), s.basis().since()),
                s.pending() == null ? List.of() : s.pending().stream()
                        .map(p -> new Pending(p.version(), p.noticeAt(), p.effectiveAt(),
                                p.state() == null ? null : p.state().name(), p.effectiveForUser()))
                        .toList(),
                s.notes() == null ? List.of() : s.notes().stream()
                        .map(n -> new Note(n.code(), n.message(), n.eventId(), n.at())).toList());
    }
}
