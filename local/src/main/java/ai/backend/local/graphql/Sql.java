package ai.backend.local.graphql;

import ai.backend.local.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small SQL helpers over {@link Database#connection()}, holding the database's monitor as its methods do. */
final class Sql {
    private Sql() {
    }

    /** The rows of {@code sql} as column-name maps, in order. */
    static List<Map<String, Object>> query(Database db, String sql, Object... params) {
        synchronized (db) {
            Connection c = db.connection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                List<Map<String, Object>> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            row.put(md.getColumnLabel(i), rs.getObject(i));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new ResolverError(e.getMessage());
            }
        }
    }

    /** Runs an INSERT/UPDATE/DELETE; the number of rows changed. */
    static int update(Database db, String sql, Object... params) throws SQLException {
        synchronized (db) {
            try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** A stored timestamp as an ISO string ({@code datetime('now')} writes {@code 2026-12-04 15:55:34}). */
    static String timestamp(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + "T" + s.substring(11) : s;
    }
}
