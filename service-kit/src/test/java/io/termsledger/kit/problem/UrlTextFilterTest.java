package io.termsledger.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class UrlTextFilterTest {

    @Test
    void percentEncodedUtf8Passes() {
        assertNull(UrlTextFilter.firstNonUtf8Run("/users/u1/consents"));
        assertNull(UrlTextFilter.firstNonUtf8Run("/users/%E4%B8%AD%E6%96%87/terms?product=%C3%A9cs&at=2026-11-25T08%3A00%3A00Z"));
        assertNull(UrlTextFilter.firstNonUtf8Run("/users/emoji%F0%9F%98%80"));
        assertNull(UrlTextFilter.firstNonUtf8Run("/a%20b%2Fc"));
    }

    @Test
    void theFirstRunThatIsNotUtf8IsNamed() {
        // an encoded surrogate (CESU-8), a byte no UTF-8 text holds, a character cut short, an overlong form
        assertEquals("%ED%A0%80", UrlTextFilter.firstNonUtf8Run("/users/%ED%A0%80sur/consents"));
        assertEquals("%C3%A9%FF", UrlTextFilter.firstNonUtf8Run("/notices?text=%C3%A9%FF"));
        assertEquals("%E4%B8", UrlTextFilter.firstNonUtf8Run("/users/%E4%B8%AD/x?k=%E4%B8&z=1"));
        assertEquals("%C0%AF", UrlTextFilter.firstNonUtf8Run("/a/%C0%AF"));
    }

    @Test
    void aPercentSignWithoutTwoHexDigitsIsLeftToTheFramework() {
        assertNull(UrlTextFilter.firstNonUtf8Run("/users/%zz/consents"));
        assertNull(UrlTextFilter.firstNonUtf8Run("/users/100%"));
        assertNull(UrlTextFilter.firstNonUtf8Run("/users/%4"));
    }
}
