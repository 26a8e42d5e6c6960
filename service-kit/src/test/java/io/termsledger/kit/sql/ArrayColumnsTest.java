package io.termsledger.kit.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayColumnsTest {

    @Test
    void eachColumnKeepsTheRowOrderAndNullsStayNull() {
        Instant at = Instant.parse("2026-11-26T10:15:30Z");
        List<Object[]> rows = List.of(new Object[] {"a", 1, at}, new Object[] {"b", null, at.plusSeconds(1)});

        String[][] columns = ArrayColumns.split(rows, 3, Object::toString);

        assertEquals(3, columns.length);
        assertArrayEquals(new String[] {"a", "b"}, columns[0]);
        assertArrayEquals(new String[] {"1", null}, columns[1]);
        assertArrayEquals(new String[] {"2026-11-26T10:15:30Z", "2026-11-26T10:15:31Z"}, columns[2]);
    }

    @Test
    void theCallerDecidesHowAValueBecomesText() {
        List<Object[]> rows = List.of(new Object[] {"keep", "drop"}, new Object[] {"keep too", "x"});

        String[][] columns = ArrayColumns.split(rows, 2, v -> v.equals("drop") ? null : v.toString().toUpperCase());

        assertArrayEquals(new String[] {"KEEP", "KEEP TOO"}, columns[0]);
        assertArrayEquals(new String[] {null, "X"}, columns[1]);
    }

    @Test
    void noRowsGiveEmptyColumns() {
        String[][] columns = ArrayColumns.split(List.of(), 2, Object::toString);

        assertEquals(2, columns.length);
        assertEquals(0, columns[0].length);
        assertEquals(0, columns[1].length);
    }
}
