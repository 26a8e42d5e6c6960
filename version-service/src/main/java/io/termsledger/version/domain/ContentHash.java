package io.termsledger.version.domain;

import io.termsledger.kit.hash.Sha256;

/** SHA-256 of the exact content (UTF-8), lower-case hex. Every acceptance refers to it. */
public final class ContentHash {

    private ContentHash() {
    }

    public static String sha256(String content) {
        return Sha256.hex(content);
    }
}
