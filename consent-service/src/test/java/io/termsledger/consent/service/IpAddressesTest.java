package io.termsledger.consent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one text per address that the ipHmac is taken over (RFC 5952 for IPv6). */
class IpAddressesTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.7, 203.0.113.7",
            "' 203.0.113.7 ', 203.0.113.7",
            "10.0.1.255, 10.0.1.255",
            "0.0.0.0, 0.0.0.0",
            "2001:db8::7, 2001:db8::7",
            "2001:DB8:0:0:0:0:0:7, 2001:db8::7",
            "2001:0db8:0000:0000:0000:0000:0000:0007, 2001:db8::7",
            "0:0:0:0:0:0:0:1, ::1",
            "::, ::",
            "1::, 1::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // one zero group stays
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // the longest run
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // the first of equal runs
            "::ffff:192.0.2.1, ::ffff:192.0.2.1",
            "0:0:0:0:0:FFFF:C000:0201, ::ffff:192.0.2.1", // IPv4-mapped, dotted
            "64:ff9b::192.0.2.33, 64:ff9b::c000:221", // other embedded IPv4: hex
            "fe80::1%eth0, fe80::1%eth0",
            "FE80:0:0:0:0:0:0:1%Eth0, fe80::1%Eth0" // the zone as written
    })
    void oneTextPerAddress(String text, String canonical) {
        assertEquals(Optional.of(canonical), IpAddresses.canonical(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-an-address", "localhost", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4%eth0",
            "1::2::3", ":::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::8", "12345::", "g::1", "1.2.3.4::", "::1.2.3", "fe80::1%", "fe80::1%a b",
            "١.٢.٣.٤",
            "010.0.0.1", "1.2.3.04", "::ffff:01.2.3.4"})
    void anythingElseIsNoAddress(String text) {
        assertEquals(Optional.empty(), IpAddresses.canonical(text));
    }
}
