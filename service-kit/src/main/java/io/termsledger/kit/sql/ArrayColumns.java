package io.termsledger.kit.sql;

import java.util.List;
import java.util.function.Function;

/**
 * Rows of values as one {@code text[]} parameter per column, for a set-based statement that
 * reads them with {@code unnest(?, ?, …)} and casts each column to its type: many rows in one
 * statement. A {@code String[]} (not an {@code Object[]}) goes out in binary, so no element is
 * quoted and escaped here or parsed there.
 */
public final class ArrayColumns {

    private ArrayColumns() {
    }

    /**
     * The columns of {@code rows} ({@code width} values each), in row order: a value is
     * {@code text.apply(value)} unless it is null, which stays null.
     */
    public static String[][] split(List<Object[]> rows, int width, Function<Object, String> text) {
        String[][] columns = new String[width][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            for (int c = 0; c < width; c++) {
                columns[c][r] = row[c] == null ? null : text.apply(row[c]);
            }
        }
        return columns;
    }
}
